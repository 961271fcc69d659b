// The static shell every Trace Lens webview loads: no data inlined (it arrives over the protocol),
// a strict CSP with a per-load nonce, and scripts and styles from dist/webview only.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** 128 bits from the system's CSPRNG: a script nonce must not be guessable. */
function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** What a view needs beyond the default policy. */
export interface WebviewShellOptions {
  /** The view starts a Worker from a blob: URL (its code is bundled into the view's script). */
  readonly worker?: boolean;
}

/** The HTML of webview `name` (dist/webview/NAME.js and .css) with a strict CSP. */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  name: string,
  title: string,
  options: WebviewShellOptions = {},
): string {
  const n = nonce();
  const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(base, `${name}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(base, `${name}.css`));
  const csp = [
    `default-src 'none'`,
    `style-src ${webview.cspSource} 'nonce-${n}'`,
    `script-src 'nonce-${n}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ];
  if (options.worker) csp.push('worker-src blob:');
  const escaped = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp.join('; ')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${n}">
<title>${escaped}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
