// Bundles the inventory service with esbuild: services/inventory/dist/server.js + server.js.map.
// Dependencies stay in node_modules (packages: 'external'); the service's own modules are bundled.
// Not minified: X-Ray stack frames carry a line but no column, so the frames of a one-line bundle
// could not be mapped back through the source map.
//
//   node build.mjs          (npm run build)
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function buildInventory({ logLevel = 'info' } = {}) {
  await esbuild.build({
    absWorkingDir: here,
    entryPoints: ['services/inventory/src/server.js'],
    outfile: 'services/inventory/dist/server.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildInventory();
}
