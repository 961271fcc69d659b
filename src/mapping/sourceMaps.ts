// Frames that point into a bundle, mapped through its source map (`source-map` 0.7, whose wasm
// ships in dist/) to the original file. X-Ray frames carry no column: a readable bundle maps by
// line; on a minified line that holds many functions, the frame's label finds the function in the
// generated text and that position is mapped (function precision, and said so).
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import type { Resolution, SourceLocation } from './location';
import { labelFunction, segmentsOf } from './pathMapping';
import { anonymousCaller } from './minifiedCallers';
import type { WorkspaceFiles } from './workspaceFiles';

interface CachedMap {
  readonly consumer: SourceMapConsumer;
  readonly mapPath: string;
  readonly mtimeMs: number;
  readonly size: number;
  readonly generatedLines: string[];
  /** Distinct original lines per generated line: a minified line holds many. */
  readonly originsPerLine: Map<number, number>;
  readonly sourceRoot: string;
  /** Bytes this entry holds, for the cache budget. */
  readonly cost: number;
  /** Per minified line, where each function is defined (name → column), built on first use. */
  readonly definitions: Map<number, Map<string, number>>;
  /** The map's sources, confined to the workspace once each. */
  readonly confined: Map<string, { path: string } | { refused: string }>;
  /** When the files were last checked for changes (ms). */
  checkedAt: number;
}

/** A frame's column on a minified line, and how exact it is. */
interface Placed {
  readonly column: number;
  readonly precision: SourceLocation['precision'];
  readonly narrowed?: string;
}

/** How often a cached map's files are checked for changes (the extension also invalidates on save). */
const recheckMs = 1000;

/** Ways a function is defined in (minified) JavaScript, most specific first; group 1 is the name. */
const definitionPatterns = [
  /function\s*\*?\s*([\w$]+)\s*\(/g,
  /(?:^|[^\w$.])([\w$]+)\s*[:=]\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)/g,
  /(?:^|[;{},\s])(?:async\s+|static\s+|get\s+|set\s+)*([\w$]+)\s*\([^)]*\)\s*\{/g,
];

/** Where each function of a line is defined: one pass per pattern instead of one per frame. */
function definitionsOf(line: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of definitionPatterns) {
    for (const m of line.matchAll(p)) {
      const name = m[1]!;
      if (!out.has(name)) out.set(name, m.index + m[0].lastIndexOf(name, m[0].length - 1));
    }
  }
  return out;
}

/** A generated line that maps to more distinct original lines than this counts as minified. */
const minifiedLineThreshold = 3;

/** Skips a string or template literal starting at i; returns the index after it. */
function skipString(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === q) return j + 1;
  }
  return text.length;
}

/** The [start, end) of the body of the function whose name is at column at: from its `{` to the matching `}`. */
export function functionBody(text: string, at: number): [number, number] | undefined {
  let i = text.indexOf('{', at);
  // An arrow with an expression body has no braces: its body runs to the next `,` `;` or `)` at depth 0.
  const arrow = text.indexOf('=>', at);
  if (i < 0 || (arrow >= 0 && arrow < i && text.slice(arrow + 2).trimStart()[0] !== '{')) return undefined;
  const start = i;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i) - 1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return [start, i + 1];
  }
  return undefined;
}

/** Columns of calls to fn (not its definition) in text, within body when given. */
export function callSites(text: string, fn: string | undefined, body?: [number, number]): number[] {
  if (!fn) return [];
  const re = new RegExp(`(?<![\\w$.])${fn.replace(/\$/g, '\\$')}\\(`, 'g');
  const out: number[] = [];
  for (const m of text.matchAll(re)) {
    const before = text.slice(Math.max(0, m.index - 9), m.index);
    if (/function\s*\*?\s*$/.test(before)) continue;
    if (body && (m.index < body[0] || m.index >= body[1])) continue;
    out.push(m.index);
  }
  return out;
}

/** Columns of `throw` statements in the body. */
function throwSites(text: string, body: [number, number]): number[] {
  const out: number[] = [];
  for (const m of text.slice(body[0], body[1]).matchAll(/(?<![\w$.])throw\b/g)) out.push(body[0] + m.index);
  return out;
}

/** Maps bundle positions to original sources; maps are parsed once, cached within a byte budget, and re-read when the files change. */
export class SourceMapResolver {
  private readonly cache = new Map<string, CachedMap | null>();
  private bytes = 0;

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly options: { maxCacheBytes?: number; outputFolders?: readonly string[] } = {},
  ) {}

  /** The map of a generated file: sibling .map, sourceMappingURL (file or inline data URL), or a build-output folder. */
  private findMap(generated: string, text: string): { raw: string; mapPath: string } | undefined {
    const url = /\/\/[#@]\s*sourceMappingURL=([^\s'"]+)\s*$/m.exec(text.slice(-4096))?.[1];
    if (url?.startsWith('data:')) {
      const m = /^data:application\/json(?:;charset=[\w-]+)?;base64,(.*)$/.exec(url);
      if (m) return { raw: Buffer.from(m[1]!, 'base64').toString('utf8'), mapPath: generated };
      const plain = /^data:application\/json(?:;charset=[\w-]+)?,(.*)$/.exec(url);
      if (plain) return { raw: decodeURIComponent(plain[1]!), mapPath: generated };
      return undefined;
    }
    const candidates = [
      ...(url && !/^[a-z]+:/i.test(url) ? [resolve(dirname(generated), url)] : []),
      `${generated}.map`,
      ...(this.options.outputFolders ?? []).map((d) => join(d, `${generated.split(/[\\/]/).pop()!}.map`)),
    ];
    for (const c of candidates) {
      const ok = this.files.confine(c);
      if (!('path' in ok)) continue;
      try {
        return { raw: readFileSync(ok.path, 'utf8'), mapPath: ok.path };
      } catch {
        // try the next
      }
    }
    return undefined;
  }

  private async load(generated: string): Promise<CachedMap | undefined> {
    const recent = this.cache.get(generated);
    if (recent && Date.now() - recent.checkedAt < recheckMs) return recent;
    let stat: { mtimeMs: number; size: number };
    try {
      stat = statSync(generated);
    } catch {
      return undefined;
    }
    const hit = this.cache.get(generated);
    if (hit !== undefined) {
      if (hit === null) return undefined;
      if (hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) {
        hit.checkedAt = Date.now();
        // Most recently used last: the byte budget evicts from the front.
        this.cache.delete(generated);
        this.cache.set(generated, hit);
        return hit;
      }
      this.evict(generated);
    }
    const text = readFileSync(generated, 'utf8');
    const found = this.findMap(generated, text);
    if (!found) {
      this.cache.set(generated, null);
      return undefined;
    }
    const raw = JSON.parse(found.raw) as RawSourceMap;
    const consumer = await new SourceMapConsumer(raw);
    const origins = new Map<number, Set<string>>();
    consumer.eachMapping((m) => {
      if (m.source === null) return;
      let set = origins.get(m.generatedLine);
      if (!set) origins.set(m.generatedLine, (set = new Set()));
      if (set.size <= minifiedLineThreshold) set.add(`${m.source}:${m.originalLine}`);
    });
    const originsPerLine = new Map([...origins].map(([line, set]) => [line, set.size]));
    // The wasm side holds the decoded mappings: count the map's text several times over.
    const cost = text.length + found.raw.length * 4;
    const entry: CachedMap = {
      consumer,
      mapPath: found.mapPath,
      mtimeMs: stat.mtimeMs,
      size: stat.size,
      generatedLines: text.split('\n'),
      originsPerLine,
      sourceRoot: raw.sourceRoot ?? '',
      cost,
      definitions: new Map(),
      confined: new Map(),
      checkedAt: Date.now(),
    };
    this.cache.set(generated, entry);
    this.bytes += cost;
    this.trim();
    return entry;
  }

  private evict(key: string): void {
    const e = this.cache.get(key);
    this.cache.delete(key);
    if (e) {
      e.consumer.destroy();
      this.bytes -= e.cost;
    }
  }

  private trim(): void {
    const budget = this.options.maxCacheBytes ?? 256 * 1024 * 1024;
    for (const key of this.cache.keys()) {
      if (this.bytes <= budget || this.cache.size <= 1) break;
      this.evict(key);
    }
  }

  /** Forgets a file's map (the extension calls this when the file or its map changes). */
  invalidate(path: string): void {
    for (const [key, e] of this.cache) if (key === path || e?.mapPath === path) this.evict(key);
  }

  /** Frees every parsed map. */
  dispose(): void {
    for (const key of [...this.cache.keys()]) this.evict(key);
  }

  /** The column of the label's function on a generated line, or undefined. */
  private functionColumn(map: CachedMap, line: number, label: string | undefined): number | undefined {
    const fn = labelFunction(label);
    if (!fn) return undefined;
    let defs = map.definitions.get(line);
    if (!defs) map.definitions.set(line, (defs = definitionsOf(map.generatedLines[line - 1] ?? '')));
    return defs.get(fn);
  }

  /**
   * Where on a minified line the frame at chain[k] is: a unique call to its callee (chain[k - 1]),
   * the one `throw` of the innermost frame, its named function, or for an anonymous frame whose
   * callee was placed exactly, the callback or async-caller patterns of minifiedCallers.
   */
  private place(
    map: CachedMap,
    line: number,
    text: string,
    chain: readonly (string | undefined)[],
    k: number,
    innermostFirst: boolean,
    memo: Map<number, Placed | undefined>,
  ): Placed | undefined {
    if (memo.has(k)) return memo.get(k);
    const label = chain[k];
    const callee = k > 0 ? chain[k - 1] : undefined;
    const at = this.functionColumn(map, line, label);
    const body = at === undefined ? undefined : functionBody(text, at);
    const calls = callee ? callSites(text, labelFunction(callee), body) : [];
    const throws = k === 0 && innermostFirst && body ? throwSites(text, body) : [];
    let placed: Placed | undefined;
    if (calls.length === 1)
      placed = { column: calls[0]!, precision: 'line', narrowed: `call to ${labelFunction(callee)}` };
    else if (throws.length === 1) placed = { column: throws[0]!, precision: 'line', narrowed: 'the throw' };
    else if (at !== undefined) placed = { column: at, precision: 'function' };
    else if (k > 0 && !labelFunction(label)) {
      const inner = this.place(map, line, text, chain, k - 1, innermostFirst, memo);
      const found = inner?.precision === 'line' ? anonymousCaller(text, inner.column) : undefined;
      if (found) placed = { column: found.column, precision: 'line', narrowed: found.how };
    }
    memo.set(k, placed);
    return placed;
  }

  /**
   * Maps a 1-based line (and optional label) in a generated file to the original source inside
   * the workspace; undefined when the file has no map. On a minified line, the frames inside this
   * one on the same line (`inner`, innermost first, the callee last) narrow the position to the
   * call site; `innermostFirst` says inner[0] (or this frame) is the stack's innermost frame, whose
   * single `throw` narrows it to that.
   */
  async resolve(
    generated: string,
    line: number,
    label?: string,
    stack: { inner?: readonly (string | undefined)[]; innermostFirst?: boolean } = {},
  ): Promise<Resolution | undefined> {
    const map = await this.load(generated);
    if (!map) return undefined;
    const text = map.generatedLines[line - 1];
    if (text === undefined) return { unresolved: `${generated} has no line ${line}` };
    const minified = (map.originsPerLine.get(line) ?? 0) > minifiedLineThreshold;
    let column: number;
    let precision: SourceLocation['precision'] = 'line';
    let narrowed: string | undefined;
    if (minified) {
      const chain = [...(stack.inner ?? []), label];
      const placed = this.place(map, line, text, chain, chain.length - 1, stack.innermostFirst ?? false, new Map());
      if (!placed) {
        const callee = stack.inner?.[stack.inner.length - 1];
        return {
          unresolved: `line ${line} of ${generated} is minified and the frame's label (${label ?? 'none'}) names no function on it${callee ? `, nor one call to ${callee}` : ''}`,
        };
      }
      ({ column, precision, narrowed } = placed);
    } else {
      // The first mapped position of the line: its statement's original line.
      column = text.length - text.trimStart().length;
    }
    let pos = map.consumer.originalPositionFor({ line, column, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
    if (pos.source === null)
      pos = map.consumer.originalPositionFor({ line, column, bias: SourceMapConsumer.GREATEST_LOWER_BOUND });
    if (pos.source === null || pos.line === null)
      return { unresolved: `the source map of ${generated} maps nothing at line ${line}` };
    if (
      /^[a-z][a-z0-9+.-]*:/i.test(pos.source) &&
      !pos.source.startsWith('webpack://') &&
      !/^[a-zA-Z]:[\\/]/.test(pos.source)
    ) {
      return {
        unresolved: `the source map of ${generated} points at ${pos.source}: a URL, refused (only workspace files are opened)`,
      };
    }
    const source = pos.source.replace(/^webpack:\/\/[^/]*\//, '');
    const absolute = isAbsolute(source) || /^[a-zA-Z]:[\\/]/.test(source);
    const abs = absolute ? source : resolve(dirname(map.mapPath), source);
    let ok = map.confined.get(abs);
    if (!ok) map.confined.set(abs, (ok = this.confineSource(source, abs, absolute)));
    if (!('path' in ok))
      return { unresolved: `the source map of ${generated} points at ${pos.source}, which is refused: ${ok.refused}` };
    return {
      path: ok.path,
      line: pos.line,
      column: pos.column === null ? undefined : pos.column + 1,
      via: 'source-map',
      precision,
      detail: `${this.files.relative(generated)}:${line}${narrowed ? ` (minified; ${narrowed})` : precision === 'function' ? ` (minified; function ${labelFunction(label)})` : ''} → ${this.files.relative(ok.path)}:${pos.line} through ${this.files.relative(map.mapPath)}`,
    };
  }

  /**
   * The workspace file a map's source names. An absolute source that is not in the workspace was
   * usually written on the build machine (CI, a container): it maps, as a frame's path does, to the
   * one workspace file that ends with its last parts, never to the path itself. A relative source
   * that climbs out of the workspace stays refused.
   */
  private confineSource(source: string, abs: string, absolute: boolean): { path: string } | { refused: string } {
    const direct = this.files.confine(abs);
    if ('path' in direct || !absolute) return direct;
    const parts = segmentsOf(source);
    if (parts.includes('..')) return direct;
    const matches = this.files.bySuffix(parts);
    const best = matches[0]?.matched ?? 0;
    const top = matches.filter((m) => m.matched === best);
    // A file name alone is weak evidence for a path written elsewhere: two parts at least, and one file.
    if (best < Math.min(2, parts.length) || top.length !== 1) return direct;
    // Through confine again: a symlink in the workspace that leads out stays refused.
    return this.files.confine(top[0]!.path);
  }
}
