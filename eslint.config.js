// eslint.config.js: the lint rules for the web page's modules and the
// browser tests (run by `make lint`).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/**', 'web/static/vendor/**', 'bench/**'] },
  js.configs.recommended,
  {
    files: ['web/static/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, maplibregl: 'readonly' },
    },
    rules: { 'no-alert': 'error', 'no-console': 'error', eqeqeq: ['error', 'smart'] },
  },
  {
    files: ['web/tests/**/*.mjs', 'web/tools/**/*.mjs', 'tiles/**/*.mjs', 'eslint.config.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
  },
];
