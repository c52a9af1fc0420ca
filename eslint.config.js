import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'dist-firefox/', 'release/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Only the platform module may touch the extension APIs (design.md, layout).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/platform/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'chrome', message: 'Use src/platform/browser-api.ts.' }, { name: 'browser', message: 'Use src/platform/browser-api.ts.' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'webextension-polyfill', message: 'Use src/platform/browser-api.ts.' }] }],
    },
  },
  {
    // Partner text must never become HTML in the content script.
    files: ['src/content/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Write text with textContent.' },
        { property: 'outerHTML', message: 'Write text with textContent.' },
        { property: 'insertAdjacentHTML', message: 'Write text with textContent.' }],
    },
  },
);
