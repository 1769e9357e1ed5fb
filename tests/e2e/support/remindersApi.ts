import { build } from 'esbuild';

/** src/browser/reminders bundled for `page.addScriptTag`, as `window.outpostReminders` (same origin, same IndexedDB as the app). */
export async function remindersApiBundle(): Promise<string> {
  const result = await build({
    entryPoints: ['tests/e2e/support/remindersApiEntry.ts'],
    bundle: true,
    format: 'iife',
    globalName: 'outpostReminders',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]!.text;
}
