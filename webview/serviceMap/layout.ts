// The view's side of the layout: sizes the nodes and labels from their text, and runs elk in a
// Worker started from the bundled worker code (the CSP allows worker-src blob: and nothing to fetch).
import workerCode from 'worker-text:./layoutWorker.ts';
import type { LayoutEdgeIn, LayoutNodeIn, LayoutRequest, LayoutResult } from './layoutTypes';

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, (r: LayoutResult) => void>();

function start(): Worker {
  const url = URL.createObjectURL(new Blob([workerCode], { type: 'text/javascript' }));
  const w = new Worker(url);
  w.onmessage = (e: MessageEvent<LayoutResult>) => {
    const done = waiting.get(e.data.id);
    waiting.delete(e.data.id);
    done?.(e.data);
  };
  w.onerror = (e) => {
    // A worker that failed to start answers nothing: fail what waits rather than hang the view.
    for (const [id, done] of waiting)
      done({ id, nodes: [], edges: [], width: 0, height: 0, elkMs: 0, error: e.message || 'the layout worker failed' });
    waiting.clear();
  };
  return w;
}

/** Lays the nodes and edges out in the worker; resolves with positions (or an error in the result). */
export function layoutInWorker(nodes: readonly LayoutNodeIn[], edges: readonly LayoutEdgeIn[]): Promise<LayoutResult> {
  worker ??= start();
  const id = nextId++;
  const req: LayoutRequest = { id, nodes, edges };
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker!.postMessage(req);
  });
}

let ctx: CanvasRenderingContext2D | null | undefined;

/** Width in px of text in the given CSS font (a canvas measures without touching the layout). */
export function textWidth(text: string, font: string): number {
  ctx ??= document.createElement('canvas').getContext('2d');
  if (!ctx) return text.length * 7;
  ctx.font = font;
  return ctx.measureText(text).width;
}
