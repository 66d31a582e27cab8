// Lint: typescript-eslint everywhere, HubSpot's UI-extension rules for card folders, and the
// architecture boundaries of DESIGN.md as import restrictions.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'express',
  'pg',
  'better-sqlite3',
  'kysely',
  'ioredis',
  'bottleneck',
  'pino',
  '@hubspot/*',
  'node:http',
  'node:https',
  'node:fs',
  'node:fs/promises',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '**/node_modules/**',
      'dist/**',
      'coverage/**',
      'hubspot/**/dist/**',
      '.pillars/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The core is pure: no I/O, no HubSpot client, no storage, no server.
    files: ['src/core/**/*.ts'],
    // Tests of the core may build their inputs with the sandbox's demo portal generator.
    ignores: ['src/core/**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/hubspot/**',
                '**/store/**',
                '**/server/**',
                '**/functions/**',
                '**/sandbox/**',
                '**/cli/**',
                '**/jobs/**',
              ],
              message: 'core imports nothing from I/O layers (DESIGN.md §3)',
            },
            { group: ioModules, message: 'core imports no I/O library (DESIGN.md §3)' },
          ],
        },
      ],
    },
  },
  {
    // Only src/hubspot talks to HubSpot.
    files: ['src/**/*.ts'],
    ignores: ['src/hubspot/**', 'src/sandbox/**', 'src/**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@hubspot/api-client', '@hubspot/api-client/*'],
              message: 'only src/hubspot talks to HubSpot',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI, tests and benchmarks write to the terminal on purpose.
    files: [
      'src/cli/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'scripts/**/*.mjs',
      'bin/**/*.js',
      'test/**/*.ts',
      'src/**/__tests__/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
