// The workspace's instrumentation sites by name. Each file is scanned once per change into call
// candidates and wrapper candidates; sites are resolved from those lazily, on the next lookup,
// because a wrapper edited in one file changes the sites of every file that calls it. Only the
// files that call a changed wrapper are resolved again, and none is scanned again.
import { createHash } from 'node:crypto';
import { scanFile, type FileScan } from './fileScan';
import { familyOf, languageOf, type Family, type Language } from './language';
import { resolveSites, type InstrumentationSite, type ResolvedSite } from './sites';
import { buildWrappers, wrapperKey, wrapperSignatures, type WrapperTable } from './wrappers';

interface FileEntry {
  readonly path: string;
  readonly language: Language;
  readonly family: Family;
  readonly hash: string;
  readonly scan: FileScan;
  /** The forwarders as text: when it is unchanged, so are the wrappers the file defines. */
  readonly forwarding: string;
  /** Callee keys of its calls, to find the files a changed wrapper affects. */
  readonly callees: ReadonlySet<string>;
  readonly generated: boolean;
  sites: ResolvedSite[];
}

interface PatternEntry {
  readonly resolved: ResolvedSite;
  readonly re: RegExp;
}

// Test code repeats production span names (mocks, fixtures); the production site is the answer.
const testPath =
  /(?:^|[\\/])(?:tests?|__tests__|spec|__mocks__)[\\/]|[._-](?:test|spec)\.[cm]?[jt]sx?$|_test\.(?:go|py)$|(?:^|[\\/])test_[^\\/]*\.py$|Tests?\.(?:java|cs)$/;

/**
 * Build output that repeats the source's names at worse places: a file that points at a source
 * map, or whose lines are minified-long. Its sites are kept (it may be all there is) but rank last.
 */
export function looksGenerated(text: string): boolean {
  if (/[#@] sourceMappingURL=\S+\s*(?:\*\/)?\s*$/.test(text.slice(-400))) return true;
  if (text.length < 2000) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 250;
}

/** Where spans and subsegments are named in a workspace's source, by name. */
export class InstrumentationIndex {
  private readonly files = new Map<string, FileEntry>();
  /** Callee key to the files that call it. */
  private readonly callers = new Map<string, Set<string>>();
  private wrappers: WrapperTable = new Map();
  private signatures = new Map<string, string>();
  private wrappersStale = false;
  /** Files whose sites must be resolved before the next answer. */
  private readonly unresolved = new Set<string>();
  private readonly byName = new Map<string, ResolvedSite[]>();
  private readonly patterns = new Map<string, PatternEntry[]>();

  /** Adds or replaces one file's text; cheap when nothing changed. Files in other languages are ignored. */
  update(path: string, text: string): void {
    const language = languageOf(path);
    if (!language) {
      this.remove(path);
      return;
    }
    const hash = createHash('sha1').update(text).digest('base64');
    const old = this.files.get(path);
    if (old && old.hash === hash && old.language === language) return;
    const scan = scanFile(text, language);
    const family = familyOf(language);
    const forwarding = scan.forwarders.length
      ? JSON.stringify(
          scan.forwarders.map((f) => [
            f.name,
            f.params,
            f.fnParams,
            f.call.callee,
            f.call.receiver,
            f.call.args.map((a) => [a.keyword, a.expr, a.ref]),
          ]),
        )
      : '';
    if (old) this.detach(old);
    if ((old?.forwarding ?? '') !== forwarding) this.wrappersStale = true;
    const callees = new Set(scan.calls.map((c) => wrapperKey(family, c.callee)));
    const entry: FileEntry = {
      path,
      language,
      family,
      hash,
      scan,
      forwarding,
      callees,
      generated: looksGenerated(text),
      sites: [],
    };
    this.files.set(path, entry);
    for (const key of callees) {
      let set = this.callers.get(key);
      if (!set) this.callers.set(key, (set = new Set()));
      set.add(path);
    }
    this.unresolved.add(path);
  }

  /** Forgets a file. */
  remove(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    this.detach(old);
    this.files.delete(path);
    this.unresolved.delete(path);
    if (old.forwarding) this.wrappersStale = true;
  }

  /** Sites whose literal name equals name, else whose pattern matches it; best first. */
  lookup(name: string): InstrumentationSite[] {
    this.resolve();
    const exact = this.byName.get(name);
    if (exact?.length) return [...exact].sort(this.rank).map((r) => r.site);
    const matches: ResolvedSite[] = [];
    for (const entries of this.patterns.values())
      for (const e of entries) if (e.re.test(name)) matches.push(e.resolved);
    return matches.sort(this.rank).map((r) => r.site);
  }

  /** Best first: literal over pattern, the more literal pattern, source over generated code, production over tests. */
  private readonly rank = (a: ResolvedSite, b: ResolvedSite): number => {
    const generated = (r: ResolvedSite) => Number(this.files.get(r.site.path)?.generated ?? false);
    return (
      b.specificity - a.specificity ||
      generated(a) - generated(b) ||
      Number(testPath.test(a.site.path)) - Number(testPath.test(b.site.path)) ||
      (a.site.path < b.site.path ? -1 : a.site.path > b.site.path ? 1 : 0) ||
      a.site.line - b.site.line ||
      a.site.column - b.site.column
    );
  };

  /** Every site of one file, in source order. */
  sitesIn(path: string): InstrumentationSite[] {
    this.resolve();
    return (this.files.get(path)?.sites ?? [])
      .map((r) => r.site)
      .sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** Files indexed. */
  get size(): number {
    return this.files.size;
  }

  /** Takes a file's sites and calls out of the derived tables. */
  private detach(entry: FileEntry): void {
    this.unindex(entry);
    for (const key of entry.callees) {
      const set = this.callers.get(key);
      set?.delete(entry.path);
      if (set?.size === 0) this.callers.delete(key);
    }
  }

  private unindex(entry: FileEntry): void {
    for (const r of entry.sites) {
      if (r.site.name === undefined) continue;
      const list = this.byName.get(r.site.name);
      if (!list) continue;
      const kept = list.filter((x) => x.site.path !== entry.path);
      if (kept.length) this.byName.set(r.site.name, kept);
      else this.byName.delete(r.site.name);
    }
    this.patterns.delete(entry.path);
    entry.sites = [];
  }

  /** Brings the wrapper table and the sites of changed files up to date. */
  private resolve(): void {
    if (this.wrappersStale) {
      this.wrappersStale = false;
      this.wrappers = buildWrappers(
        [...this.files.values()]
          .filter((f) => f.scan.forwarders.length)
          .map((f) => ({ path: f.path, family: f.family, forwarders: f.scan.forwarders })),
      );
      const next = wrapperSignatures(this.wrappers);
      for (const key of new Set([...next.keys(), ...this.signatures.keys()])) {
        if (next.get(key) === this.signatures.get(key)) continue;
        for (const path of this.callers.get(key) ?? []) this.unresolved.add(path);
      }
      this.signatures = next;
    }
    for (const path of this.unresolved) {
      const entry = this.files.get(path);
      if (!entry) continue;
      this.unindex(entry);
      entry.sites = resolveSites(entry.path, entry.language, entry.scan, this.wrappers);
      const patterned: PatternEntry[] = [];
      for (const r of entry.sites) {
        if (r.site.name !== undefined) {
          const list = this.byName.get(r.site.name);
          if (list) list.push(r);
          else this.byName.set(r.site.name, [r]);
        } else if (r.site.pattern !== undefined) patterned.push({ resolved: r, re: new RegExp(r.site.pattern) });
      }
      if (patterned.length) this.patterns.set(path, patterned);
    }
    this.unresolved.clear();
  }
}
