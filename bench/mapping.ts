// Mapping benchmarks: source-map lookups for 10,000 frames through a real multi-megabyte minified
// map (TypeScript's compiler, minified by esbuild), cold and warm, against @jridgewell/trace-mapping
// doing the same lookups in the same run.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { buildSync } from 'esbuild';
import { indexWorkspace, InstrumentationIndex } from '../src/mapping/instrumentation';
import { SourceMapResolver } from '../src/mapping/sourceMaps';
import { WorkspaceFiles } from '../src/mapping/workspaceFiles';
import { isLocation } from '../src/mapping/location';

/** Prints one figure. */
type Emit = (figure: Record<string, unknown>) => void;

/** Resolves 10,000 frames of a minified multi-megabyte bundle, cold and warm, vs trace-mapping. */
export async function benchSourceMaps(emit: Emit): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'trace-lens-bench-maps-'));
  try {
    // The compiler's source goes into the workspace: mapped paths outside it are refused.
    mkdirSync(join(ws, 'src'));
    copyFileSync(require.resolve('typescript/lib/typescript.js'), join(ws, 'src', 'typescript.js'));
    const out = join(ws, 'dist', 'bundle.js');
    buildSync({
      entryPoints: [join(ws, 'src', 'typescript.js')],
      bundle: true,
      minify: true,
      sourcemap: true,
      platform: 'node',
      format: 'cjs',
      outfile: out,
      logLevel: 'silent',
    });
    const code = readFileSync(out, 'utf8');
    const rawMap = readFileSync(`${out}.map`, 'utf8');
    // Frames as X-Ray records them: the bundle's path, the line, and the function's (minified) name.
    const lines = code.split('\n');
    const defs: { line: number; name: string; column: number }[] = [];
    lines.forEach((text, i) => {
      for (const m of text.matchAll(/function\s+([\w$]+)\s*\(/g))
        defs.push({ line: i + 1, name: m[1]!, column: m.index + m[0].indexOf(m[1]!) });
    });
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const frames = Array.from({ length: 10_000 }, () => defs[Math.floor(rand() * defs.length)]!);

    // Ours, cold: find and parse the map, then the first frame.
    let t = performance.now();
    const maps = new SourceMapResolver(new WorkspaceFiles([ws]));
    const first = await maps.resolve(out, frames[0]!.line, frames[0]!.name);
    const oursCold = performance.now() - t;
    if (!isLocation(first)) throw new Error(`benchmark frame did not resolve: ${JSON.stringify(first)}`);
    t = performance.now();
    let resolved = 0;
    for (const f of frames) if (isLocation(await maps.resolve(out, f.line, f.name))) resolved++;
    const oursWarm = performance.now() - t;
    maps.dispose();

    // trace-mapping, cold and warm, given the columns (it has no label search of its own).
    t = performance.now();
    const tm = new TraceMap(rawMap);
    originalPositionFor(tm, { line: frames[0]!.line, column: frames[0]!.column });
    const tmCold = performance.now() - t;
    t = performance.now();
    let tmResolved = 0;
    for (const f of frames) if (originalPositionFor(tm, { line: f.line, column: f.column }).source) tmResolved++;
    const tmWarm = performance.now() - t;

    emit({
      figure: 'source-map lookups of 10,000 minified frames',
      bundleMB: +(code.length / 1e6).toFixed(2),
      mapMB: +(rawMap.length / 1e6).toFixed(2),
      functionsOnLines: defs.length,
      resolved,
      coldMs: +oursCold.toFixed(1),
      warmMs: +oursWarm.toFixed(1),
      warmUsPerFrame: +((oursWarm * 1000) / frames.length).toFixed(1),
      baseline: '@jridgewell/trace-mapping (given the columns)',
      baselineResolved: tmResolved,
      baselineColdMs: +tmCold.toFixed(1),
      baselineWarmMs: +tmWarm.toFixed(1),
      coldRatio: +(oursCold / tmCold).toFixed(2),
      warmRatio: +(oursWarm / tmWarm).toFixed(2),
      note: 'ours also finds each frame\u2019s column from its label, confines the path to the workspace and describes the result',
    });
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

/** The sample's source files (JS), to copy into a generated workspace. */
function sampleSources(root: string): { rel: string; text: string }[] {
  const out: { rel: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (!/^(node_modules|dist|dist-min)$/.test(name)) walk(p);
      } else if (name.endsWith('.js')) out.push({ rel: p.slice(root.length + 1), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(root, 'services'));
  return out;
}

/** Indexes a generated 5,000-file workspace (the sample's instrumented files, renamed, among plain code); reports files/s and a lookup. */
export async function benchIndex(emit: Emit, sampleRoot: string): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'trace-lens-bench-index-'));
  try {
    const sources = sampleSources(sampleRoot);
    let bytes = 0;
    const names: string[] = [];
    // Whole copies of the sample's tree, so imports between its files (its wrappers) still resolve.
    for (let i = 0; i < 5000; i++) {
      const copy = Math.floor(i / sources.length);
      const src = sources[i % sources.length]!;
      // Every copy names its spans differently, so lookups have one right answer.
      const text = src.text.replace(
        /(capture|captureAsyncFunc|startActiveSpan|traced)\((['`])([\w.]+)\2/g,
        (_m, fn: string, q: string, name: string) => {
          names.push(`${name}-${copy}`);
          return `${fn}(${q}${name}-${copy}${q}`;
        },
      );
      const file = join(ws, `copy${copy}`, src.rel);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
      bytes += text.length;
    }
    const index = new InstrumentationIndex();
    let t = performance.now();
    const r = await indexWorkspace(ws, index);
    const ms = performance.now() - t;
    t = performance.now();
    let found = 0;
    for (let i = 0; i < 1000; i++) if (index.lookup(names[(i * 7919) % names.length]!).length) found++;
    const lookupMs = performance.now() - t;
    // Baseline in the same run: reading the same files and matching one regular expression per line.
    t = performance.now();
    let naive = 0;
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else
          for (const line of readFileSync(p, 'utf8').split('\n'))
            if (/captureAsyncFunc|startActiveSpan|capture\(/.test(line)) naive++;
      }
    };
    walk(ws);
    const naiveMs = performance.now() - t;
    emit({
      figure: 'instrumentation index of a 5,000-file workspace',
      files: r.files,
      sitesRenamed: names.length,
      megabytes: +(bytes / 1e6).toFixed(2),
      indexMs: +ms.toFixed(0),
      filesPerSecond: Math.round(r.files / (ms / 1000)),
      lookups: 1000,
      lookupsFound: found,
      lookupMs: +lookupMs.toFixed(1),
      baseline: 'read every file and grep each line once',
      baselineMs: +naiveMs.toFixed(0),
      ratio: +(ms / naiveMs).toFixed(2),
      naiveHits: naive,
    });
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}
