// Lint for the shared UI package: the same rules as the UI folders that bundle it (HubSpot's
// UI-extension rules: no HTML elements, no native fetch, ...) on top of typescript-eslint. Every
// line here ends up in a card or page bundle, so it must pass what the folders pass.
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
