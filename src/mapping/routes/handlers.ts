// From a Lambda function's `Handler` to the file and line of the function the runtime calls:
// Node.js `CodeUri` + module path + exported name (`.js/.mjs/.cjs/.ts`, so TypeScript built by
// esbuild or tsc resolves to its source), Python module path + function, Java class file + method,
// .NET `Assembly::Namespace.Class::Method`. Code inline in the template resolves into the template.
// Go and custom runtimes name an executable, not a function: they are not resolved.
import { posix } from 'node:path';
import { findJsExport, findMethod, findPythonFunction, type FoundFunction } from './functions';
import type { LambdaFunction } from './templates';

/** Where a handler is. */
export interface HandlerLocation {
  /** As the workspace file list names it (the template itself for inline code). */
  readonly path: string;
  /** 1-based line of the function; 1 when only the file was found. */
  readonly line: number;
  readonly functionName: string;
  /** `function` when the function was found, `file` when only its file was. */
  readonly precision: 'function' | 'file';
  /** How it was found, in words: `src/handlers/orders.handler → src/handlers/orders.ts:12`. */
  readonly detail: string;
}

const norm = (p: string) => p.replace(/\\/g, '/');

/** A workspace's file paths, indexed for handler lookups (build once, resolve many). */
export class WorkspacePaths {
  private readonly byNorm = new Map<string, string>();
  private readonly byBase = new Map<string, string[]>();

  constructor(files: Iterable<string>) {
    for (const f of files) {
      const n = norm(f);
      this.byNorm.set(n, f);
      const base = n.slice(n.lastIndexOf('/') + 1);
      const list = this.byBase.get(base);
      if (list) list.push(n);
      else this.byBase.set(base, [n]);
    }
  }

  /** The file as given, when the normalized path is in the list. */
  get(p: string): string | undefined {
    return this.byNorm.get(p);
  }

  /** Files whose path ends with the given relative path (whole segments), as normalized paths. */
  endingWith(rel: string): string[] {
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    return (this.byBase.get(base) ?? []).filter((p) => p === rel || p.endsWith(`/${rel}`));
  }

  /** The original spelling of a normalized path. */
  original(p: string): string {
    return this.byNorm.get(p) ?? p;
  }
}

type Language = 'js' | 'python' | 'java' | 'csharp';

const extensions: Readonly<Record<Language, readonly string[]>> = {
  // TypeScript first: where both exist side by side, the .js is compiled from the .ts.
  js: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
  python: ['.py'],
  java: ['.java'],
  csharp: ['.cs'],
};

/** The handler's language, from the runtime, else from the handler's shape. */
function languagesOf(fn: LambdaFunction): Language[] {
  const rt = (fn.runtime ?? '').toLowerCase();
  if (rt.startsWith('nodejs')) return ['js'];
  if (rt.startsWith('python')) return ['python'];
  if (rt.startsWith('java')) return ['java'];
  if (rt.startsWith('dotnet')) return ['csharp'];
  if (rt) return [];
  const h = fn.handler ?? '';
  if ((h.match(/::/g) ?? []).length >= 2) return ['csharp'];
  if (h.includes('::')) return ['java'];
  return ['js', 'python', 'java'];
}

/** The module path (no extension) and the function a handler names, per language. */
function target(handler: string, language: Language): { module: string; exportName: string; fn: string } | undefined {
  if (language === 'js') {
    // `dir/file.export.nested`: the module ends at the first dot after the last slash.
    const slash = handler.lastIndexOf('/');
    const dot = handler.indexOf('.', slash + 1);
    if (dot < 0) return undefined;
    const path = handler.slice(dot + 1).split('.');
    return { module: handler.slice(0, dot), exportName: path[0]!, fn: path[path.length - 1]! };
  }
  if (language === 'python') {
    const dot = handler.lastIndexOf('.');
    if (dot < 0) return undefined;
    const fn = handler.slice(dot + 1);
    return { module: handler.slice(0, dot).replace(/\./g, '/'), exportName: fn, fn };
  }
  if (language === 'java') {
    const [cls, method] = handler.split('::');
    if (!cls) return undefined;
    return {
      module: cls.split('$')[0]!.replace(/\./g, '/'),
      exportName: method ?? 'handleRequest',
      fn: method ?? 'handleRequest',
    };
  }
  const parts = handler.split('::');
  if (parts.length !== 3) return undefined;
  const cls = parts[1]!.slice(parts[1]!.lastIndexOf('.') + 1);
  return { module: cls, exportName: parts[2]!, fn: parts[2]! };
}

function findIn(text: string, language: Language, t: { exportName: string; fn: string }): FoundFunction | undefined {
  if (language === 'js') return findJsExport(text, t.exportName);
  if (language === 'python') return findPythonFunction(text, t.fn);
  return findMethod(text, t.fn, language);
}

/**
 * The file and line of a function's handler among the workspace's files. Looks in the code folder
 * (the template's folder + CodeUri) first, then for a file whose path ends the same way anywhere
 * (dropping build folders such as `dist/` from the handler's path). read gives a file's text.
 */
export function resolveHandler(
  fn: LambdaFunction,
  files: WorkspacePaths | readonly string[],
  read: (path: string) => string | undefined,
): HandlerLocation | undefined {
  if (!fn.handler) return undefined;
  const paths = files instanceof WorkspacePaths ? files : new WorkspacePaths(files);
  const languages = languagesOf(fn);
  if (fn.inlineCode) {
    for (const language of languages) {
      const t = target(fn.handler, language);
      const found =
        t && language !== 'java' && language !== 'csharp' ? findIn(fn.inlineCode.text, language, t) : undefined;
      if (found) {
        const line = fn.inlineCode.block ? fn.inlineCode.line + found.line - 1 : fn.inlineCode.line;
        return {
          path: fn.template,
          line,
          functionName: found.name,
          precision: 'function',
          detail: `${fn.handler} → inline code in ${baseName(fn.template)}`,
        };
      }
    }
    return undefined;
  }
  const dir = posix.dirname(norm(fn.template));
  const codeDir = posix.normalize(posix.join(dir, fn.codeUri ?? '.')).replace(/\/$/, '');
  for (const language of languages) {
    const t = target(fn.handler, language);
    if (!t) continue;
    // esbuild's entry points name the source of `app.handler` (`src/app.ts`) where the module path does not.
    const stem = t.module.slice(t.module.lastIndexOf('/') + 1);
    const entries = (language === 'js' ? (fn.entryPoints ?? []) : [])
      .filter((e) => e.slice(e.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '') === stem)
      .map((e) => posix.normalize(posix.join(codeDir, e)))
      .filter((p) => paths.get(p) !== undefined);
    for (const file of [...entries, ...candidateFiles(paths, codeDir, t.module, language)]) {
      const text = read(paths.original(file));
      if (text === undefined) continue;
      const found = findIn(text, language, t);
      const shown = `${fn.handler} → ${file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file}`;
      if (found)
        return {
          path: paths.original(file),
          line: found.line,
          functionName: found.name,
          precision: 'function',
          detail: `${shown}:${found.line}`,
        };
      return {
        path: paths.original(file),
        line: 1,
        functionName: t.fn,
        precision: 'file',
        detail: `${shown} (no ${t.fn} found in it)`,
      };
    }
  }
  return undefined;
}

const baseName = (p: string) => norm(p).slice(norm(p).lastIndexOf('/') + 1);

/** Files that may hold a module, best first: in the code folder, then ending the same way under it, then anywhere. */
function candidateFiles(paths: WorkspacePaths, codeDir: string, module: string, language: Language): string[] {
  const exts = extensions[language];
  const under = (p: string) => codeDir === '.' || p.startsWith(`${codeDir}/`);
  const exact = exts
    .map((ext) => (codeDir === '.' ? posix.normalize(module + ext) : posix.join(codeDir, module + ext)))
    .filter((p) => paths.get(p) !== undefined);
  if (exact.length) return exact;
  // The same path deeper down (Java's src/main/java/…), then shorter tails of it: a handler path
  // through a build folder (`dist/handlers/orders`) names the source by its tail (`handlers/orders`).
  const segments = module.split('/').filter((s) => s && s !== '.');
  const tails: string[][] = [];
  for (let k = segments.length; k >= 1; k--) tails.push(segments.slice(segments.length - k));
  for (const tail of tails) {
    const found: string[] = [];
    for (const ext of exts) found.push(...paths.endingWith(tail.join('/') + ext));
    const inside = found.filter(under);
    if (inside.length) return inside.sort((a, b) => a.length - b.length);
    // Outside the code folder only a path of two segments or more, or a single match, is trusted.
    if (found.length && (tail.length >= 2 || found.length === 1)) return found.sort((a, b) => a.length - b.length);
  }
  return [];
}
