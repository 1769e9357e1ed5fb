// ESLint (flat config): the JS, TypeScript and Svelte recommended sets, with globals per runtime
// folder so browser code cannot use Node's globals and the reverse (README: Code layout by runtime).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

export default tseslint.config(
  {
    // Generated or built output: not ours to lint.
    ignores: [
      'src/core/abis/**',
      'dist/**',
      'dev-dist/**',
      'artifacts/**',
      'cache/**',
      'typechain-types/**',
      '.tsbuild/**',
      '.outpost/**',
      'coverage/**',
      'data/**',
      'tests/.tmp/**',
      'public/zk/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (a callback's unused
      // argument), and a rest sibling drops a key (`const { $schema: _dialect, ...rest } = …`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Hardhat 2 loads its config with require() and the package is "type": "module", so the config
    // is CommonJS (hardhat.config.cjs) and must use require(): the rule cannot be obeyed there.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
  },
  {
    files: ['src/app/**', 'src/browser/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/app/sw.ts'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ['src/relay/**', 'src/node/**', 'scripts/**', 'bench/**', 'tests/**', '*.config.{js,ts,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The e2e tests and benches also run code in a browser page (page.evaluate), so they see both.
    files: ['tests/**', 'bench/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
