// Builds every bundle: extension host and CLI (Node, CommonJS), webviews (browser), and with
// --tests the test suites (so mocha runs plain JavaScript on any Node, no TS loader needed).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests') || watch;

/** Files under dir whose name passes the test, depth first, sorted for stable output. */
function find(dir, test) {
  const out = [];
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path, test));
    else if (test(name)) out.push(path);
  }
  return out;
}

const common = {
  bundle: true,
  logLevel: 'warning',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: production ? 'none' : 'inline',
};

/**
 * `import code from 'worker-text:./file.ts'` gives the file bundled on its own (an IIFE) as a string.
 * The webview CSP has worker-src blob: and no connect-src, so a view starts its Worker from a blob
 * of that string instead of fetching a second script.
 */
const workerText = {
  name: 'worker-text',
  setup(build) {
    build.onResolve({ filter: /^worker-text:/ }, (a) => ({
      path: resolve(dirname(a.importer), a.path.slice('worker-text:'.length)),
      namespace: 'worker-text',
    }));
    build.onLoad({ filter: /.*/, namespace: 'worker-text' }, async (a) => {
      const r = await esbuild.build({
        entryPoints: [a.path],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        minify: production,
        legalComments: common.legalComments,
        logLevel: 'warning',
        metafile: true,
      });
      return {
        contents: `export default ${JSON.stringify(r.outputFiles[0].text)};`,
        loader: 'js',
        // Rebuild the view in --watch when the worker or what it imports changes.
        watchFiles: Object.keys(r.metafile.inputs).map((f) => resolve(f)),
      };
    });
  },
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const configs = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: Object.fromEntries(
      find('webview', (n) => n === 'main.ts').map((p) => [relative('webview', p).split(/[\\/]/)[0], p]),
    ),
    outdir: 'dist/webview',
    plugins: [workerText],
  },
];

if (tests) {
  // Each test file is its own bundle with our sources inlined; npm packages stay external and
  // resolve from node_modules at run time (mocha, playwright-core, and 'vscode' in the host).
  const testEntries = find('test', (n) => n.endsWith('.ts') && !n.endsWith('.d.ts')).filter(
    (p) => !p.startsWith(join('test', 'fixtures')),
  );
  configs.push({
    ...node,
    sourcemap: 'inline',
    minify: false,
    target: 'node22',
    entryPoints: [...testEntries, ...find('bench', (n) => n.endsWith('.ts'))],
    outdir: 'out',
    outbase: '.',
    packages: 'external',
    external: ['vscode'],
  });
}

if (!watch) {
  rmSync('dist', { recursive: true, force: true });
  if (tests) rmSync('out', { recursive: true, force: true });
}

/** source-map's wasm, read from the bundle's folder (its read-wasm.js looks beside __dirname). */
function copyAssets() {
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/source-map/lib/mappings.wasm', 'dist/mappings.wasm');
}

if (watch) {
  copyAssets();
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching for changes');
} else {
  const started = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  copyAssets();
  console.log(
    `built ${configs.length} bundle groups in ${Date.now() - started} ms${production ? ' (production)' : ''}`,
  );
}
