// @vscode/test-cli configuration for the extension-host suite (test/integration). Run it with
// `npm run test:integration`, which bundles the tests, prepares a scratch copy of examples/shop,
// and skips with a message where VS Code cannot be downloaded (as on the project's CI machines,
// where `npm run test:e2e` drives a real VS Code through code-server instead).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'integration',
  files: '.tmp/integration/out/**/*.test.js',
  workspaceFolder: process.env.PREFLIGHT_IT_WORKSPACE ?? '.tmp/integration/workspace',
  ...(process.env.VSCODE_EXECUTABLE ? { useInstallation: { fromPath: process.env.VSCODE_EXECUTABLE } } : {}),
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 60_000 },
});
