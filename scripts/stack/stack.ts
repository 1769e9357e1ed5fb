import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DevnetConfig } from '../../src/core/devnetConfig.js';
import { startDevnetRelay } from '../relay.js';
import { startDevnet } from './devnet.js';
import { choosePort, LOCALHOST } from './ports.js';
import { stopAll } from './processes.js';

export type StackOptions = {
  /** 'dev' serves the sources with hot reload; 'preview' serves the built `dist/` (service worker on). */
  app: 'dev' | 'preview' | 'none';
  ports: { chain: number; app: number; relay: number };
  /** The relay's PGlite folder (default data/relay/devnet; emptied on start, as the chain is fresh). */
  relayDataDir?: string;
  /** Where the deploy step writes the devnet config the app, relay and tools read. */
  configPath: string;
  echo: boolean;
  log?: (line: string) => void;
};

export type RunningStack = {
  rpcUrl: string;
  appUrl: string | null;
  config: DevnetConfig;
  notes: string[];
  stop: () => Promise<void>;
};

/**
 * Brings up the whole local stack in order: chain, contracts, (relay), app. Used by
 * `npm run dev` and by the end-to-end test harness, so both run the same thing.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  let closeApp: (() => Promise<void>) | null = null;
  let stopRelay: (() => Promise<void>) | null = null;
  try {
    const chainPort = await choosePort(options.ports.chain, 'chain');
    if (chainPort.note) notes.push(chainPort.note);
    const { rpcUrl, config } = await startDevnet(chainPort.port, { echo: options.echo, log });
    const relayPort = await choosePort(options.ports.relay, 'relay');
    if (relayPort.note) notes.push(relayPort.note);
    log(`starting the relay on port ${relayPort.port}…`);
    const relay = await startDevnetRelay(config, { port: relayPort.port, dataDir: options.relayDataDir ?? 'data/relay/devnet', log: options.echo ? (line) => process.stdout.write(`[relay] ${line}\n`) : null });
    stopRelay = relay.stop;
    config.relayUrl = relay.url;
    await mkdir(dirname(options.configPath), { recursive: true });
    await writeFile(options.configPath, `${JSON.stringify(config, null, 2)}\n`);

    let appUrl: string | null = null;
    if (options.app !== 'none') {
      const appPort = await choosePort(options.ports.app, 'app');
      if (appPort.note) notes.push(appPort.note);
      log(`serving the app (${options.app}) on port ${appPort.port}…`);
      const served = await serveApp(options.app, appPort.port, options.configPath);
      appUrl = served.url;
      closeApp = served.close;
    }
    return {
      rpcUrl,
      appUrl,
      config,
      notes,
      async stop() {
        await closeApp?.();
        await stopRelay?.();
        await stopAll();
      },
    };
  } catch (error) {
    await closeApp?.();
    await stopRelay?.();
    await stopAll();
    throw error;
  }
}

async function serveApp(mode: 'dev' | 'preview', port: number, configPath: string): Promise<{ url: string; close: () => Promise<void> }> {
  // vite.config.ts reads this to serve /devnet.json from the file just written.
  process.env.OUTPOST_DEVNET_CONFIG = resolve(configPath);
  const vite = await import('vite');
  if (mode === 'dev') {
    const server = await vite.createServer({ server: { port, host: LOCALHOST, strictPort: true } });
    await server.listen();
    return { url: `http://localhost:${port}/`, close: () => server.close() };
  }
  const server = await vite.preview({ preview: { port, host: LOCALHOST, strictPort: true } });
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((resolveClose) => server.httpServer.close(() => resolveClose())),
  };
}
