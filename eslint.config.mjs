import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bin/**',
      'jest.config.js',
      'test/support/*.js',
      'bench/**/*.js',
      // Deliberate mistakes that test/lint/type-aware-lint.spec.ts expects the lint to report.
      'test/lint/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // Type-aware rules need the compiler's view of each file: the project service finds the nearest
    // tsconfig.json (the root one, or apps/web's), so the checker agrees with `npm run typecheck`.
    // docs/architecture.md §20.11: a promise nobody awaits is how the throttle was bypassed.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: dirname(fileURLToPath(import.meta.url)) },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // Under <RouterProvider> react-router's navigate() returns a promise that only says when the next
          // page has rendered; the web app's routes have no loaders or actions, and the router sends their
          // failures to the error element anyway, so there is no rejection to handle.
          allowForKnownSafeCalls: [{ from: 'package', name: 'NavigateFunction', package: 'react-router' }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through libs/platform config only.',
        },
      ],
    },
  },
  {
    // Configuration is read once, here; tests, benches and the CLI's own config loader may read the environment.
    files: ['libs/platform/src/config/**', '**/*.spec.ts', 'test/**', 'bench/**', 'apps/cli/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The domain is pure: no Nest, no I/O, no clock, no randomness.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', 'fs', 'node:*', 'better-sqlite3', '@accord/*', 'crypto', 'http', 'https'] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time comes in the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time comes in the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Ids come in the command.',
        },
      ],
    },
  },
);
