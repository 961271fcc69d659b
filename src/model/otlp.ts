// OTLP trace exports (JSON, or protobuf decoded to the same shape) into the X-Ray model, the way
// the ADOT X-Ray exporter maps them: a server span (or a root span) becomes its service's segment,
// every other span a subsegment of its parent; span kind and attributes are kept as sent.
import { Repairs } from './repairs';
import type { Cause, ExceptionInfo, HttpInfo, Span, StackFrame } from './trace';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OTLP's SpanKind numbers, by name. */
export const spanKinds = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;

/** The X-Ray form of a 32-hex W3C trace id: `1-` + 8 hex of epoch seconds + `-` + 24 hex. */
export function xrayTraceId(w3c: string): string {
  const h = w3c.toLowerCase();
  return `1-${h.slice(0, 8)}-${h.slice(8)}`;
}

/** Converts one OTLP AnyValue to a plain value. */
export function anyValue(v: unknown): unknown {
  if (!isObj(v)) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v)
    return isObj(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values.map(anyValue) : [];
  if ('kvlistValue' in v) return isObj(v.kvlistValue) ? attributes(v.kvlistValue.values) : {};
  if ('bytesValue' in v) return v.bytesValue;
  return undefined;
}

/** Converts an OTLP attribute list to an object. */
export function attributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isObj(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

const nanosToSeconds = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n / 1e9 : undefined;
};

/** An id as hex: OTLP/JSON writes hex, but some exporters write base64 (the proto3 JSON default). */
function idHex(v: unknown, bytes: number): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (v.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(v)) return v.toLowerCase();
  if (/^[A-Za-z0-9+/]+=*$/.test(v) && typeof atob === 'function') {
    try {
      const bin = atob(v);
      if (bin.length === bytes) return Array.from(bin, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
    } catch {
      // not base64 after all
    }
  }
  return undefined;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const first = (a: Record<string, unknown>, ...keys: string[]): unknown => {
  for (const k of keys) if (a[k] !== undefined) return a[k];
  return undefined;
};

/** Parses a stack trace string (JavaScript, Java, Python or .NET) into frames; unknown lines are kept as labels. */
export function parseStackTrace(text: string, limit = 256): StackFrame[] {
  const frames: StackFrame[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && frames.length < limit; i++) {
    const line = lines[i]!.trim();
    let m: RegExpExecArray | null;
    if ((m = /^at (?:(.+?) \()?(.+?):(\d+)(?::\d+)?\)?$/.exec(line))) {
      frames.push({ label: m[1], path: m[2], line: Number(m[3]) });
    } else if ((m = /^at ([\w$.<>]+)\((.+?)(?::(\d+))?\)$/.exec(line))) {
      frames.push({ label: m[1], path: m[2], line: m[3] ? Number(m[3]) : undefined });
    } else if ((m = /^File "(.+)", line (\d+)(?:, in (.+))?$/.exec(line))) {
      frames.push({ path: m[1], line: Number(m[2]), label: m[3] });
    } else if ((m = /^at (.+?) in (.+):line (\d+)$/.exec(line))) {
      frames.push({ label: m[1], path: m[2], line: Number(m[3]) });
    }
  }
  return frames;
}

function exceptionsOf(events: unknown): ExceptionInfo[] {
  if (!Array.isArray(events)) return [];
  const out: ExceptionInfo[] = [];
  for (const e of events) {
    if (!isObj(e) || e.name !== 'exception') continue;
    const a = attributes(e.attributes);
    const stack = str(a['exception.stacktrace']);
    out.push({
      type: str(a['exception.type']),
      message: str(a['exception.message']),
      stack: stack ? parseStackTrace(stack) : [],
    });
  }
  return out;
}

function httpOf(a: Record<string, unknown>): HttpInfo | undefined {
  const method = str(first(a, 'http.request.method', 'http.method'));
  let url = str(first(a, 'url.full', 'http.url'));
  if (!url) {
    const target = str(first(a, 'http.target', 'url.path'));
    const host = str(first(a, 'server.address', 'http.host', 'net.host.name'));
    const scheme = str(first(a, 'url.scheme', 'http.scheme')) ?? 'http';
    const port = str(first(a, 'server.port', 'net.host.port'));
    if (target && host)
      url = `${scheme}://${host}${port && !host.includes(':') ? `:${port}` : ''}${target}${str(a['url.query']) ? `?${str(a['url.query'])}` : ''}`;
    else if (target) url = target;
  }
  const statusRaw = first(a, 'http.response.status_code', 'http.status_code');
  const status =
    typeof statusRaw === 'number' ? statusRaw : typeof statusRaw === 'string' ? Number(statusRaw) : undefined;
  if (!method && !url && status === undefined) return undefined;
  return {
    request: {
      method,
      url,
      userAgent: str(first(a, 'user_agent.original', 'http.user_agent')),
      clientIp: str(first(a, 'client.address', 'http.client_ip')),
    },
    response: status !== undefined && Number.isFinite(status) ? { status } : undefined,
  };
}

/** Converts an OTLP trace export (the JSON shape) into spans; one bad span never stops the rest. */
export function convertOtlpTraces(body: unknown, repairs: Repairs): Span[] {
  const out: Span[] = [];
  if (!isObj(body)) {
    repairs.error('OTLP body is not a JSON object');
    return out;
  }
  const resourceList = body.resourceSpans;
  if (!Array.isArray(resourceList)) {
    repairs.error('OTLP body has no resourceSpans array');
    return out;
  }
  for (const rs of resourceList) {
    if (!isObj(rs)) continue;
    const resource = attributes(isObj(rs.resource) ? rs.resource.attributes : undefined);
    const service = str(resource['service.name']) ?? 'unknown_service';
    const scopes = Array.isArray(rs.scopeSpans)
      ? rs.scopeSpans
      : Array.isArray(rs.instrumentationLibrarySpans)
        ? rs.instrumentationLibrarySpans
        : [];
    for (const ss of scopes) {
      if (!isObj(ss) || !Array.isArray(ss.spans)) continue;
      for (let i = 0; i < ss.spans.length; i++) {
        const s = convertSpan(ss.spans[i], service, resource, repairs, `span ${i} of ${service}`);
        if (s) out.push(s);
      }
    }
  }
  return out;
}

function convertSpan(
  raw: unknown,
  service: string,
  resource: Record<string, unknown>,
  repairs: Repairs,
  where: string,
): Span | undefined {
  if (!isObj(raw)) {
    repairs.error('OTLP span is not an object, left out', where);
    return undefined;
  }
  const traceHex = idHex(raw.traceId, 16);
  const id = idHex(raw.spanId, 8);
  if (!traceHex || !id) {
    repairs.error('OTLP span without a valid traceId or spanId, left out', where);
    return undefined;
  }
  const parentId = idHex(raw.parentSpanId, 8);
  const startTime = nanosToSeconds(raw.startTimeUnixNano);
  if (startTime === undefined) {
    repairs.error('OTLP span without a start time, left out', where);
    return undefined;
  }
  let endTime = nanosToSeconds(raw.endTimeUnixNano);
  if (endTime !== undefined && endTime < startTime) {
    repairs.note('OTLP span ends before it starts: shown as in progress', where);
    endTime = undefined;
  }
  const kindNum =
    typeof raw.kind === 'number'
      ? raw.kind
      : typeof raw.kind === 'string'
        ? spanKinds.indexOf(raw.kind.replace(/^SPAN_KIND_/, '') as (typeof spanKinds)[number])
        : 0;
  const spanKind = spanKinds[kindNum] ?? 'UNSPECIFIED';
  const attrs = attributes(raw.attributes);
  const name = str(raw.name) || '(unnamed)';
  const isSegment = spanKind === 'SERVER' || spanKind === 'CONSUMER' || parentId === undefined;
  const http = httpOf(attrs);
  const status = http?.response?.status;
  const statusCode = isObj(raw.status) ? raw.status.code : undefined;
  const isError = statusCode === 2 || statusCode === 'STATUS_CODE_ERROR';
  const throttle = status === 429;
  const error = throttle || (status !== undefined && status >= 400 && status < 500);
  const fault = (status !== undefined && status >= 500) || (isError && !error);
  const exceptions = exceptionsOf(raw.events);
  const cause: Cause | undefined = exceptions.length
    ? { exceptions }
    : isError && isObj(raw.status) && str(raw.status.message)
      ? { exceptions: [{ message: str(raw.status.message), stack: [] }] }
      : undefined;
  const rpcSystem = str(attrs['rpc.system']);
  const dbSystem = str(first(attrs, 'db.system.name', 'db.system'));
  let namespace: string | undefined;
  let subName = name;
  let aws: Record<string, unknown> | undefined;
  let sql: Record<string, unknown> | undefined;
  if (rpcSystem === 'aws-api') {
    namespace = 'aws';
    subName = str(attrs['rpc.service']) ?? name;
    aws = {
      operation: str(attrs['rpc.method']),
      region: str(first(attrs, 'cloud.region', 'aws.region')),
      request_id: str(attrs['aws.request_id']),
    };
  } else if (dbSystem) {
    namespace = 'remote';
    sql = {
      database_type: dbSystem,
      sanitized_query: str(first(attrs, 'db.query.text', 'db.statement')),
      url: str(first(attrs, 'server.address', 'net.peer.name')),
      user: str(attrs['db.user']),
    };
  } else if (spanKind === 'CLIENT' || spanKind === 'PRODUCER') {
    namespace = 'remote';
  }
  const resourceArn = str(first(resource, 'cloud.resource_id', 'aws.ecs.task.arn', 'faas.id'));
  const origin = originOf(resource);
  return {
    id,
    traceId: xrayTraceId(traceHex),
    name: isSegment ? service : subName,
    otelName: isSegment || subName !== name ? name : undefined,
    type: isSegment ? 'segment' : 'subsegment',
    parentId,
    startTime,
    endTime,
    inProgress: endTime === undefined,
    error,
    fault,
    throttle,
    namespace: isSegment ? undefined : namespace,
    origin: isSegment ? origin : undefined,
    user: str(first(attrs, 'enduser.id', 'user.id')),
    resourceArn: isSegment ? resourceArn : undefined,
    http,
    aws,
    sql,
    service: isSegment
      ? {
          name: service,
          version: str(resource['service.version']),
          runtime: str(resource['process.runtime.name']),
          runtime_version: str(resource['process.runtime.version']),
        }
      : undefined,
    annotations: {},
    metadata: {},
    cause,
    spanKind,
    attributes: attrs,
    subsegments: [],
    flags: endTime === undefined ? ['in-progress'] : [],
  };
}

function originOf(resource: Record<string, unknown>): string | undefined {
  switch (resource['cloud.platform']) {
    case 'aws_lambda':
      return 'AWS::Lambda::Function';
    case 'aws_ec2':
      return 'AWS::EC2::Instance';
    case 'aws_ecs':
      return 'AWS::ECS::Container';
    case 'aws_eks':
      return 'AWS::EKS::Container';
    case 'aws_elastic_beanstalk':
      return 'AWS::ElasticBeanstalk::Environment';
    default:
      return undefined;
  }
}
