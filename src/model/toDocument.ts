// Spans back to X-Ray segment documents: what the local X-Ray stores and serves through
// BatchGetTraces, so OTel spans read back through any X-Ray client like ADOT-exported ones.
import type { Span, StackFrame } from './trace';

type Obj = Record<string, unknown>;

/** The metadata namespace that carries an OTel span's kind, name and attributes through X-Ray's format. */
export const otelMetadataNamespace = 'otel';

const defined = (o: Obj): Obj => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};

const frame = (f: StackFrame): Obj => defined({ path: f.path, line: f.line, label: f.label });

/** The segment document of a span and its subsegments (without trace_id below the top). */
export function toSegmentDocument(s: Span, top = true): Obj {
  const metadata: Obj = { ...s.metadata };
  if (s.spanKind !== undefined || s.attributes !== undefined) {
    metadata[otelMetadataNamespace] = defined({ 'span.kind': s.spanKind, name: s.otelName, attributes: s.attributes });
  }
  return defined({
    trace_id: top ? s.traceId : undefined,
    id: s.id,
    name: s.name,
    type: top && s.type === 'subsegment' ? 'subsegment' : undefined,
    parent_id: top || s.type === 'segment' ? s.parentId : undefined,
    start_time: s.startTime,
    end_time: s.endTime,
    in_progress: s.inProgress ? true : undefined,
    error: s.error || undefined,
    fault: s.fault || undefined,
    throttle: s.throttle || undefined,
    namespace: s.namespace,
    origin: s.origin,
    user: s.user,
    resource_arn: s.resourceArn,
    http:
      s.http &&
      defined({
        request:
          s.http.request &&
          defined({
            method: s.http.request.method,
            url: s.http.request.url,
            user_agent: s.http.request.userAgent,
            client_ip: s.http.request.clientIp,
            x_forwarded_for: s.http.request.xForwardedFor,
            traced: s.http.request.traced,
          }),
        response:
          s.http.response && defined({ status: s.http.response.status, content_length: s.http.response.contentLength }),
      }),
    aws: s.aws,
    sql: s.sql,
    service: s.service,
    annotations: Object.keys(s.annotations).length ? s.annotations : undefined,
    metadata: Object.keys(metadata).length ? metadata : undefined,
    cause:
      s.cause &&
      (s.cause.exceptionId !== undefined && s.cause.exceptions.length === 0
        ? s.cause.exceptionId
        : defined({
            working_directory: s.cause.workingDirectory,
            paths: s.cause.paths,
            exceptions: s.cause.exceptions.map((e) =>
              defined({
                id: e.id,
                message: e.message,
                type: e.type,
                remote: e.remote,
                truncated: e.truncated,
                skipped: e.skipped,
                cause: e.cause,
                stack: e.stack.map(frame),
              }),
            ),
          })),
    precursor_ids: s.precursorIds,
    subsegments: s.subsegments.length ? s.subsegments.map((c) => toSegmentDocument(c, false)) : undefined,
  });
}
