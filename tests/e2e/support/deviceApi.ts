import { build } from 'esbuild';

/**
 * src/device's browser API bundled for `page.addScriptTag`, as `window.outpostDevice`, for e2e
 * steps the app's UI does not offer (signing an arbitrary digest with an ioConnect device).
 */
export async function deviceApiBundle(): Promise<string> {
  const result = await build({
    entryPoints: ['tests/e2e/support/deviceApiEntry.ts'],
    bundle: true,
    format: 'iife',
    globalName: 'outpostDevice',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]!.text;
}
