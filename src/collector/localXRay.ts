// The local X-Ray: the daemon's UDP receiver, an OTLP/HTTP receiver and the X-Ray API server over
// one store. Each listener starts on its own, so a taken port costs that listener, not the rest.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeOtlpTraceRequest, ProtobufError } from '../model/otlpProtobuf';
import { BodyError, readBody } from './httpBody';
import { Ingest } from './ingest';
import type { TraceStore } from './store';
import { ApiError, XRayApi } from './xrayApi';

/** Where each listener binds; port 0 picks a free one. */
export interface LocalXRayOptions {
  readonly udp: { host: string; port: number } | false;
  readonly api: { host: string; port: number } | false;
  readonly otlp: { host: string; port: number } | false;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Called after each batch is stored. */
  readonly onStored?: (traceIds: string[], stored: number) => void;
  /**
   * How long a taken port is tried again before it is reported (default 0). The extension waits:
   * after a window reload the old extension host may still be letting go of the same ports.
   */
  readonly bindRetryMs?: number;
}

/** One listener's state. */
export type ListenerState =
  | { state: 'listening'; address: string; port: number }
  | { state: 'failed'; message: string; code?: string }
  | { state: 'off' };

/** The listeners' states after start. */
export interface LocalXRayStatus {
  readonly udp: ListenerState;
  readonly api: ListenerState;
  readonly otlp: ListenerState;
}

/** The default addresses: the X-Ray daemon's and OTLP/HTTP's. */
export const defaultPorts = { udp: 2000, api: 2000, otlp: 4318 } as const;

function bindMessage(what: string, host: string, port: number, e: NodeJS.ErrnoException): string {
  if (e.code === 'EADDRINUSE') {
    return `${what} port ${host}:${port} is already in use${port === 2000 ? ' (is an X-Ray daemon running?)' : ''}; stop that process or choose another port`;
  }
  if (e.code === 'EACCES') return `${what} port ${host}:${port} needs privileges; choose a port above 1024`;
  if (e.code === 'EADDRNOTAVAIL') return `${what} address ${host} is not an address of this machine`;
  return `${what} could not listen on ${host}:${port}: ${e.message}`;
}

/** The running local X-Ray. */
export class LocalXRay {
  readonly ingest: Ingest;
  readonly api: XRayApi;
  private udp?: Socket;
  private apiServer?: Server;
  private otlpServer?: Server;
  private status: LocalXRayStatus = { udp: { state: 'off' }, api: { state: 'off' }, otlp: { state: 'off' } };
  private readonly log: NonNullable<LocalXRayOptions['log']>;
  private readonly maxBody: number;

  constructor(
    readonly store: TraceStore,
    private readonly options: LocalXRayOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
    this.ingest = new Ingest(store, { onStored: options.onStored, onProblem: (m) => this.log('warn', m) });
    this.api = new XRayApi(store, this.ingest);
  }

  /** Starts every configured listener; resolves with their states (never rejects for a taken port). */
  async start(): Promise<LocalXRayStatus> {
    const udpAt = this.options.udp;
    const apiAt = this.options.api;
    const otlpAt = this.options.otlp;
    const [udp, api, otlp] = await Promise.all([
      udpAt ? this.retryTaken(() => this.startUdp(udpAt)) : ({ state: 'off' } as const),
      apiAt
        ? this.retryTaken(() => this.startHttp('X-Ray API', apiAt, (req, res) => this.serveApi(req, res))).then(
            ([s, srv]) => ((this.apiServer = srv), s),
          )
        : ({ state: 'off' } as const),
      otlpAt
        ? this.retryTaken(() => this.startHttp('OTLP', otlpAt, (req, res) => this.serveOtlp(req, res))).then(
            ([s, srv]) => ((this.otlpServer = srv), s),
          )
        : ({ state: 'off' } as const),
    ]);
    this.status = { udp, api, otlp };
    for (const [name, s] of Object.entries(this.status) as [string, ListenerState][]) {
      if (s.state === 'listening') this.log('info', `local X-Ray ${name} listening on ${s.address}:${s.port}`);
      else if (s.state === 'failed') this.log('error', s.message);
    }
    return this.status;
  }

  /** Binds, and binds again every 250 ms while the port is taken, for up to bindRetryMs. */
  private async retryTaken<T extends ListenerState | [ListenerState, Server | undefined]>(
    bind: () => Promise<T>,
  ): Promise<T> {
    const until = Date.now() + (this.options.bindRetryMs ?? 0);
    for (;;) {
      const r = await bind();
      const s: ListenerState = Array.isArray(r) ? r[0] : (r as ListenerState);
      if (s.state !== 'failed' || s.code !== 'EADDRINUSE' || Date.now() >= until) return r;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The listeners' states. */
  get state(): LocalXRayStatus {
    return this.status;
  }

  private startUdp(at: { host: string; port: number }): Promise<ListenerState> {
    return new Promise((resolve) => {
      const sock = createSocket({ type: at.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 * 1024 * 1024 });
      sock.once('error', (e: NodeJS.ErrnoException) => {
        sock.close();
        resolve({ state: 'failed', message: bindMessage('UDP', at.host, at.port, e), code: e.code });
      });
      sock.bind(at.port, at.host, () => {
        sock.removeAllListeners('error');
        sock.on('error', (e) => this.log('error', `UDP receiver: ${e.message}`));
        sock.on('message', (msg, rinfo) => this.ingest.datagram(msg, `UDP from ${rinfo.address}:${rinfo.port}`));
        this.udp = sock;
        const a = sock.address();
        resolve({ state: 'listening', address: a.address, port: a.port });
      });
    });
  }

  private startHttp(
    what: string,
    at: { host: string; port: number },
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<[ListenerState, Server | undefined]> {
    return new Promise((resolve) => {
      const srv = createServer((req, res) => {
        try {
          handler(req, res);
        } catch (e) {
          this.log('error', `${what}: ${e instanceof Error ? e.stack : String(e)}`);
          if (!res.headersSent) res.writeHead(500).end();
        }
      });
      srv.requestTimeout = 60_000;
      srv.headersTimeout = 30_000;
      srv.once('error', (e: NodeJS.ErrnoException) =>
        resolve([{ state: 'failed', message: bindMessage(what, at.host, at.port, e), code: e.code }, undefined]),
      );
      srv.listen(at.port, at.host, () => {
        srv.removeAllListeners('error');
        srv.on('error', (e) => this.log('error', `${what}: ${e.message}`));
        const a = srv.address() as AddressInfo;
        resolve([{ state: 'listening', address: a.address, port: a.port }, srv]);
      });
    });
  }

  private async serveApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const sendError = (e: ApiError) => {
      res.writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.type });
      res.end(JSON.stringify({ __type: e.type, message: e.message }));
    };
    if (req.method === 'GET' && (path === '/' || path === '/healthz')) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ service: 'trace-lens local X-Ray', traces: this.store.traceCount() }));
      return;
    }
    if (req.method !== 'POST')
      return sendError(
        new ApiError(405, 'UnknownOperationException', `${req.method} ${path}: the X-Ray API takes POST`),
      );
    let body: unknown;
    try {
      const buf = await readBody(req, this.maxBody);
      body = buf.length ? JSON.parse(buf.toString('utf8')) : {};
    } catch (e) {
      if (e instanceof BodyError)
        return sendError(
          new ApiError(
            e.status,
            e.status === 413 ? 'RequestEntityTooLargeException' : 'SerializationException',
            e.message,
          ),
        );
      return sendError(
        new ApiError(
          400,
          'SerializationException',
          `request body is not JSON: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
    try {
      const result = this.api.handle(path, body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (e) {
      if (e instanceof ApiError) return sendError(e);
      this.log('error', `X-Ray API ${path}: ${e instanceof Error ? e.stack : String(e)}`);
      sendError(
        new ApiError(
          500,
          'InternalFailure',
          `the local X-Ray failed on ${path}: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
  }

  private async serveOtlp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const isProto = type === 'application/x-protobuf' || type === 'application/protobuf';
    const fail = (status: number, message: string) => {
      this.log('warn', `OTLP ${path}: ${message}`);
      if (isProto) res.writeHead(status, { 'content-type': 'text/plain' }).end(message);
      else
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: status === 400 ? 3 : 13, message }));
    };
    if (path !== '/v1/traces') return fail(404, `only POST /v1/traces is served here (got ${req.method} ${path})`);
    if (req.method !== 'POST') return fail(405, `/v1/traces takes POST, not ${req.method}`);
    if (!isProto && type !== 'application/json')
      return fail(415, `unsupported Content-Type '${type}': send application/json or application/x-protobuf`);
    let body: unknown;
    try {
      const buf = await readBody(req, this.maxBody);
      body = isProto ? decodeOtlpTraceRequest(buf) : JSON.parse(buf.toString('utf8'));
    } catch (e) {
      if (e instanceof BodyError) return fail(e.status, e.message);
      if (e instanceof ProtobufError)
        return fail(400, `body is not an OTLP protobuf ExportTraceServiceRequest: ${e.message}`);
      return fail(400, `body is not OTLP JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const r = this.ingest.otlp(body, `OTLP from ${req.socket.remoteAddress}`);
    if (isProto) {
      // An empty ExportTraceServiceResponse; partial success is only reported in JSON.
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    } else {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(r.rejected ? { partialSuccess: { rejectedSpans: r.rejected, errorMessage: r.message } } : {}),
        );
    }
  }

  /** Flushes what was received and closes every listener. */
  async stop(): Promise<void> {
    this.ingest.close();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) =>
        this.apiServer ? (this.apiServer.close(() => r()), this.apiServer.closeAllConnections()) : r(),
      ),
      new Promise<void>((r) =>
        this.otlpServer ? (this.otlpServer.close(() => r()), this.otlpServer.closeAllConnections()) : r(),
      ),
    ]);
    this.udp = this.apiServer = this.otlpServer = undefined;
    this.status = { udp: { state: 'off' }, api: { state: 'off' }, otlp: { state: 'off' } };
  }
}
