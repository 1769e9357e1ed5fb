import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type RelayProcess = {
  url: string;
  pid: number;
  /** SIGTERM: the relay closes its store and exits. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to close anything (a crash). */
  kill9(): Promise<void>;
};

async function signal(proc: ChildProcess, name: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill(name);
  await exited;
}

/**
 * `npm run relay` as its own process (node --import tsx, so a signal hits the relay itself), with
 * RELAY_* settings in `env` and `nodeOptions` for node itself (such as --cpu-prof); resolves once it
 * prints its ready line.
 */
export async function spawnRelay(env: Record<string, string>, nodeOptions: string[] = []): Promise<RelayProcess> {
  const proc = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', 'scripts/relay.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  proc.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      output.push(line);
      if (line.startsWith('{"ready":true')) resolve((JSON.parse(line) as { url: string }).url);
    });
    proc.once('exit', (code) => reject(new Error(`relay exited (${code}) before it was ready:\n${output.join('\n')}`)));
  });
  return { url, pid: proc.pid!, stop: () => signal(proc, 'SIGTERM'), kill9: () => signal(proc, 'SIGKILL') };
}
