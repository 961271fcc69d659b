// Builds the inventory service with esbuild, twice from the same sources (services/inventory/src/):
//   services/inventory/dist/server.js + server.js.map       a bundle, not minified (what runs by default)
//   services/inventory/dist-min/server.js + server.js.map   the same bundle minified, as a production
//                                                           build would ship it (keepNames off)
// Dependencies stay in node_modules (packages: 'external'); the service's own modules are bundled.
// X-Ray stack frames carry a line but no column: in dist/ every function has lines of its own, in
// dist-min/ the whole service is on one line and only a frame's label (the function name V8
// reports: minified, or a property name) tells the functions on it apart.
//
//   node build.mjs          (npm run build) builds both
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Where each build of inventory goes, relative to this folder. */
export const INVENTORY_BUILDS = {
  bundle: { outfile: 'services/inventory/dist/server.js', minify: false },
  minified: { outfile: 'services/inventory/dist-min/server.js', minify: true },
};

/** Builds inventory as `build` ('bundle' or 'minified'); returns the output file relative to this folder. */
export async function buildInventory({ build = 'bundle', logLevel = 'info' } = {}) {
  const def = INVENTORY_BUILDS[build];
  if (!def) throw new Error(`unknown inventory build ${build} (${Object.keys(INVENTORY_BUILDS).join(', ')})`);
  await esbuild.build({
    absWorkingDir: here,
    entryPoints: ['services/inventory/src/server.js'],
    outfile: def.outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    minify: def.minify,
    // keepNames stays off: a minified production build lets V8 report the minified names.
    logLevel,
  });
  return def.outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const build of Object.keys(INVENTORY_BUILDS)) await buildInventory({ build });
}
