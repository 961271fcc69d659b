// The one typed message protocol between the extension host and its webviews: request and
// notification descriptors, the envelopes that carry them, and validation of what arrives.
// No vscode, node or DOM here: both sides import it.

/** A request the other side answers with R, or with an error. */
export interface RequestType<P, R> {
  readonly kind: 'request';
  readonly method: string;
  /** Phantom fields that carry the types; never set. */
  readonly _params?: P;
  readonly _result?: R;
}

/** A one-way message. */
export interface NotificationType<P> {
  readonly kind: 'notification';
  readonly method: string;
  readonly _params?: P;
}

/** Declares a request. */
export function request<P, R>(method: string): RequestType<P, R> {
  return { kind: 'request', method };
}

/** Declares a notification. */
export function notification<P>(method: string): NotificationType<P> {
  return { kind: 'notification', method };
}

/** What travels over postMessage. */
export type Envelope =
  | {
      readonly rpc: 1;
      readonly type: 'request';
      readonly id: number;
      readonly method: string;
      readonly params: unknown;
    }
  | { readonly rpc: 1; readonly type: 'response'; readonly id: number; readonly result: unknown }
  | { readonly rpc: 1; readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly rpc: 1; readonly type: 'notification'; readonly method: string; readonly params: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the envelope's shape (not its params: each handler validates those); returns why not, or undefined. */
export function envelopeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not an object';
  if (v.rpc !== 1) return 'not a Trace Lens message';
  switch (v.type) {
    case 'request':
      if (!Number.isSafeInteger(v.id)) return 'request without an integer id';
      if (typeof v.method !== 'string' || !v.method) return 'request without a method';
      return undefined;
    case 'response':
      return Number.isSafeInteger(v.id) ? undefined : 'response without an integer id';
    case 'error':
      if (!Number.isSafeInteger(v.id)) return 'error without an integer id';
      return typeof v.message === 'string' ? undefined : 'error without a message';
    case 'notification':
      return typeof v.method === 'string' && v.method ? undefined : 'notification without a method';
    default:
      return `unknown message type ${JSON.stringify(v.type)}`;
  }
}

/** A transport: send one envelope, and subscribe to the ones that arrive. */
export interface Transport {
  send(message: Envelope): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

/** A request handler's answer; throwing sends the message back as an error. */
type Handler = (params: unknown) => unknown;

/**
 * Both ends of the protocol over one transport: sends requests and awaits their answers,
 * dispatches incoming requests and notifications to handlers, and reports what it could not use.
 */
export class Endpoint {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly handlers = new Map<string, Handler>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly transport: Transport,
    private readonly onProblem: (problem: string) => void = () => undefined,
  ) {
    this.unsubscribe = transport.onMessage((m) => this.receive(m));
  }

  /** Sends a request; resolves with the answer or rejects with the other side's error. */
  request<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.transport.send({ rpc: 1, type: 'request', id, method: type.method, params });
    });
  }

  /** Sends a notification. */
  notify<P>(type: NotificationType<P>, params: P): void {
    this.transport.send({ rpc: 1, type: 'notification', method: type.method, params });
  }

  /** Handles a request or notification; the handler validates its params. */
  on<P, R>(type: RequestType<P, R>, handler: (params: unknown) => R | Promise<R>): void;
  on<P>(type: NotificationType<P>, handler: (params: unknown) => void): void;
  on(type: { method: string }, handler: Handler): void {
    this.handlers.set(type.method, handler);
  }

  /** Stops listening and fails whatever is still waiting for an answer. */
  dispose(): void {
    this.unsubscribe();
    for (const p of this.pending.values()) p.reject(new Error('the view was closed'));
    this.pending.clear();
  }

  private receive(raw: unknown): void {
    const problem = envelopeProblem(raw);
    if (problem) {
      this.onProblem(`ignored a message: ${problem}`);
      return;
    }
    const m = raw as Envelope;
    if (m.type === 'response' || m.type === 'error') {
      const waiting = this.pending.get(m.id);
      if (!waiting) return this.onProblem(`ignored an answer to unknown request ${m.id}`);
      this.pending.delete(m.id);
      if (m.type === 'response') waiting.resolve(m.result);
      else waiting.reject(new Error(m.message));
      return;
    }
    const handler = this.handlers.get(m.method);
    if (m.type === 'notification') {
      if (!handler) return this.onProblem(`ignored unknown notification ${m.method}`);
      try {
        handler(m.params);
      } catch (e) {
        this.onProblem(`notification ${m.method} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    const { id, method } = m;
    const fail = (e: unknown) =>
      this.transport.send({ rpc: 1, type: 'error', id, message: e instanceof Error ? e.message : String(e) });
    if (!handler) {
      this.onProblem(`unknown request ${method}`);
      return fail(new Error(`unknown request ${method}`));
    }
    try {
      Promise.resolve(handler(m.params)).then(
        (result) => this.transport.send({ rpc: 1, type: 'response', id, result }),
        fail,
      );
    } catch (e) {
      fail(e);
    }
  }
}
