// Lint for this UI folder: HubSpot's UI-extension rules (no HTML elements, no native fetch, no
// imports from outside the folder, ...) on top of typescript-eslint. `hs project upload` looks for
// an eslint config in every UI folder; run it with `npx eslint .` from this folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { config as hubspotUiExtensions } from '@hubspot/eslint-config-ui-extensions';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...hubspotUiExtensions,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
