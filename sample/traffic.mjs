#!/usr/bin/env node
// Starts the sample shop (orders + inventory with the X-Ray SDK, catalog with OpenTelemetry),
// sends requests over all their routes, waits for the SDKs to flush, stops the services and
// prints a JSON summary of what was sent.
//
//   node traffic.mjs --xray 127.0.0.1:2000 --otlp http://127.0.0.1:4318 --requests 30
//   node traffic.mjs --xray 127.0.0.1:2000 --otlp http://127.0.0.1:4318 --forever
//
// Options:
//   --xray HOST:PORT          X-Ray daemon address for the X-Ray SDK (UDP)     [127.0.0.1:2000]
//   --otlp URL                OTLP/HTTP endpoint: a base URL (/v1/traces is appended) or a
//                             full .../v1/traces URL                           [http://127.0.0.1:4318]
//   --otlp-protocol P         http/json or http/protobuf                       [http/protobuf]
//   --otlp-compression C      none or gzip                                     [none]
//   --semconv LIST            OTEL_SEMCONV_STABILITY_OPT_IN for catalog, e.g. "http,code" or "http/dup,code/dup"
//   --requests N              how many requests to send                        [30]
//   --only xray|otel          send only to the X-Ray services or only to catalog
//   --forever                 keep sending (one request every --interval ms) until SIGINT/SIGTERM
//   --interval MS             pause between requests                           [0, or 1500 with --forever]
//   --inventory-build B       what inventory runs from: bundle (dist/server.js), minified
//                             (dist-min/server.js) or source (src/server.js)  [bundle]
//   --quiet                   don't echo the services' output (it goes to stderr otherwise)
// The summary goes to stdout; everything else to stderr.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildInventory, INVENTORY_BUILDS } from './build.mjs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const opts = {
    xray: '127.0.0.1:2000',
    otlp: 'http://127.0.0.1:4318',
    otlpProtocol: 'http/protobuf',
    otlpCompression: 'none',
    semconv: undefined,
    requests: 30,
    only: undefined,
    forever: false,
    interval: undefined,
    inventoryBuild: 'bundle',
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--xray': opts.xray = value(); break;
      case '--otlp': opts.otlp = value(); break;
      case '--otlp-protocol': opts.otlpProtocol = value(); break;
      case '--otlp-compression': opts.otlpCompression = value(); break;
      case '--semconv': opts.semconv = value(); break;
      case '--requests': opts.requests = Number(value()); break;
      case '--only': opts.only = value(); break;
      case '--forever': opts.forever = true; break;
      case '--interval': opts.interval = Number(value()); break;
      case '--inventory-build': opts.inventoryBuild = value(); break;
      case '--quiet': opts.quiet = true; break;
      case '-h':
      case '--help':
        process.stdout.write(
          'usage: node traffic.mjs [--xray HOST:PORT] [--otlp URL] [--otlp-protocol http/json|http/protobuf]\n' +
            '       [--otlp-compression none|gzip] [--semconv LIST] [--requests N | --forever [--interval MS]]\n' +
            '       [--only xray|otel] [--inventory-build bundle|minified|source] [--quiet]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg} (try --help)`);
    }
  }
  if (!/^[^:]+:\d+$/.test(opts.xray)) throw new Error(`--xray must be HOST:PORT, got ${opts.xray}`);
  if (!['http/json', 'http/protobuf'].includes(opts.otlpProtocol)) throw new Error('--otlp-protocol must be http/json or http/protobuf');
  if (!['none', 'gzip'].includes(opts.otlpCompression)) throw new Error('--otlp-compression must be none or gzip');
  if (opts.only && !['xray', 'otel'].includes(opts.only)) throw new Error('--only must be xray or otel');
  if (!['bundle', 'minified', 'source'].includes(opts.inventoryBuild)) throw new Error('--inventory-build must be bundle, minified or source');
  if (!opts.forever && !(Number.isInteger(opts.requests) && opts.requests >= 0)) throw new Error('--requests must be a whole number');
  new URL(opts.otlp); // throws on a bad URL
  opts.interval ??= opts.forever ? 1500 : 0;
  return opts;
}

// ---------------------------------------------------------------- what to send
// Each entry: service, kind (normal | slow | 4xx | exception | many-subsegments), method, path, body.
// The 4xx ones: 404 (unknown order, unknown sku), 400 (empty cart), 422 (unknown customer),
// 429 (throttled). The exceptions: a PaymentDeclinedError thrown in orders, and two thrown in
// inventory (orders answers 502 to both): a TypeError (a corrupt warehouse record, inventory 500)
// and a ValidationError (a quantity of 0, inventory 400). Slow: the payment provider, the invoice
// renderer.
const XRAY_ROUTES = [
  { service: 'orders', kind: 'normal', method: 'GET', path: '/orders/1001' },
  { service: 'orders', kind: 'normal', method: 'POST', path: '/checkout', body: { customerId: 'c-grace', lines: [{ sku: 'SKU-MUG', qty: 2 }, { sku: 'SKU-TEA', qty: 1 }, { sku: 'SKU-KETTLE', qty: 1 }] } },
  { service: 'orders', kind: '4xx', method: 'GET', path: '/orders/4040' },
  { service: 'orders', kind: 'slow', method: 'POST', path: '/checkout?slow=1', body: { customerId: 'c-ada', lines: [{ sku: 'SKU-GRINDER', qty: 1 }, { sku: 'SKU-TEA', qty: 3 }] } },
  { service: 'orders', kind: 'exception', method: 'POST', path: '/checkout', body: { customerId: 'c-declined', lines: [{ sku: 'SKU-MUG', qty: 1 }] } },
  { service: 'orders', kind: 'many-subsegments', method: 'GET', path: '/reports/daily?days=30' },
  { service: 'orders', kind: 'exception', method: 'POST', path: '/checkout', body: { customerId: 'c-linus', lines: [{ sku: 'SKU-TEA', qty: 2 }, { sku: 'SKU-BROKEN', qty: 1 }] } },
  { service: 'orders', kind: 'normal', method: 'GET', path: '/orders/1002' },
  { service: 'orders', kind: '4xx', method: 'POST', path: '/checkout', body: { customerId: 'c-ada', lines: [] } },
  { service: 'orders', kind: 'slow', method: 'GET', path: '/orders/1003/invoice' },
  { service: 'inventory', kind: '4xx', method: 'GET', path: '/stock/SKU-NOPE' },
  { service: 'orders', kind: '4xx', method: 'POST', path: '/checkout', body: { customerId: 'c-nobody', lines: [{ sku: 'SKU-MUG', qty: 1 }] } },
  { service: 'orders', kind: '4xx', method: 'GET', path: '/orders/1002/tracking' },
  { service: 'orders', kind: 'exception', method: 'POST', path: '/checkout', body: { customerId: 'c-grace', lines: [{ sku: 'SKU-MUG', qty: 1 }, { sku: 'SKU-KETTLE', qty: 0 }] } },
];
const OTEL_ROUTES = [
  { service: 'catalog', kind: 'normal', method: 'GET', path: '/products?q=tea' },
  { service: 'catalog', kind: 'normal', method: 'GET', path: '/products/p-kettle' },
  { service: 'catalog', kind: '4xx', method: 'GET', path: '/products/p-nope' },
  { service: 'catalog', kind: 'exception', method: 'GET', path: '/products/p-grinder/reviews' },
  { service: 'catalog', kind: 'normal', method: 'GET', path: '/products/p-mug/reviews' },
];

function schedule(only) {
  if (only === 'xray') return XRAY_ROUTES;
  if (only === 'otel') return OTEL_ROUTES;
  // Interleave: two X-Ray requests, then one OpenTelemetry request.
  const mixed = [];
  let o = 0;
  XRAY_ROUTES.forEach((r, i) => {
    mixed.push(r);
    if (i % 2 === 1) mixed.push(OTEL_ROUTES[o++ % OTEL_ROUTES.length]);
  });
  return mixed;
}

// ---------------------------------------------------------------- services
// inventory's script depends on --inventory-build (INVENTORY_SCRIPTS).
const INVENTORY_SCRIPTS = {
  bundle: INVENTORY_BUILDS.bundle.outfile,
  minified: INVENTORY_BUILDS.minified.outfile,
  source: 'services/inventory/src/server.js',
};
const SERVICES = {
  inventory: { script: INVENTORY_SCRIPTS.bundle, cwd: 'services/inventory' },
  orders: { script: 'services/orders/server.js', cwd: 'services/orders' },
  catalog: { script: 'services/catalog/server.js', cwd: 'services/catalog' },
};

const children = new Map(); // name -> ChildProcess

function serviceEnv(name, opts, extra) {
  const env = { ...process.env, PORT: '0', ...extra };
  // Never let the services pick up stray tracing settings from the caller's shell.
  for (const key of Object.keys(env)) {
    if (key.startsWith('OTEL_') || key.startsWith('AWS_XRAY_')) delete env[key];
  }
  delete env.NODE_OPTIONS; // e.g. --enable-source-maps would rewrite the stack frames of the bundle
  // What `npm start` in the service's own package would set; the X-Ray SDK reports it as the
  // segment's service.name / service.version.
  env.npm_package_name = name;
  env.npm_package_version = '1.0.0';
  env.AWS_XRAY_DAEMON_ADDRESS = opts.xray;
  env.AWS_XRAY_CONTEXT_MISSING = 'IGNORE_ERROR';
  if (name === 'catalog') {
    env.OTEL_SERVICE_NAME = 'catalog';
    const url = new URL(opts.otlp);
    if (url.pathname.replace(/\/+$/, '').endsWith('/v1/traces')) env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = opts.otlp;
    else env.OTEL_EXPORTER_OTLP_ENDPOINT = opts.otlp;
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = opts.otlpProtocol;
    env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = opts.otlpCompression;
    if (opts.semconv) env.OTEL_SEMCONV_STABILITY_OPT_IN = opts.semconv;
  }
  return env;
}

function startService(name, opts, extraEnv) {
  const def = name === 'inventory' ? { ...SERVICES.inventory, script: INVENTORY_SCRIPTS[opts.inventoryBuild] } : SERVICES[name];
  const script = path.join(here, def.script);
  if (!existsSync(script)) {
    throw new Error(`${def.script} is missing: run \`npm run build\` in ${here}`);
  }
  const child = spawn(process.execPath, [script], {
    cwd: path.join(here, def.cwd),
    env: serviceEnv(name, opts, extraEnv),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.set(name, child);
  const echo = (stream) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop();
      if (!opts.quiet) for (const line of lines) process.stderr.write(`[${name}] ${line}\n`);
    });
  };
  echo(child.stdout);
  echo(child.stderr);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 15 s`)), 15_000);
    child.on('message', (msg) => {
      if (msg && msg.ready) {
        clearTimeout(timer);
        resolve({ name, pid: child.pid, port: msg.port, url: `http://127.0.0.1:${msg.port}` });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}

function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM every service (catalog flushes its spans then), SIGKILL whatever is left after 10 s. */
async function stopServices() {
  const running = [...children.values()];
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const exited = await Promise.all(running.map((c) => waitForExit(c, 10_000)));
  running.forEach((c, i) => {
    if (!exited[i]) c.kill('SIGKILL');
  });
  await Promise.all(running.map((c) => waitForExit(c, 2_000)));
}

// Last resort: never leave a service behind, even when this script dies on an exception.
process.on('exit', () => {
  for (const child of children.values()) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

// ---------------------------------------------------------------- requests
async function send(route, urls) {
  const started = performance.now();
  const init = { method: route.method, headers: {} };
  if (route.body !== undefined) {
    init.body = JSON.stringify(route.body);
    init.headers['content-type'] = 'application/json';
  }
  let status = 0;
  let error;
  try {
    const res = await fetch(urls[route.service] + route.path, { ...init, signal: AbortSignal.timeout(15_000) });
    status = res.status;
    await res.arrayBuffer();
  } catch (err) {
    error = err.message;
  }
  return { service: route.service, kind: route.kind, method: route.method, path: route.path, status, ms: Math.round(performance.now() - started), ...(error ? { error } : {}) };
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

function summarize(opts, services, sent, startedAt) {
  const count = (key) => sent.reduce((acc, r) => ((acc[r[key]] = (acc[r[key]] || 0) + 1), acc), {});
  return {
    xray: opts.xray,
    otlp: opts.otlp,
    otlpProtocol: opts.otlpProtocol,
    otlpCompression: opts.otlpCompression,
    semconv: opts.semconv ?? null,
    // Only when it is not the default bundle, so the summary of a default run stays as it was.
    ...(opts.inventoryBuild !== 'bundle' ? { inventoryBuild: opts.inventoryBuild, inventoryScript: path.join(here, INVENTORY_SCRIPTS[opts.inventoryBuild]) } : {}),
    node: process.version,
    services: Object.fromEntries(services.map((s) => [s.name, { port: s.port, pid: s.pid }])),
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    requests: sent.length,
    failed: sent.filter((r) => r.status === 0).length,
    byService: count('service'),
    byKind: count('kind'),
    byStatus: count('status'),
    sent,
  };
}

// ---------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const stop = new AbortController();
  const onSignal = (sig) => {
    if (!stop.signal.aborted) process.stderr.write(`traffic: ${sig}, stopping\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // The inventory service runs from a bundle (dist/, or the minified dist-min/): (re)build it, it
  // takes a few milliseconds. From source (src/, ES modules) it needs no build.
  if (opts.inventoryBuild !== 'source') await buildInventory({ build: opts.inventoryBuild, logLevel: 'warning' });

  const startedAt = Date.now();
  const services = [];
  const sent = [];
  try {
    try {
      const inventory = await startService('inventory', opts);
      services.push(inventory);
      const downstream = { INVENTORY_URL: inventory.url };
      services.push(...(await Promise.all([startService('orders', opts, downstream), startService('catalog', opts, downstream)])));
    } catch (e) {
      // Stopped while starting (Ctrl-C reaches the services too): a stop, not a failure.
      if (stop.signal.aborted) return;
      throw e;
    }
    const urls = Object.fromEntries(services.map((s) => [s.name, s.url]));
    process.stderr.write(`traffic: ${services.map((s) => `${s.name} ${s.url}`).join(', ')}; X-Ray -> ${opts.xray}, OTLP -> ${opts.otlp} (${opts.otlpProtocol}, ${opts.otlpCompression})\n`);

    const routes = schedule(opts.only);
    for (let i = 0; !stop.signal.aborted && (opts.forever || i < opts.requests); i++) {
      const route = opts.forever ? routes[Math.floor(Math.random() * routes.length)] : routes[i % routes.length];
      const result = await send(route, urls);
      sent.push(result);
      if (opts.forever) process.stderr.write(`traffic: ${result.method} ${route.service}${result.path} -> ${result.status || result.error} (${result.ms} ms)\n`);
      if (opts.interval) await sleep(opts.interval, stop.signal);
    }
    // The X-Ray SDK sends each document when it completes, asynchronously: give the last
    // datagrams a moment, then stop the services (catalog exports its last spans on SIGTERM).
    await sleep(750);
  } finally {
    await stopServices();
  }
  const summary = summarize(opts, services, sent, startedAt);
  if (opts.forever) delete summary.sent; // could be long
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}

main().catch(async (err) => {
  process.stderr.write(`traffic: ${err.stack || err}\n`);
  await stopServices().catch(() => {});
  process.exit(1);
});
