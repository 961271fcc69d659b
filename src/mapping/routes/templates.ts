// Lambda functions and API Gateway routes declared in infrastructure files: SAM and CloudFormation
// templates (YAML with short-form tags, or JSON) and Serverless Framework's serverless.yml.
//
// Template: `AWS::Serverless::Function` and `AWS::Lambda::Function` (Handler, Runtime and CodeUri
// also from `Globals`, Code, InlineCode/ZipFile, FunctionName, image functions' ImageConfig), SAM
// `Api`/`HttpApi` events, and API routes declared as resources: OpenAPI bodies of
// `AWS::Serverless::Api`/`AWS::ApiGateway::RestApi` (`x-amazon-apigateway-integration`), REST
// `AWS::ApiGateway::Resource` + `Method` trees, HTTP API `AWS::ApiGatewayV2::Route` + `Integration`.
// serverless.yml: `service`, `provider.runtime`/`stage`, `functions.*.handler`/`name`/`runtime`,
// `events[].http` and `httpApi` (string and map forms).
// Not read: values computed by intrinsic functions other than `Sub`/`Join` of literals (parameters,
// conditions, imports), Serverless variables (`${self:…}`, `${opt:…}`) beyond "unknown", nested
// stacks and `DefinitionUri`/`${file(…)}` files.
import type { Route } from './route';
import { at, child, entriesOf, entry, itemsOf, literal, parseYaml, type YamlNode } from './yaml';

/** A route of an API Gateway API, as a template declares it. */
export interface ApiEvent {
  /** `Api`, `HttpApi` (SAM events), `http`, `httpApi` (serverless.yml), `OpenApi`, `RestApiMethod`, `HttpApiRoute` (resources). */
  readonly type: string;
  /** Upper-case, `ANY` for any. */
  readonly method: string;
  /** As declared: `/orders/{id}`, `/{proxy+}`, `$default`. */
  readonly path: string;
  readonly line: number;
  /** See Route.stages. */
  readonly stages?: readonly string[] | 'any';
}

/** A Lambda function a template or serverless.yml declares. */
export interface LambdaFunction {
  /** The resource's logical id, or the function's key under `functions:` in serverless.yml. */
  readonly id: string;
  readonly kind: 'sam' | 'cloudformation' | 'serverless';
  /** The file that declares it, as given. */
  readonly template: string;
  /** 1-based line of the logical id or key. */
  readonly line: number;
  /** `src/handlers/orders.handler`, `app.lambda_handler`, `com.example.Handler::handleRequest`. */
  readonly handler?: string;
  readonly handlerLine?: number;
  /** `nodejs20.x`, `python3.12`, `java21` (also from Globals or provider). */
  readonly runtime?: string;
  /** The code's folder relative to the template's folder, when it is local (not an S3 location). */
  readonly codeUri?: string;
  /** SAM esbuild builds (`Metadata.BuildProperties.EntryPoints`): the sources the handler's module is built from, relative to the code folder. */
  readonly entryPoints?: readonly string[];
  /**
   * Code written in the template (`ZipFile`, `InlineCode`): its text and the line it starts on;
   * block says its lines are the template's lines (a `|` block scalar), not folded into one string.
   */
  readonly inlineCode?: { readonly text: string; readonly line: number; readonly block: boolean };
  /** The function name when it is literal. */
  readonly functionName?: string;
  /**
   * The function name as an anchored RegExp source when only part of it is known: `!Sub
   * '${AWS::StackName}-orders'` gives `^.+-orders$`, serverless.yml's default
   * `${service}-${stage}-${key}` gives `^shop-.+-orders$`, and with no FunctionName CloudFormation
   * generates `${stackName}-${logicalId}-${suffix}`, which gives `^.+-OrdersFunction-[A-Za-z0-9]+$`.
   */
  readonly namePattern?: string;
  /** True when CloudFormation generates the name (no FunctionName): see lambdaNameMatches for truncated names. */
  readonly generatedName?: boolean;
  readonly events: readonly ApiEvent[];
}

/** An API Gateway API a template declares. */
export interface ApiDeclaration {
  readonly id: string;
  readonly kind: 'rest' | 'http';
  readonly line: number;
  /** The API's name when literal; X-Ray names a REST API stage's segment `${name}/${stage}`. */
  readonly name?: string;
  /** The name as an anchored RegExp source when only partly literal. */
  readonly namePattern?: string;
  readonly stages: readonly string[] | 'any';
}

/** What an infrastructure file declares. */
export interface Template {
  readonly kind: 'sam' | 'cloudformation' | 'serverless';
  readonly path: string;
  readonly functions: readonly LambdaFunction[];
  readonly apis: readonly ApiDeclaration[];
  /** API routes whose integration is not one of the file's functions (HTTP proxies, mocks, other stacks). */
  readonly otherRoutes: readonly ApiEvent[];
  /** serverless.yml's `service`, when literal. */
  readonly service?: { readonly name: string; readonly line: number };
}

const baseName = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Which kind of infrastructure file path and text are, from cheap checks, before any parsing. */
export function templateKind(path: string, text: string): 'cloudformation' | 'serverless' | undefined {
  const name = baseName(path).toLowerCase();
  if (/^serverless(\.[\w-]+)?\.ya?ml$/.test(name)) return 'serverless';
  if (!/\.(ya?ml|json|template)$/.test(name)) return undefined;
  if (
    /\bAWSTemplateFormatVersion\b/.test(text) ||
    /Transform["']?\s*:[^\n]*AWS::Serverless/.test(text) ||
    /^\s*-\s*AWS::Serverless/m.test(text)
  )
    return 'cloudformation';
  if (/^template\.(ya?ml|json)$/.test(name) && /\bAWS::[A-Za-z0-9]+::[A-Za-z0-9]+/.test(text)) return 'cloudformation';
  return undefined;
}

/** Reads a SAM/CloudFormation template or serverless.yml; undefined when the file is neither. */
export function readTemplate(path: string, text: string): Template | undefined {
  const kind = templateKind(path, text);
  if (!kind) return undefined;
  const root = parseYaml(text);
  if (root?.kind !== 'map') return undefined;
  return kind === 'serverless' ? readServerless(path, root) : readCloudFormation(path, root);
}

/** The HTTP method as a route keeps it. */
const methodOf = (m: string) => {
  const u = m.toUpperCase();
  return u === '*' || u === 'X-AMAZON-APIGATEWAY-ANY-METHOD' ? 'ANY' : u;
};

// ---- CloudFormation and SAM ------------------------------------------------------------------

/** The text of a Sub or Join of literals as an anchored pattern, unknown parts as `.+`; undefined when nothing is literal. */
function namePatternOf(node: YamlNode | undefined): string | undefined {
  if (!node) return undefined;
  let parts: (string | null)[] | undefined;
  const sub = node.tag === 'Sub' ? node : child(node, 'Fn::Sub');
  const join = node.tag === 'Join' ? node : child(node, 'Fn::Join');
  if (sub) {
    const s = sub.kind === 'seq' ? literalish(sub.items[0]) : literalish(sub);
    if (s === undefined) return undefined;
    parts = s
      .split(/(\$\{[^}]*\})/)
      .map((p) => (p.startsWith('${') && !p.startsWith('${!') ? null : p.replace(/^\$\{!/, '${')));
  } else if (join) {
    const [sep, list] = itemsOf(join);
    const separator = literal(sep) ?? '';
    parts = [];
    itemsOf(list).forEach((n, k) => {
      if (k > 0) parts!.push(separator);
      parts!.push(literal(n) ?? null);
    });
  }
  if (!parts || !parts.some((p) => p)) return undefined;
  return `^${parts.map((p) => (p === null ? '.+' : escapeRe(p))).join('')}$`;
}

/** The text of a scalar whatever its tag (the string inside `!Sub '…'`). */
const literalish = (n: YamlNode | undefined): string | undefined => (n?.kind === 'scalar' ? n.value : undefined);

/** Logical ids a value refers to: `!Ref X`, `!GetAtt X.Arn`, `${X.Arn}` in a Sub, `{ "Fn::GetAtt": ["X", "Arn"] }`. */
function referencedIds(node: YamlNode | undefined, out = new Set<string>()): Set<string> {
  if (!node) return out;
  if (node.kind === 'scalar') {
    if (node.tag === 'Ref' || node.tag === 'GetAtt') out.add(node.value.split('.')[0]!);
    for (const m of node.value.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) out.add(m[1]!);
    return out;
  }
  if (node.kind === 'seq') {
    if (node.tag === 'GetAtt' && node.items[0]?.kind === 'scalar') out.add(node.items[0].value);
    for (const n of node.items) referencedIds(n, out);
    return out;
  }
  for (const e of node.entries) {
    if (e.key === 'Ref' && e.value.kind === 'scalar') out.add(e.value.value);
    else if (e.key === 'Fn::GetAtt') {
      const first = e.value.kind === 'seq' ? e.value.items[0] : e.value;
      if (first?.kind === 'scalar') out.add(first.value.split('.')[0]!);
    }
    referencedIds(e.value, out);
  }
  return out;
}

/** The one logical id a `!Ref X` or `{ Ref: X }` names. */
function refOf(node: YamlNode | undefined): string | undefined {
  if (node?.kind === 'scalar' && node.tag === 'Ref') return node.value;
  const r = child(node, 'Ref');
  return r?.kind === 'scalar' ? r.value : undefined;
}

/** The logical id before `.Attribute` in `!GetAtt X.RootResourceId` or `{ "Fn::GetAtt": ["X", "RootResourceId"] }`, with the attribute. */
function getAttOf(node: YamlNode | undefined): [string, string] | undefined {
  if (node?.tag === 'GetAtt') {
    if (node.kind === 'scalar') {
      const [id, ...rest] = node.value.split('.');
      return [id!, rest.join('.')];
    }
    if (node.kind === 'seq') return [literalish(node.items[0]) ?? '', literalish(node.items[1]) ?? ''];
  }
  const g = child(node, 'Fn::GetAtt');
  if (g?.kind === 'seq') return [literalish(g.items[0]) ?? '', literalish(g.items[1]) ?? ''];
  if (g?.kind === 'scalar') {
    const [id, ...rest] = g.value.split('.');
    return [id!, rest.join('.')];
  }
  return undefined;
}

/** A stage name when literal, else `any`. */
function stagesOf(node: YamlNode | undefined): readonly string[] | 'any' {
  const s = literal(node);
  return s === undefined ? 'any' : s === '$default' ? [] : [s];
}

function readCloudFormation(path: string, root: YamlNode): Template {
  const transform = child(root, 'Transform');
  const sam = [transform, ...itemsOf(transform)].some((n) => (literal(n) ?? '').startsWith('AWS::Serverless'));
  const kind = sam ? 'sam' : 'cloudformation';
  const resources = entriesOf(child(root, 'Resources'));
  const typeOf = (id: string) => literal(child(resources.find((r) => r.key === id)?.value, 'Type'));
  const globals = at(root, 'Globals', 'Function');
  const functions = new Map<string, { fn: Mutable<LambdaFunction>; events: ApiEvent[] }>();
  const apis = new Map<string, Mutable<ApiDeclaration>>();
  const otherRoutes: ApiEvent[] = [];

  // APIs first, for the stages the events need.
  for (const r of resources) {
    const type = literal(child(r.value, 'Type'));
    const props = child(r.value, 'Properties');
    if (type === 'AWS::Serverless::Api' || type === 'AWS::ApiGateway::RestApi') {
      const nameNode = child(props, 'Name');
      apis.set(r.key, {
        id: r.key,
        kind: 'rest',
        line: r.line,
        name: literal(nameNode),
        namePattern: namePatternOf(nameNode),
        stages: type === 'AWS::Serverless::Api' ? stagesOf(child(props, 'StageName')) : [],
      });
    } else if (type === 'AWS::Serverless::HttpApi' || type === 'AWS::ApiGatewayV2::Api') {
      const nameNode = child(props, 'Name');
      const stage = child(props, 'StageName');
      apis.set(r.key, {
        id: r.key,
        kind: 'http',
        line: r.line,
        name: literal(nameNode),
        namePattern: namePatternOf(nameNode),
        stages: stage ? stagesOf(stage) : [],
      });
    }
  }
  // Stages declared as resources of their own.
  for (const r of resources) {
    const type = literal(child(r.value, 'Type'));
    if (
      type !== 'AWS::ApiGateway::Stage' &&
      type !== 'AWS::ApiGateway::Deployment' &&
      type !== 'AWS::ApiGatewayV2::Stage'
    )
      continue;
    const props = child(r.value, 'Properties');
    const api = apis.get(refOf(child(props, 'RestApiId') ?? child(props, 'ApiId')) ?? '');
    if (!api) continue;
    const s = stagesOf(child(props, 'StageName'));
    if (s === 'any' || api.stages === 'any') api.stages = 'any';
    else api.stages = [...new Set([...api.stages, ...s])];
  }
  const implicitRest = { stages: ['Prod', 'Stage'] as readonly string[] };

  for (const r of resources) {
    const type = literal(child(r.value, 'Type'));
    if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function') continue;
    const props = child(r.value, 'Properties');
    const prop = (k: string) =>
      child(props, k) ?? (type === 'AWS::Serverless::Function' ? child(globals, k) : undefined);
    const image = literal(prop('PackageType')) === 'Image';
    const handlerEntry =
      entry(props, 'Handler') ?? (type === 'AWS::Serverless::Function' ? entry(globals, 'Handler') : undefined);
    const command = itemsOf(at(props, 'ImageConfig', 'Command'))[0];
    const handler = image ? literal(command) : literal(handlerEntry?.value);
    const nameNode = child(props, 'FunctionName');
    const functionName = literal(nameNode);
    const fn: Mutable<LambdaFunction> = { id: r.key, kind, template: path, line: r.line, events: [] };
    if (handler) {
      fn.handler = handler;
      fn.handlerLine = image ? command?.line : handlerEntry?.value.line;
    }
    const runtime = literal(prop('Runtime'));
    if (runtime) fn.runtime = runtime;
    const code = type === 'AWS::Serverless::Function' ? prop('CodeUri') : child(props, 'Code');
    const codeUri = image ? literal(at(r.value, 'Metadata', 'DockerContext')) : literal(code);
    if (codeUri && !/^s3:\/\//i.test(codeUri)) fn.codeUri = codeUri;
    const entryPoints = itemsOf(at(r.value, 'Metadata', 'BuildProperties', 'EntryPoints'))
      .map(literal)
      .filter((e): e is string => !!e);
    if (entryPoints.length) fn.entryPoints = entryPoints;
    const inline = type === 'AWS::Serverless::Function' ? child(props, 'InlineCode') : child(code, 'ZipFile');
    if (inline?.kind === 'scalar')
      fn.inlineCode = {
        text: inline.value,
        line: inline.contentLine ?? inline.line,
        block: inline.contentLine !== undefined,
      };
    if (functionName) fn.functionName = functionName;
    else if (nameNode) {
      const p = namePatternOf(nameNode);
      if (p) fn.namePattern = p;
    } else {
      fn.namePattern = `^.+-${escapeRe(r.key)}-[A-Za-z0-9]+$`;
      fn.generatedName = true;
    }
    const events: ApiEvent[] = [];
    for (const e of entriesOf(child(props, 'Events'))) {
      const eventType = literal(child(e.value, 'Type'));
      const ep = child(e.value, 'Properties');
      if (eventType === 'Api') {
        const api = apis.get(refOf(child(ep, 'RestApiId')) ?? '') ?? implicitRest;
        const p = literal(child(ep, 'Path'));
        const m = literal(child(ep, 'Method'));
        if (p && m) events.push({ type: 'Api', method: methodOf(m), path: p, line: e.line, stages: api.stages });
      } else if (eventType === 'HttpApi') {
        const api = apis.get(refOf(child(ep, 'ApiId')) ?? '');
        const p = literal(child(ep, 'Path'));
        const m = literal(child(ep, 'Method'));
        const stages = api && api.stages !== 'any' && api.stages.length === 0 ? undefined : api?.stages;
        events.push({
          type: 'HttpApi',
          method: m ? methodOf(m) : 'ANY',
          path: p ?? '$default',
          line: e.line,
          ...(stages ? { stages } : {}),
        });
      }
    }
    functions.set(r.key, { fn, events });
  }

  /** Adds a route to the function its integration names, or to otherRoutes. */
  const route = (integration: YamlNode | undefined, ev: ApiEvent) => {
    const ids = referencedIds(integration);
    const target = [...ids].find((id) => functions.has(id));
    if (target) functions.get(target)!.events.push(ev);
    else otherRoutes.push(ev);
  };
  const restStages = (apiId: string | undefined) => (apiId ? apis.get(apiId)?.stages : undefined) ?? [];
  const withStages = (ev: ApiEvent, stages: readonly string[] | 'any'): ApiEvent =>
    stages === 'any' || stages.length ? { ...ev, stages } : ev;

  // OpenAPI bodies.
  for (const r of resources) {
    const type = literal(child(r.value, 'Type'));
    const props = child(r.value, 'Properties');
    const body =
      type === 'AWS::Serverless::Api' || type === 'AWS::Serverless::HttpApi'
        ? child(props, 'DefinitionBody')
        : type === 'AWS::ApiGateway::RestApi' || type === 'AWS::ApiGatewayV2::Api'
          ? child(props, 'Body')
          : undefined;
    if (!body) continue;
    const api = apis.get(r.key);
    const stages = api?.stages ?? [];
    for (const p of entriesOf(child(body, 'paths'))) {
      for (const m of entriesOf(p.value)) {
        const method = methodOf(m.key);
        if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'].includes(method)) continue;
        route(
          child(m.value, 'x-amazon-apigateway-integration'),
          withStages({ type: 'OpenApi', method, path: p.key, line: m.line }, stages),
        );
      }
    }
  }

  // REST resource trees: AWS::ApiGateway::Resource (PathPart, ParentId) and AWS::ApiGateway::Method.
  const pathOfResource = (id: string, depth = 0): string | undefined => {
    const res = resources.find((x) => x.key === id);
    if (!res || depth > 30 || literal(child(res.value, 'Type')) !== 'AWS::ApiGateway::Resource') return undefined;
    const props = child(res.value, 'Properties');
    const part = literal(child(props, 'PathPart'));
    if (part === undefined) return undefined;
    const parent = child(props, 'ParentId');
    if (getAttOf(parent)?.[1] === 'RootResourceId') return `/${part}`;
    const parentId = refOf(parent);
    const above = parentId ? pathOfResource(parentId, depth + 1) : undefined;
    return above === undefined ? undefined : `${above}/${part}`;
  };
  for (const r of resources) {
    const type = literal(child(r.value, 'Type'));
    const props = child(r.value, 'Properties');
    if (type === 'AWS::ApiGateway::Method') {
      const m = literal(child(props, 'HttpMethod'));
      const resource = child(props, 'ResourceId');
      const p = getAttOf(resource)?.[1] === 'RootResourceId' ? '/' : pathOfResource(refOf(resource) ?? '');
      if (!m || p === undefined || methodOf(m) === 'OPTIONS') continue;
      route(
        at(props, 'Integration', 'Uri'),
        withStages(
          { type: 'RestApiMethod', method: methodOf(m), path: p, line: r.line },
          restStages(refOf(child(props, 'RestApiId'))),
        ),
      );
    } else if (type === 'AWS::ApiGatewayV2::Route') {
      const key = literal(child(props, 'RouteKey'));
      if (!key) continue;
      const [m, p] = key === '$default' ? ['ANY', '$default'] : key.split(/\s+/, 2);
      if (!m || !p) continue;
      // Target: `integrations/${Integration}`; the integration's IntegrationUri names the function.
      const integrationId = [...referencedIds(child(props, 'Target'))].find(
        (id) => typeOf(id) === 'AWS::ApiGatewayV2::Integration',
      );
      const integration = resources.find((x) => x.key === integrationId)?.value;
      route(
        at(integration, 'Properties', 'IntegrationUri'),
        withStages(
          { type: 'HttpApiRoute', method: methodOf(m), path: p, line: r.line },
          restStages(refOf(child(props, 'ApiId'))),
        ),
      );
    }
  }

  const out: LambdaFunction[] = [];
  for (const { fn, events } of functions.values()) out.push({ ...fn, events });
  return { kind, path, functions: out, apis: [...apis.values()], otherRoutes };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// ---- serverless.yml --------------------------------------------------------------------------

/** A serverless.yml value when it has no `${…}` variable in it. */
function plain(node: YamlNode | undefined): string | undefined {
  const s = literal(node);
  return s === undefined || s.includes('${') ? undefined : s;
}

function readServerless(path: string, root: YamlNode): Template | undefined {
  const serviceNode = child(root, 'service');
  const service = plain(serviceNode) ?? plain(child(serviceNode, 'name'));
  const provider = child(root, 'provider');
  const stageNode = child(provider, 'stage');
  // Serverless deploys to `dev` unless told otherwise; a variable stage can be anything.
  const stages: readonly string[] | 'any' = stageNode
    ? plain(stageNode) !== undefined
      ? [plain(stageNode)!]
      : 'any'
    : ['dev'];
  const runtime = plain(child(provider, 'runtime'));
  const functions: LambdaFunction[] = [];
  for (const f of entriesOf(child(root, 'functions'))) {
    const h = entry(f.value, 'handler');
    const name = plain(child(f.value, 'name'));
    const fn: Mutable<LambdaFunction> = { id: f.key, kind: 'serverless', template: path, line: f.line, events: [] };
    const handler = plain(h?.value);
    if (handler) {
      fn.handler = handler;
      fn.handlerLine = h!.value.line;
    }
    const rt = plain(child(f.value, 'runtime')) ?? runtime;
    if (rt) fn.runtime = rt;
    if (name) fn.functionName = name;
    else if (service) fn.namePattern = `^${escapeRe(service)}-.+-${escapeRe(f.key)}$`;
    const events: ApiEvent[] = [];
    for (const ev of itemsOf(child(f.value, 'events'))) {
      for (const type of ['http', 'httpApi'] as const) {
        const en = entry(ev, type);
        if (!en) continue;
        const e = en.value;
        let method: string | undefined;
        let p: string | undefined;
        const s = plain(e);
        if (s !== undefined) {
          if (s === '*') [method, p] = ['ANY', '$default'];
          else [method, p] = s.split(/\s+/, 2);
        } else {
          method = plain(child(e, 'method'));
          p = plain(child(e, 'path'));
        }
        if (!method || p === undefined) continue;
        const pattern = p === '$default' ? p : `/${p.replace(/^\/+/, '')}`;
        events.push({
          type,
          method: methodOf(method),
          path: pattern,
          line: en.line,
          ...(type === 'http' ? { stages } : {}),
        });
      }
    }
    fn.events = events;
    functions.push(fn);
  }
  const apis: ApiDeclaration[] = [];
  if (functions.some((f) => f.events.some((e) => e.type === 'http'))) {
    // The REST API is `${stage}-${service}` unless provider.apiName says otherwise.
    const apiName = plain(child(provider, 'apiName'));
    const stage = stages === 'any' ? undefined : stages[0];
    if (apiName)
      apis.push({
        id: 'ApiGatewayRestApi',
        kind: 'rest',
        line: child(provider, 'apiName')!.line,
        name: apiName,
        stages,
      });
    else if (service) {
      apis.push({
        id: 'ApiGatewayRestApi',
        kind: 'rest',
        line: serviceNode!.line,
        ...(stage ? { name: `${stage}-${service}` } : { namePattern: `^.+-${escapeRe(service)}$` }),
        stages,
      });
    }
  }
  return {
    kind: 'serverless',
    path,
    functions,
    apis,
    otherRoutes: [],
    ...(service ? { service: { name: service, line: serviceNode!.line } } : {}),
  };
}

// ---- routes and names ------------------------------------------------------------------------

/**
 * The function a handler string names: after `::` (`com.example.Handler::handleRequest`, .NET's
 * `Assembly::Type::Method`), else after the last `.` (`orders.handler`, `app.lambda_handler`); a
 * Java class alone (`com.example.Handler`) means its `handleRequest`.
 */
export function handlerFunctionName(handler: string, runtime?: string): string {
  const colons = handler.lastIndexOf('::');
  if (colons >= 0) return handler.slice(colons + 2);
  const last = handler.slice(handler.lastIndexOf('.') + 1);
  const javaClass = runtime
    ? runtime.startsWith('java')
    : !handler.includes('/') && handler.includes('.') && /^[A-Z]/.test(last);
  return javaClass ? 'handleRequest' : last;
}

/** Where a function's handler is: the path and line resolveHandler found. */
export interface HandlerPlace {
  readonly path: string;
  readonly line: number;
}

/** The API routes of a template: each function's events (at its handler when located, else at the event), and routes to other integrations. */
export function templateRoutes(template: Template, handlers: ReadonlyMap<string, HandlerPlace> = new Map()): Route[] {
  const framework = template.kind === 'serverless' ? 'serverless' : 'apigateway';
  const routes: Route[] = [];
  for (const fn of template.functions) {
    const at = handlers.get(fn.id);
    for (const e of fn.events) {
      routes.push({
        method: e.method,
        pattern: e.path,
        framework,
        path: at?.path ?? template.path,
        line: at?.line ?? e.line,
        ...(fn.handler ? { handler: handlerFunctionName(fn.handler, fn.runtime) } : {}),
        declared: { path: template.path, line: e.line },
        lambda: fn.id,
        ...(e.stages ? { stages: e.stages } : {}),
      });
    }
  }
  for (const e of template.otherRoutes) {
    routes.push({
      method: e.method,
      pattern: e.path,
      framework,
      path: template.path,
      line: e.line,
      declared: { path: template.path, line: e.line },
      ...(e.stages ? { stages: e.stages } : {}),
    });
  }
  return routes;
}

/**
 * Whether a segment name (X-Ray names a Lambda function's segments after the function) is this
 * function's. A literal FunctionName must be equal; a partly literal one (`!Sub`, serverless.yml's
 * default) must match its pattern. Without FunctionName, CloudFormation names the function
 * `${stackName}-${logicalId}-${suffix}`: the name must contain `-${logicalId}-` followed by the
 * suffix. Names are kept to 64 characters by shortening the stack name and the logical id, so a
 * 64-character name also matches when a part between dashes, after the first, is a prefix of the
 * logical id of at least 4 characters followed by one more part (the suffix).
 */
export function lambdaNameMatches(fn: LambdaFunction, segmentName: string): boolean {
  if (fn.functionName !== undefined) return segmentName === fn.functionName;
  if (fn.namePattern && new RegExp(fn.namePattern).test(segmentName)) return true;
  if (!fn.generatedName || segmentName.length !== 64) return false;
  const parts = segmentName.split('-');
  const last = parts.length - 2;
  return last >= 1 && parts[last]!.length >= 4 && fn.id.startsWith(parts[last]!);
}

/** The function a Lambda segment name belongs to: literal names first, then patterns, then generated names. */
export function matchLambda(functions: readonly LambdaFunction[], segmentName: string): LambdaFunction | undefined {
  return (
    functions.find((f) => f.functionName === segmentName) ??
    functions.find((f) => f.namePattern && !f.generatedName && lambdaNameMatches(f, segmentName)) ??
    functions.find((f) => f.generatedName && lambdaNameMatches(f, segmentName))
  );
}
