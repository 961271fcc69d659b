// The webview's end of the protocol: an Endpoint over VS Code's webview messaging.
import { Endpoint, type Envelope } from '../../src/protocol/rpc';

interface VsCodeApi {
  postMessage(message: Envelope): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

/** The connection to the extension host; problems are reported to the console. */
export const host = new Endpoint(
  {
    send: (m) => api.postMessage(m),
    onMessage(listener) {
      const h = (e: MessageEvent) => listener(e.data);
      window.addEventListener('message', h);
      return () => window.removeEventListener('message', h);
    },
  },
  (problem) => console.warn(`[trace-lens] ${problem}`),
);

/** The view state VS Code keeps across hide and reload. */
export const viewState = { get: () => api.getState(), set: (s: unknown) => api.setState(s) };
