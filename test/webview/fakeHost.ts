// Loads a built webview bundle in Chromium with a fake VS Code host: acquireVsCodeApi records what
// the view sends, and the test answers through the same message envelopes the real host uses.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import type { Envelope } from '../../src/protocol/rpc';

/** The --vscode-* variables of a dark, a light and a high-contrast theme (a subset of VS Code's defaults). */
export const themes = {
  dark: {
    'settings-textInputBackground': '#313131',
    'settings-textInputForeground': '#cccccc',
    'settings-textInputBorder': '#3c3c3c',
    'input-placeholderForeground': '#989898',
    'editor-background': '#1e1e1e',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    'panel-border': '#2b2b2b',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    focusBorder: '#007fd4',
    errorForeground: '#f48771',
    'textLink-foreground': '#3794ff',
    'charts-green': '#89d185',
    'charts-yellow': '#cca700',
    'charts-red': '#f14c4c',
    'charts-purple': '#b180d7',
    'charts-blue': '#3794ff',
    'button-background': '#0e639c',
    'button-foreground': '#ffffff',
    'input-background': '#3c3c3c',
    'input-foreground': '#cccccc',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    'editor-findMatchHighlightBackground': '#ea5c0055',
    'editor-selectionBackground': '#264f78',
    'button-secondaryBackground': '#3a3d41',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#45494e',
    'settings-checkboxBackground': '#313131',
    'settings-checkboxBorder': '#3c3c3c',
    'settings-checkboxForeground': '#cccccc',
  },
  light: {
    'settings-textInputBackground': '#ffffff',
    'settings-textInputForeground': '#3b3b3b',
    'settings-textInputBorder': '#cecece',
    'input-placeholderForeground': '#767676',
    'editor-background': '#ffffff',
    foreground: '#3b3b3b',
    descriptionForeground: '#717171',
    'panel-border': '#e5e5e5',
    'list-hoverBackground': '#f2f2f2',
    'list-activeSelectionBackground': '#0060c0',
    'list-activeSelectionForeground': '#ffffff',
    focusBorder: '#0090f1',
    errorForeground: '#a1260d',
    'textLink-foreground': '#006ab1',
    'charts-green': '#388a34',
    'charts-yellow': '#bf8803',
    'charts-red': '#e51400',
    'charts-purple': '#652d90',
    'charts-blue': '#1a85ff',
    'button-background': '#007acc',
    'button-foreground': '#ffffff',
    'input-background': '#ffffff',
    'input-foreground': '#3b3b3b',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    'editor-findMatchHighlightBackground': '#ea5c0055',
    'editor-selectionBackground': '#add6ff',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'settings-checkboxBackground': '#f8f8f8',
    'settings-checkboxBorder': '#cecece',
    'settings-checkboxForeground': '#3b3b3b',
  },
  highContrast: {
    'settings-textInputBackground': '#000000',
    'settings-textInputForeground': '#ffffff',
    'settings-textInputBorder': '#6fc3df',
    'input-placeholderForeground': '#ffffffb3',
    'editor-background': '#000000',
    foreground: '#ffffff',
    descriptionForeground: '#ffffffcc',
    'panel-border': '#6fc3df',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    'list-hoverBackground': '#000000',
    'list-activeSelectionBackground': '#000000',
    'list-activeSelectionForeground': '#ffffff',
    focusBorder: '#f38518',
    errorForeground: '#f48771',
    'textLink-foreground': '#21a6ff',
    'charts-green': '#89d185',
    'charts-yellow': '#ffd370',
    'charts-red': '#f14c4c',
    'charts-purple': '#b180d7',
    'charts-blue': '#3794ff',
    'charts-orange': '#d18616',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'input-background': '#000000',
    'input-foreground': '#ffffff',
    'button-secondaryBackground': '#000000',
    'button-secondaryForeground': '#ffffff',
    'button-secondaryHoverBackground': '#000000',
    'settings-checkboxBackground': '#000000',
    'settings-checkboxBorder': '#6fc3df',
    'settings-checkboxForeground': '#ffffff',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    'editor-findMatchHighlightBackground': '#f38518aa',
    'editor-selectionBackground': '#ffffff55',
  },
} as const;

/** A loaded webview page. */
export interface FakeHostPage {
  readonly page: Page;
  /** Messages the view sent so far. */
  sent(): Promise<Envelope[]>;
  /** Delivers a message to the view, as the host's postMessage would. */
  deliver(message: Envelope): Promise<void>;
  /** Switches the theme variables. */
  theme(name: keyof typeof themes): Promise<void>;
  close(): Promise<void>;
}

function themeCss(name: keyof typeof themes): string {
  return `:root{${Object.entries(themes[name])
    .map(([k, v]) => `--vscode-${k}:${v}`)
    .join(';')}}`;
}

let browser: Browser | undefined;

/** Opens the named bundle (dist/webview/NAME.js and .css) in a fresh page. */
export async function openWebview(name: string, size = { width: 1300, height: 800 }): Promise<FakeHostPage> {
  browser ??= await launchChromium();
  const dir = join(repoRoot, 'test-output', 'webview');
  mkdirSync(dir, { recursive: true });
  const dist = join(repoRoot, 'dist', 'webview');
  const html = join(dir, `${name}.html`);
  writeFileSync(
    html,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><style id="theme">${themeCss('dark')}</style>
<link rel="stylesheet" href="${pathToFileURL(join(dist, `${name}.css`))}">
<script>
  window.__sent = []; let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__sent.push(JSON.parse(JSON.stringify(m))), getState: () => state, setState: (s) => { state = s; } });
</script></head><body><div id="app"></div><script src="${pathToFileURL(join(dist, `${name}.js`))}"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: size });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(html).href);
  return {
    page,
    sent: () => page.evaluate(() => (window as unknown as { __sent: Envelope[] }).__sent),
    async deliver(m) {
      // Large messages go through a script file: the devtools protocol limits one evaluate's size.
      const file = join(dir, `message-${Date.now()}-${Math.random().toString(36).slice(2)}.js`);
      writeFileSync(file, `window.postMessage(${JSON.stringify(m)}, '*');`);
      await page.addScriptTag({ url: pathToFileURL(file).href });
      rmSync(file);
    },
    // As VS Code switches: new --vscode-* values, and the body's theme class.
    theme: (t) =>
      page.evaluate(
        ([css, kind]) => {
          document.getElementById('theme')!.textContent = css;
          document.body.className = kind;
        },
        [themeCss(t), { dark: 'vscode-dark', light: 'vscode-light', highContrast: 'vscode-high-contrast' }[t]] as const,
      ),
    async close() {
      await page.close();
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    },
  };
}

/** Closes the shared browser (call from a root after hook). */
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}
