// Mapping benchmarks: source-map lookups for 10,000 frames through a real multi-megabyte minified
// map (TypeScript's compiler, minified by esbuild), cold and warm, against @jridgewell/trace-mapping
// doing the same lookups in the same run.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { buildSync } from 'esbuild';
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
    buildSync({ entryPoints: [join(ws, 'src', 'typescript.js')], bundle: true, minify: true, sourcemap: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'silent' });
    const code = readFileSync(out, 'utf8');
    const rawMap = readFileSync(`${out}.map`, 'utf8');
    // Frames as X-Ray records them: the bundle's path, the line, and the function's (minified) name.
    const lines = code.split('\n');
    const defs: { line: number; name: string; column: number }[] = [];
    lines.forEach((text, i) => {
      for (const m of text.matchAll(/function\s+([\w$]+)\s*\(/g)) defs.push({ line: i + 1, name: m[1]!, column: m.index + m[0].indexOf(m[1]!) });
    });
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
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
