/** Facts about this build, fixed at build time by vite.config.ts. */
declare const __OUTPOST_COMMIT__: string;
declare const __OUTPOST_BUILT_AT__: string;
declare const __OUTPOST_VERSION__: string;

export const BUILD = {
  version: typeof __OUTPOST_VERSION__ === 'string' ? __OUTPOST_VERSION__ : '0.0.0',
  commit: typeof __OUTPOST_COMMIT__ === 'string' ? __OUTPOST_COMMIT__ : 'unknown',
  builtAt: typeof __OUTPOST_BUILT_AT__ === 'string' ? __OUTPOST_BUILT_AT__ : 'unknown',
} as const;
