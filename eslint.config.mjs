// Lint, and the module boundaries of DESIGN.md enforced by file glob: a forbidden import is an
// error, so `npm run lint` fails the moment a layer reaches where it must not.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const vscode = { name: 'vscode', message: "Only src/vscode/ and src/extension.ts may import 'vscode' (DESIGN.md)." };
const nodeOnly = nodeBuiltins.map((name) => ({
  name,
  message: 'model/ and protocol/ stay free of Node built-ins (DESIGN.md).',
}));
const awsSdk = {
  group: ['@aws-sdk/*', '@smithy/*'],
  message: 'model/ and protocol/ stay free of the AWS SDK (DESIGN.md).',
};

/** Relative imports that leave a folder for src folders it must not reach. */
const intoSrc = (folders, message) => ({
  group: folders.flatMap((f) => [`**/src/${f}`, `**/src/${f}/**`, `../${f}`, `../${f}/**`, `../../${f}/**`]),
  message,
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'test-output/**',
      'node_modules/**',
      '.vscode-test/**',
      'sample/**',
      'test/fixtures/**',
      '*.vsix',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='postMessage'] > ObjectExpression",
          message: 'Send webview messages through the typed protocol (src/protocol), not raw postMessage({...}).',
        },
      ],
    },
  },
  {
    files: ['src/model/**', 'src/protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscode, ...nodeOnly],
          patterns: [
            awsSdk,
            intoSrc(
              ['sources', 'collector', 'analysis', 'mapping', 'vscode', 'cli'],
              'model/ and protocol/ import only each other (DESIGN.md).',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/sources/**', 'src/collector/**', 'src/analysis/**', 'src/mapping/**', 'src/cli.ts', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscode],
          patterns: [intoSrc(['vscode'], 'Core code never reaches into src/vscode/ (DESIGN.md).')],
        },
      ],
    },
  },
  {
    files: ['webview/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            vscode,
            ...nodeOnly.map((p) => ({
              ...p,
              message: 'The webview runs in a browser: no Node built-ins (DESIGN.md).',
            })),
          ],
          patterns: [
            awsSdk,
            intoSrc(
              ['sources', 'collector', 'analysis', 'mapping', 'vscode'],
              'The webview imports only src/protocol and src/model types (DESIGN.md).',
            ),
            {
              group: ['**/src/extension', '**/src/cli'],
              message: 'The webview imports only src/protocol and src/model types (DESIGN.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'test/harness/**'],
    languageOptions: { globals: { ...globals.node } },
  },
);
