import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

/**
 * Serves the running stack's devnet config (written by the deploy step) at /devnet.json from
 * both the dev server and the preview server, so the built app and the dev app find the local
 * chain, its contracts and the relay wherever their ports ended up.
 */
export function devnetConfigPlugin(configPath: string): Plugin {
  const handler = async (req: IncomingMessage, res: ServerResponse, next: () => void): Promise<void> => {
    if (req.url?.split('?')[0] !== '/devnet.json') return next();
    try {
      const body = await readFile(configPath, 'utf8');
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'no devnet is running; start it with `npm run dev`' }));
    }
  };
  return {
    name: 'outpost-devnet-config',
    configureServer(server) {
      server.middlewares.use((req, res, next) => void handler(req, res, next));
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => void handler(req, res, next));
    },
  };
}
