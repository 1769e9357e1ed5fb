import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { anyFreePort, LOCALHOST } from '../../scripts/stack/ports.js';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: LOCALHOST }, () => resolve(server));
  });
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    return ((await response.json()) as { result?: string }).result === '0x7a69';
  } catch {
    return false;
  }
}

describe('npm run dev', () => {
  it('starts beside a busy port, prints where everything is, and Ctrl-C stops all it started', async () => {
    // A port left busy, as after a crash.
    const busyPort = await anyFreePort();
    const squatter = await listen(busyPort);
    const dev = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts', '--chain', String(busyPort), '--app', '0'], {
      env: { ...process.env, OUTPOST_DEVNET_CONFIG: 'tests/.tmp/dev-command/devnet.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));

    try {
      const deadline = Date.now() + 120_000;
      while (!output.includes('Press Ctrl-C to stop.') && Date.now() < deadline && dev.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(output).toContain('Press Ctrl-C to stop.');
      expect(output).toContain(`port ${busyPort} for the chain is busy`);
      expect(output).toMatch(/DEV-ONLY accounts/);
      expect(output).toContain('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
      const rpcUrl = /Chain RPC\s+(http:\/\/\S+)/.exec(output)?.[1];
      const appUrl = /App\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(rpcUrl).toBeDefined();
      expect(appUrl).toBeDefined();
      const relayUrl = /Relay\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(relayUrl).toBeDefined();
      expect((await fetch(new URL('/healthz', relayUrl)).then((r) => r.status))).toBe(200);
      await expect(rpcAnswers(rpcUrl!)).resolves.toBe(true);
      const page = await fetch(appUrl!);
      expect(page.status).toBe(200);
      await expect(page.text()).resolves.toContain('<div id="app">');

      dev.kill('SIGINT');
      await expect(exited).resolves.toBe(0);
      expect(output).toContain('[dev] stopped.');
      // Everything it started is gone: the chain no longer answers and the app port is closed.
      await expect(rpcAnswers(rpcUrl!)).resolves.toBe(false);
      await expect(fetch(appUrl!, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
      await expect(fetch(new URL('/healthz', relayUrl), { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    } finally {
      if (dev.exitCode === null) dev.kill('SIGKILL');
      squatter.close();
    }
  });
});
