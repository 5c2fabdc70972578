// The dashboard's lint: ESLint's and typescript-eslint's recommended rules over the sources, tests
// and scripts; formatting is prettier's (.prettierrc.json), so no style rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Node scripts; `window` is used inside page.evaluate callbacks, which run in the browser.
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        window: 'readonly',
      },
    },
  },
);
