// A whole workspace's routes, Lambda handlers and services: the per-file scanners put together,
// with what only the whole workspace knows: routers mounted from another module
// (`app.use('/orders', require('./routes/orders'))`, `include_router(orders.router, prefix=…)`),
// handlers imported from another module, Lambda handlers resolved to their files, and the service
// each route's code runs as.
import { opendir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { excludedFolders } from '../instrumentation/workspace';
import { findJsExport } from './functions';
import { resolveHandler, WorkspacePaths, type HandlerLocation } from './handlers';
import { findJavaRoutes } from './javaRoutes';
import { scanJsRoutes, type JsRouteScan } from './jsRoutes';
import { scanPythonRoutes, type PythonRouteScan } from './pythonRoutes';
import type { Route } from './route';
import { detectServices, type DetectedService } from './services';
import { readTemplate, templateRoutes, type HandlerPlace, type LambdaFunction } from './templates';
import { joinPaths } from './tokenList';

/** A Lambda function and where its handler is, when found. */
export interface WorkspaceFunction {
  readonly fn: LambdaFunction;
  readonly handler?: HandlerLocation;
}

/** What a workspace declares. */
export interface WorkspaceRoutes {
  /** Sorted by file and line. */
  readonly routes: Route[];
  readonly functions: WorkspaceFunction[];
  readonly services: DetectedService[];
}

/** A file and its text. */
export interface WorkspaceText {
  readonly path: string;
  readonly text: string;
}

const norm = (p: string) => p.replace(/\\/g, '/');
const dirOf = (p: string) => posix.dirname(norm(p));
const jsFile = /\.(?:[cm]?[jt]sx?)$/i;
const jsExtensions = ['.js', '.ts', '.mjs', '.cjs', '.jsx', '.tsx', '.mts', '.cts'];

/** The file a relative JS import names: as written, with an extension, as a folder's index, or `.js` written for a `.ts` source. */
function resolveJsModule(paths: WorkspacePaths, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(dirOf(from), spec));
  const stem = base.replace(/\.[cm]?js$/, '');
  const tries = [
    base,
    ...jsExtensions.map((e) => base + e),
    ...jsExtensions.map((e) => stem + e),
    ...jsExtensions.map((e) => `${base}/index${e}`),
  ];
  for (const t of tries) if (paths.get(t) !== undefined) return t;
  return undefined;
}

/** The file of a Python module imported as `from` (`.routers`, `app.routers`) then `name`: the submodule, or the module itself. */
function resolvePythonModule(paths: WorkspacePaths, file: string, from: string, name: string): string[] {
  const dots = /^\.*/.exec(from)![0].length;
  const rest = from.slice(dots).replace(/\./g, '/');
  const out: string[] = [];
  const bases: string[] = [];
  if (dots > 0) {
    let dir = dirOf(file);
    for (let k = 1; k < dots; k++) dir = posix.dirname(dir);
    bases.push(rest ? posix.join(dir, rest) : dir);
  } else {
    // An absolute module: any file whose path ends with it, nearest to the importing file first.
    for (const ending of [`${rest}/${name}.py`, `${rest}/${name}/__init__.py`, `${rest}.py`, `${rest}/__init__.py`]) {
      out.push(...paths.endingWith(ending));
    }
    return out;
  }
  for (const b of bases) {
    for (const t of [`${b}/${name}.py`, `${b}/${name}/__init__.py`, `${b}.py`, `${b}/__init__.py`])
      if (paths.get(posix.normalize(t)) !== undefined) out.push(posix.normalize(t));
  }
  return out;
}

/**
 * Everything a workspace's files declare, from their texts. paths: every file path of the
 * workspace (for handlers in files that were not read); the read files' own paths are added.
 */
export function collectRoutes(files: readonly WorkspaceText[], paths: Iterable<string> = []): WorkspaceRoutes {
  const texts = new Map<string, string>();
  for (const f of files) texts.set(norm(f.path), f.text);
  const all = [...paths, ...files.map((f) => f.path)];
  const index = new WorkspacePaths(all);
  const textOf = (p: string) => texts.get(norm(p));
  const routes: Route[] = [];
  const functions: WorkspaceFunction[] = [];
  const js = new Map<string, JsRouteScan>();
  const py = new Map<string, PythonRouteScan>();

  for (const f of files) {
    const n = norm(f.path);
    const template = readTemplate(f.path, f.text);
    if (template) {
      const places = new Map<string, HandlerPlace>();
      for (const fn of template.functions) {
        const handler = resolveHandler(fn, index, (p) => textOf(p));
        functions.push(handler ? { fn, handler } : { fn });
        if (handler) places.set(fn.id, handler);
      }
      routes.push(...templateRoutes(template, places));
    } else if (jsFile.test(n) && !n.endsWith('.d.ts')) js.set(n, scanJsRoutes(f.path, f.text));
    else if (n.endsWith('.py')) py.set(n, scanPythonRoutes(f.path, f.text));
    else if (n.endsWith('.java')) routes.push(...findJavaRoutes(f.path, f.text));
  }

  // JS: the prefixes a module's router gets from the modules that mount it, transitively.
  const mountsInto = new Map<string, { from: string; prefix: string }[]>();
  for (const [file, scan] of js) {
    for (const m of scan.mounts) {
      const target = resolveJsModule(index, file, m.module);
      if (!target) continue;
      const list = mountsInto.get(target) ?? [];
      list.push({ from: file, prefix: m.prefix });
      mountsInto.set(target, list);
    }
  }
  const prefixesOf = (file: string, depth: number): string[] => {
    const ms = depth < 6 ? (mountsInto.get(file) ?? []) : [];
    if (ms.length === 0) return [''];
    return ms.flatMap((m) => prefixesOf(m.from, depth + 1).map((p) => joinPaths(p, m.prefix)));
  };
  for (const [file, scan] of js) {
    const prefixes = mountsInto.has(file) ? prefixesOf(file, 0) : [''];
    scan.routes.forEach((r, k) => {
      let route = r;
      const ref = scan.handlerRefs[k];
      const target = ref && resolveJsModule(index, file, ref.module);
      const text = target && textOf(target);
      const found = text !== undefined && text !== '' ? findJsExport(text, ref!.name) : undefined;
      if (found) route = { ...route, path: index.original(target!), line: found.line, handler: found.name };
      if (!scan.mountable[k] || (prefixes.length === 1 && prefixes[0] === '')) routes.push(route);
      else for (const p of prefixes) routes.push({ ...route, pattern: joinPaths(p, route.pattern) });
    });
  }

  // Python: a router mounted by another module gets the mount's prefix (one level).
  const pyMounts = new Map<string, { prefix: string; replaces: boolean }[]>();
  for (const [file, scan] of py) {
    for (const m of scan.mounts) {
      for (const target of resolvePythonModule(index, file, m.from, m.name)) {
        const key = `${target}\u0000${m.receiver}`;
        pyMounts.set(key, [...(pyMounts.get(key) ?? []), { prefix: m.prefix, replaces: m.replaces }]);
      }
    }
  }
  for (const [file, scan] of py) {
    scan.routes.forEach((r, k) => {
      const ms = pyMounts.get(`${file}\u0000${r.router}`);
      if (!ms) routes.push(r);
      else
        for (const m of ms) routes.push({ ...r, pattern: joinPaths(m.prefix, m.replaces ? scan.bare[k]! : r.pattern) });
    });
  }

  const services = detectServices(files);
  return { routes: withServices(routes, services, all).sort(byPlace), functions, services };
}

const byPlace = (a: Route, b: Route) =>
  a.declared.path < b.declared.path ? -1 : a.declared.path > b.declared.path ? 1 : a.declared.line - b.declared.line;

// Files that make a folder a project of its own: services declared anywhere in it are its services.
const manifests = new Set([
  'package.json',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'pyproject.toml',
  'setup.py',
  'requirements.txt',
  'go.mod',
  'Cargo.toml',
  'Gemfile',
  'serverless.yml',
  'template.yaml',
  'template.yml',
]);

/**
 * Gives each code route the service its code runs as: the one name declared in its own file; else
 * the one name declared in its project (the nearest folder above with a package.json, pom.xml,
 * pyproject.toml …); else the one name of the nearest folder above, up to the project, that
 * declares any. Template routes are left alone: their segments are the API's and the function's.
 */
function withServices(routes: Route[], services: readonly DetectedService[], paths: Iterable<string>): Route[] {
  const byDir = new Map<string, Set<string>>();
  const byFile = new Map<string, Set<string>>();
  const found: { dir: string; name: string }[] = [];
  for (const s of services) {
    if (s.pattern || s.how.startsWith('Lambda') || s.how.startsWith('API Gateway')) continue;
    const f = norm(s.source);
    byFile.set(f, (byFile.get(f) ?? new Set()).add(s.name));
    byDir.set(dirOf(f), (byDir.get(dirOf(f)) ?? new Set()).add(s.name));
    found.push({ dir: dirOf(f), name: s.name });
  }
  const projects = new Set<string>();
  for (const p of paths) {
    const n = norm(p);
    if (manifests.has(n.slice(n.lastIndexOf('/') + 1))) projects.add(dirOf(n));
  }
  const one = (names: Iterable<string>) => {
    const set = new Set(names);
    return set.size === 1 ? [...set][0] : undefined;
  };
  const serviceOf = (file: string): string | undefined => {
    const own = one(byFile.get(file) ?? []);
    if (own) return own;
    let project: string | undefined;
    for (let dir = dirOf(file); ; dir = posix.dirname(dir)) {
      if (projects.has(dir)) {
        project = dir;
        break;
      }
      if (dir === posix.dirname(dir)) break;
    }
    if (project !== undefined) {
      const inside = one(found.filter((f) => f.dir === project || f.dir.startsWith(`${project}/`)).map((f) => f.name));
      if (inside) return inside;
    }
    for (let dir = dirOf(file); ; dir = posix.dirname(dir)) {
      const names = byDir.get(dir);
      if (names) return one(names);
      if (dir === project || dir === posix.dirname(dir)) return undefined;
    }
  };
  return routes.map((r) => {
    if (r.framework === 'apigateway' || r.framework === 'serverless') return r;
    const s = serviceOf(norm(r.declared.path));
    return s ? { ...r, service: s } : r;
  });
}

/** Options of scanWorkspaceRoutes. */
export interface ScanWorkspaceOptions {
  readonly signal?: AbortSignal;
  /** Larger files are not read; 1 MB unless given. */
  readonly maxFileBytes?: number;
}

// Build output, deployment packages and virtual environments: never the code a route is written in.
const skippedFolders = new Set([
  ...excludedFolders,
  'cdk.out',
  '.aws-sam',
  '.serverless',
  '.esbuild',
  '.webpack',
  '.terraform',
  'site-packages',
]);
// `dist-min`, `inventory-dist`, `build.prod`: build output by its name.
const buildFolder = /(?:^|[-_.])(?:dist|build|out)(?:[-_.]|$)/;
const sourceFile = /\.(?:[cm]?[jt]sx?|py|java|go|cs)$/i;
const settingsFile =
  /(?:^\.env(?:\..*)?$|\.env$|^Dockerfile|\.dockerfile$|\.ya?ml$|\.properties$|\.template$|^package\.json$|\.json$)/i;
const notSettings = /(?:^package-lock\.json$|\.map$|^tsconfig.*\.json$|\.min\.js$|\.d\.ts$)/i;

/** True for a file whose longest line is a bundle's: minified code declares routes on line 1, not where they are written. */
function minified(text: string): boolean {
  if (text.length < 5000) return false;
  const lines = text.split('\n', 20);
  return lines.some((l) => l.length > 2000) && text.split('\n').length < 50;
}

/**
 * Walks root (skipping dependency, VCS and build-output folders, symbolic links, big and minified
 * files), reads the files routes, templates and service names can be in, and collects them. Paths
 * in the result are absolute. Rejects with the signal's reason when aborted.
 */
export async function scanWorkspaceRoutes(root: string, options: ScanWorkspaceOptions = {}): Promise<WorkspaceRoutes> {
  const { signal, maxFileBytes = 1 << 20 } = options;
  const all: string[] = [];
  const toRead: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    let entries: import('node:fs').Dirent[] = [];
    try {
      for await (const e of await opendir(dir)) entries.push(e);
    } catch {
      return; // unreadable: left out
    }
    entries = entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    const subdirs: string[] = [];
    const names = new Set(entries.map((e) => e.name));
    // JavaScript compiled beside its TypeScript source declares the same routes a second time.
    const compiled = (name: string) =>
      /\.[cm]?js$/.test(name) && ['.ts', '.tsx', '.mts', '.cts'].some((x) => names.has(name.replace(/\.[cm]?js$/, x)));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (
          !skippedFolders.has(e.name) &&
          !buildFolder.test(e.name) &&
          !(e.name.startsWith('.') && e.name !== '.config')
        )
          subdirs.push(p);
      } else if (e.isFile()) {
        all.push(p);
        if ((sourceFile.test(e.name) && !compiled(e.name)) || (settingsFile.test(e.name) && !notSettings.test(e.name)))
          toRead.push(p);
      }
    }
    for (const d of subdirs) await walk(d);
  };
  await walk(root);
  const files: WorkspaceText[] = [];
  let next = 0;
  const worker = async () => {
    while (next < toRead.length) {
      const p = toRead[next++]!;
      signal?.throwIfAborted();
      try {
        if ((await stat(p)).size > maxFileBytes) continue;
        const text = await readFile(p, 'utf8');
        if (sourceFile.test(p) && minified(text)) continue;
        files.push({ path: p, text });
      } catch {
        // deleted or unreadable meanwhile
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return collectRoutes(files, all);
}
