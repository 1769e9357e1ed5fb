import { createServer } from 'node:net';

export const LOCALHOST = '127.0.0.1';

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export type PortChoice = { port: number; note: string | null };

/**
 * The preferred port when it is free; otherwise the next free one, with a note naming the busy
 * port (a crashed earlier run often leaves one behind), so a second run still starts.
 */
export async function choosePort(preferred: number, what: string, host = LOCALHOST): Promise<PortChoice> {
  if (preferred === 0) return { port: await anyFreePort(host), note: null };
  for (let port = preferred; port < preferred + 50; port++) {
    if (await tryListen(port, host)) {
      return {
        port,
        note: port === preferred ? null : `port ${preferred} for the ${what} is busy (another process, perhaps an earlier run); using ${port}`,
      };
    }
  }
  throw new Error(`No free port for the ${what} in ${preferred}–${preferred + 49}. Stop the processes holding them (\`lsof -i :${preferred}\`).`);
}

export function anyFreePort(host = LOCALHOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
