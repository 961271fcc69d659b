// The services a workspace is, as X-Ray will name their segments: Lambda function and API names
// from templates and serverless.yml, segment names given in code (X-Ray SDKs), and OpenTelemetry's
// `service.name` from environment files, Dockerfiles, compose and Kubernetes files, properties and
// code. The sidebar builds its default filter from them.
import { familyOf, languageOf } from '../instrumentation/language';
import { C, Kind, TokenList } from './tokenList';
import { readTemplate, templateKind, type Template } from './templates';
import { at, literal, parseYaml } from './yaml';

/** A service name the workspace declares, and where. */
export interface DetectedService {
  /** The name; unknown parts are `*` when only a pattern is known (`*-OrdersFunction-*`). */
  readonly name: string;
  /** An anchored RegExp source for the full segment name, when the name is only partly known. */
  readonly pattern?: string;
  /** The file, as given. */
  readonly source: string;
  /** 1-based. */
  readonly line: number;
  /** How the name was found, in words. */
  readonly how: string;
}

/** A readable form of an anchored name pattern: unknown parts as `*`. */
function globOf(pattern: string): string {
  return pattern
    .replace(/^\^|\$$/g, '')
    .replace(/\[A-Za-z0-9\]\+|\[\^\/\]\+|\.\+/g, '*')
    .replace(/\\(.)/g, '$1');
}

function fromTemplate(t: Template): DetectedService[] {
  const out: DetectedService[] = [];
  for (const fn of t.functions) {
    const line = fn.line;
    if (fn.functionName)
      out.push({
        name: fn.functionName,
        source: t.path,
        line,
        how:
          t.kind === 'serverless'
            ? `Lambda function ${fn.id} (name in serverless.yml)`
            : `Lambda function ${fn.id} (FunctionName)`,
      });
    else if (fn.namePattern) {
      const how = fn.generatedName
        ? `Lambda function ${fn.id}: CloudFormation names it \${stackName}-${fn.id}-\${suffix}`
        : t.kind === 'serverless'
          ? `Lambda function ${fn.id}: Serverless names it \${service}-\${stage}-${fn.id}`
          : `Lambda function ${fn.id} (FunctionName, partly literal)`;
      out.push({ name: globOf(fn.namePattern), pattern: fn.namePattern, source: t.path, line, how });
    }
  }
  // X-Ray traces REST APIs only (HTTP APIs send no segments); a stage's segment is `${api}/${stage}`.
  for (const api of t.apis) {
    if (api.kind !== 'rest') continue;
    const name =
      api.name !== undefined
        ? api.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
        : api.namePattern?.replace(/^\^|\$$/g, '');
    if (name === undefined) continue;
    const stages = api.stages === 'any' || api.stages.length === 0 ? undefined : api.stages;
    for (const stage of stages ?? [undefined]) {
      const pattern = `^${name}/${stage !== undefined ? stage.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : '[^/]+'}$`;
      const exact = api.name !== undefined && stage !== undefined;
      out.push({
        name: exact ? `${api.name}/${stage}` : globOf(pattern),
        ...(exact ? {} : { pattern }),
        source: t.path,
        line: api.line,
        how: `API Gateway REST API ${api.id} stage`,
      });
    }
  }
  return out;
}

// Calls that name a segment or a service: callee → the argument (position or keyword) and how.
const namingCalls: ReadonlyMap<
  string,
  readonly { arg: number | string; how: string; receiver?: RegExp; isNew?: boolean }[]
> = new Map(
  Object.entries({
    openSegment: [{ arg: 0, how: 'X-Ray SDK middleware openSegment()' }],
    setDefaultName: [{ arg: 0, how: 'X-Ray SDK setDefaultName()' }],
    Segment: [{ arg: 0, how: 'X-Ray SDK new Segment()', isNew: true }],
    begin_segment: [
      { arg: 0, how: 'X-Ray SDK begin_segment()' },
      { arg: 'name', how: 'X-Ray SDK begin_segment()' },
    ],
    configure: [{ arg: 'service', how: 'X-Ray SDK xray_recorder.configure(service=…)' }],
    beginSegment: [{ arg: 0, how: 'X-Ray SDK beginSegment()' }],
    AWSXRayServletFilter: [{ arg: 0, how: 'X-Ray SDK AWSXRayServletFilter', isNew: true }],
    fixed: [{ arg: 0, how: 'X-Ray SDK SegmentNamingStrategy.fixed()', receiver: /SegmentNamingStrategy$/ }],
    NewFixedSegmentNamer: [{ arg: 0, how: 'X-Ray SDK NewFixedSegmentNamer()' }],
    BeginSegment: [{ arg: 1, how: 'X-Ray SDK BeginSegment()' }],
    UseXRay: [{ arg: 0, how: 'X-Ray SDK UseXRay()' }],
    ServiceName: [{ arg: 0, how: 'OpenTelemetry semconv.ServiceName()', receiver: /semconv\w*$/ }],
    String: [{ arg: 0, how: 'OpenTelemetry ServiceNameKey.String()', receiver: /ServiceNameKey$/ }],
    AddService: [
      { arg: 0, how: 'OpenTelemetry AddService()' },
      { arg: 'serviceName', how: 'OpenTelemetry AddService()' },
    ],
  }),
);

// Keys whose value is the service name: `'service.name': 'x'`, `[ATTR_SERVICE_NAME]: 'x'`,
// `env.OTEL_SERVICE_NAME = 'x'`, `put("service.name", "x")`, `Attributes.of(SERVICE_NAME, "x")`.
// The descriptions are built, not written after their keys, so this table does not read as
// service names itself.
const RESOURCE = 'OpenTelemetry resource attribute service.name';
const inCode = (key: string) => `${key} set in code`;
const nameKeys: ReadonlyMap<string, string> = new Map([
  ['service.name', RESOURCE],
  ['ATTR_SERVICE_NAME', RESOURCE],
  ['SEMRESATTRS_SERVICE_NAME', RESOURCE],
  ['SERVICE_NAME', RESOURCE],
  ['OTEL_SERVICE_NAME', inCode('OTEL_SERVICE_NAME')],
  ['otel.service.name', inCode('otel.service.name')],
  ['AWS_XRAY_TRACING_NAME', inCode('AWS_XRAY_TRACING_NAME')],
  ['serviceName', inCode('NodeSDK serviceName')],
]);

function fromCode(path: string, text: string): DetectedService[] {
  const language = languageOf(path);
  if (!language) return [];
  const family = familyOf(language);
  const t = new TokenList(text, family);
  const out: DetectedService[] = [];
  const push = (i: number, how: string) => {
    const name = t.str(i);
    if (name) out.push({ name, source: path, line: t.line[i]!, how });
  };
  // `serviceName:` counts only inside `new NodeSDK({…})`.
  const nodeSdk: [number, number][] = [];
  for (let i = 0; i < t.count; i++) {
    if (t.ident(i, 'NodeSDK') && t.punct(i + 1, C.lparen) && t.match[i + 1]! > i)
      nodeSdk.push([i + 1, t.match[i + 1]!]);
  }
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] === Kind.Ident && t.punct(i + 1, C.lparen)) {
      const specs = namingCalls.get(t.tok(i));
      if (!specs) continue;
      const receiver = t.punct(i - 1, C.dot) ? t.chainEndingAt(i - 2).join('.') : '';
      const isNew =
        t.ident(i - 1, 'new') || (t.punct(i - 1, C.dot) && t.ident(i - 1 - 2 * t.chainEndingAt(i - 2).length, 'new'));
      const args = t.args(i + 1);
      for (const s of specs) {
        if (s.receiver && !s.receiver.test(receiver)) continue;
        if (s.isNew && !isNew) continue;
        const r = typeof s.arg === 'number' ? t.positional(args)[s.arg] : t.kwarg(args, s.arg);
        if (r && r[1] - r[0] === 1 && t.kind[r[0]] === Kind.Str) {
          push(r[0], s.how);
          break;
        }
      }
      continue;
    }
    const key = t.kind[i] === Kind.Str ? t.str(i) : t.kind[i] === Kind.Ident ? t.tok(i) : undefined;
    if (key === undefined || !nameKeys.has(key)) continue;
    if (key === 'serviceName' && !nodeSdk.some(([a, b]) => a < i && i < b)) continue;
    let j = i + 1;
    while ((t.punct(j, C.rbracket) || t.punct(j, C.rparen)) && j < i + 3) j++;
    if (!(t.punct(j, C.colon) || t.punct(j, C.comma) || t.punct(j, C.eq))) continue;
    if (t.kind[j + 1] === Kind.Str && !t.punct(j + 2, C.dot) && !t.punct(j + 2, C.lparen))
      push(j + 1, nameKeys.get(key)!);
  }
  return out;
}

const envNames = 'OTEL_SERVICE_NAME|AWS_XRAY_TRACING_NAME|otel\\.service\\.name|spring\\.application\\.name';
const assignment = new RegExp(
  `(?:^|[\\s"'\`{,;-]|-D|export\\s+)(${envNames})["']?\\s*[=:]\\s*("[^"\\n]*"|'[^'\\n]*'|[^\\s"',;#}]+)`,
);
const dockerEnv = new RegExp(`^\\s*ENV\\s+(${envNames})\\s+("[^"\\n]*"|'[^'\\n]*'|\\S+)`, 'i');
const resourceAttributes = /(?:OTEL_RESOURCE_ATTRIBUTES|otel\.resource\.attributes)["']?\s*[=:]\s*["']?([^"'\s]+)/;
const k8sName = new RegExp(`^\\s*-?\\s*name:\\s*["']?(${envNames.split('|').slice(0, 2).join('|')})["']?\\s*$`);
const k8sValue = /^\s*value:\s*("[^"\n]*"|'[^'\n]*'|\S+)/;

const howOf = (key: string) =>
  key === 'spring.application.name'
    ? 'spring.application.name (OpenTelemetry Spring starter and Java agent default service.name)'
    : `${key} setting`;

/** A configuration value, unquoted; undefined when it is a variable or empty. */
function value(raw: string): string | undefined {
  const v = /^(["'])(.*)\1$/.exec(raw)?.[2] ?? raw;
  return v && !/[$%{}<>]/.test(v) && !/^[!&*|]/.test(v) ? v : undefined;
}

function fromSettings(path: string, text: string): DetectedService[] {
  const out: DetectedService[] = [];
  const lines = text.split('\n');
  lines.forEach((l, k) => {
    const line = k + 1;
    if (/^\s*(#|\/\/|;)/.test(l)) return;
    const m = dockerEnv.exec(l) ?? assignment.exec(l);
    const v = m && value(m[2]!);
    if (m && v) out.push({ name: v, source: path, line, how: howOf(m[1]!) });
    const attrs = resourceAttributes.exec(l);
    for (const pair of attrs?.[1]!.split(',') ?? []) {
      const [key, val] = pair.split('=');
      const v2 = val && value(val.trim());
      if (key?.trim() === 'service.name' && v2)
        out.push({ name: v2, source: path, line, how: 'OTEL_RESOURCE_ATTRIBUTES service.name' });
    }
    // Kubernetes: `- name: OTEL_SERVICE_NAME` then `value: x`.
    const n = k8sName.exec(l);
    if (n) {
      for (let j = k + 1; j < Math.min(lines.length, k + 3); j++) {
        const vm = k8sValue.exec(lines[j]!);
        const v3 = vm && value(vm[1]!);
        if (v3) {
          out.push({ name: v3, source: path, line: j + 1, how: howOf(n[1]!) });
          break;
        }
      }
    }
  });
  // Spring Boot's application.yml keeps the name nested.
  if (/(^|[\\/])application[\w-]*\.ya?ml$/.test(path)) {
    const node = at(parseYaml(text), 'spring', 'application', 'name');
    const v = value(literal(node) ?? '');
    if (node && v && !out.some((s) => s.line === node.line))
      out.push({ name: v, source: path, line: node.line, how: howOf('spring.application.name') });
  }
  return out;
}

/**
 * The services the given files declare: templates and serverless.yml (Lambda function names and REST
 * API stages), code in the languages the instrumentation index reads (X-Ray segment names, OTel
 * `service.name`), and any other file as settings (`.env`, Dockerfiles, compose, Kubernetes,
 * `.properties`, `application.yml`, package.json scripts): `OTEL_SERVICE_NAME`,
 * `AWS_XRAY_TRACING_NAME`, `otel.service.name`, `service.name` in `OTEL_RESOURCE_ATTRIBUTES`,
 * `spring.application.name`. Every occurrence is listed, sorted by file and line.
 */
export function detectServices(files: readonly { readonly path: string; readonly text: string }[]): DetectedService[] {
  const out: DetectedService[] = [];
  for (const f of files) {
    if (languageOf(f.path)) {
      out.push(...fromCode(f.path, f.text));
      continue;
    }
    if (templateKind(f.path, f.text)) {
      const t = readTemplate(f.path, f.text);
      if (t) out.push(...fromTemplate(t));
    }
    out.push(...fromSettings(f.path, f.text));
  }
  const seen = new Set<string>();
  return out
    .filter((s) => {
      const k = `${s.source}\u0000${s.line}\u0000${s.name}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.line - b.line));
}
