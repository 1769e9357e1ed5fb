import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { anyFreePort, choosePort, LOCALHOST } from '../../../scripts/stack/ports.js';

const held: Server[] = [];

function hold(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: LOCALHOST }, () => resolve());
    held.push(server);
  });
}

afterEach(async () => {
  await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('choosing ports for the local stack', () => {
  it('takes the preferred port when it is free, with no note', async () => {
    const port = await anyFreePort();
    await expect(choosePort(port, 'chain')).resolves.toEqual({ port, note: null });
  });

  it('moves past a busy port (a crashed run) and names it', async () => {
    const busy = await anyFreePort();
    await hold(busy);
    const choice = await choosePort(busy, 'chain');
    expect(choice.port).toBeGreaterThan(busy);
    expect(choice.note).toBe(`port ${busy} for the chain is busy (another process, perhaps an earlier run); using ${choice.port}`);
  });

  it('gives any free port for 0', async () => {
    const choice = await choosePort(0, 'app');
    expect(choice.port).toBeGreaterThan(0);
    expect(choice.note).toBeNull();
  });
});
