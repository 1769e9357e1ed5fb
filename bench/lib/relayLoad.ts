/**
 * The relay bench's load generator, run as its own process (`node --import tsx bench/lib/relayLoad.ts
 * <input.json>`) so the relay's CPU figures hold the relay alone and this process's CPU is reported
 * apart. It reads LoadInput, sends the warm-up bodies (one per device: each is refused after the
 * ioID lookup, so connections, caches and JIT are warm and nothing is stored), prints "warm", waits
 * for a "go" line on stdin, sends the load and prints one JSON line of LoadOutput.
 *
 * `clients` concurrent clients; client c sends the batches of devices c, c + clients, …, each
 * device's epochs in order (the relay accepts a device's epochs in order). Requests go round-robin
 * to `urls` (several relay instances behind a plain round-robin). Bodies are serialised by the
 * parent, so no JSON work is timed here; keep-alive HTTP/1.1 through node:http.
 */
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export type LoadInput = { urls: string[]; clients: number; devices: string[][]; warmup: string[] };
export type LoadOutput = {
  wallMs: number;
  cpuMs: number;
  statuses: Record<string, number>;
  latencies: number[];
  /** Receipt ids of 2xx answers, in answer order. */
  receipts: string[];
  /** The first refusals' bodies (at most 5), to say why a run failed. */
  refusals: string[];
};

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const target = new URL('/v1/batches', url);
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadInput;
  let next = 0;
  const nextUrl = () => input.urls[next++ % input.urls.length]!;
  for (const body of input.warmup) {
    const { status, text } = await post(nextUrl(), body);
    if (!text.includes('tampered_public_signal')) throw new Error(`a warm-up body answered ${status} ${text.slice(0, 200)}; expected tampered_public_signal (refused after the ioID lookup)`);
  }
  process.stdout.write('warm\n');
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

  const out: LoadOutput = { wallMs: 0, cpuMs: 0, statuses: {}, latencies: [], receipts: [], refusals: [] };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: input.clients }, async (_, c) => {
      for (let d = c; d < input.devices.length; d += input.clients) {
        for (const body of input.devices[d]!) {
          const t = performance.now();
          const { status, text } = await post(nextUrl(), body);
          out.latencies.push(performance.now() - t);
          out.statuses[status] = (out.statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) out.receipts.push((JSON.parse(text) as { receipt: { id: string } }).receipt.id);
          else if (out.refusals.length < 5) out.refusals.push(text.slice(0, 300));
        }
      }
    }),
  );
  out.wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  out.cpuMs = (used.user + used.system) / 1000;
  process.stdout.write(`${JSON.stringify(out)}\n`);
  agent.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`relay load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
