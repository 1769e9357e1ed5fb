import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The first screen's JavaScript may not exceed this, gzipped (issue #2). */
export const FIRST_SCREEN_BUDGET_BYTES = 150 * 1024;

type ManifestChunk = { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[]; name?: string };

/** `source` is the manifest key: the module the chunk was built from (e.g. src/core/rpc.ts). */
/** `name` is Rollup's chunk name: for a shared chunk (key `_rpc-….js`) it still names the module it was cut around. */
type ChunkSize = { source: string; name: string; file: string; bytes: number; gzipBytes: number };

export type BundleReport = {
  /** JS loaded before the first screen renders: the entry and everything it imports statically. */
  firstScreen: ChunkSize[];
  firstScreenGzipBytes: number;
  /** Chunks loaded only when a screen asks for them (dynamic imports), largest first. */
  lazy: ChunkSize[];
  cssGzipBytes: number;
};

function sizeOf(distDir: string, source: string, file: string, name = ''): ChunkSize {
  const bytes = readFileSync(join(distDir, file));
  return { source, name, file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

/** Reads Vite's build manifest and splits the JS into what the first screen needs and what loads later. */
export function measureBundle(distDir = 'dist'): BundleReport {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entries = Object.keys(manifest).filter((key) => manifest[key]?.isEntry);
  const eager = new Set<string>();
  const visit = (key: string): void => {
    if (eager.has(key)) return;
    eager.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  entries.forEach(visit);
  const firstScreen = [...eager].map((key) => sizeOf(distDir, key, manifest[key]!.file, manifest[key]!.name));
  const lazyKeys = Object.keys(manifest).filter((key) => !eager.has(key) && manifest[key]!.file.endsWith('.js'));
  const lazy = lazyKeys.map((key) => sizeOf(distDir, key, manifest[key]!.file, manifest[key]!.name)).sort((a, b) => b.gzipBytes - a.gzipBytes);
  const css = [...eager].flatMap((key) => manifest[key]?.css ?? []).map((file) => sizeOf(distDir, file, file));
  return {
    firstScreen,
    firstScreenGzipBytes: firstScreen.reduce((sum, chunk) => sum + chunk.gzipBytes, 0),
    lazy,
    cssGzipBytes: css.reduce((sum, chunk) => sum + chunk.gzipBytes, 0),
  };
}
