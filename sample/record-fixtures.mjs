#!/usr/bin/env node
// Records what the real SDKs send, byte for byte, into ../test/fixtures/:
//   xray-sdk-node/datagrams.json   the UDP datagrams the X-Ray SDK sent to the "daemon"
//   xray-sdk-node/manifest.json    how they were made (traffic summary, versions, paths)
//   xray-sdk-node/inventory-dist/  the inventory bundle + source map their stack frames point into
//   xray-sdk-node-minified/        the same three for a run with inventory's minified bundle:
//     datagrams.json, manifest.json, inventory-dist-min/server.js + server.js.map
//   otel-node/NNN-*.json|.pb[.gz]  the OTLP/HTTP request bodies the OpenTelemetry exporter sent
//   otel-node/manifest.json        per body: file, URL path, Content-Type, Content-Encoding, run
// (and test/fixtures/README.md is written by hand).
//
// It listens on ephemeral loopback ports (a UDP socket standing in for the X-Ray daemon and an
// HTTP server standing in for an OTLP collector), runs traffic.mjs against them a few times and
// writes what arrived. Run it with `npm run record-fixtures` (traffic.mjs builds the bundles).
import dgram from 'node:dgram';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
// `--out DIR` writes somewhere else (to try a change without touching the committed fixtures).
const outIndex = process.argv.indexOf('--out');
const fixtures = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.resolve(here, '..', 'test', 'fixtures');
const otelDir = path.join(fixtures, 'otel-node');

// Where the X-Ray datagrams of a run go (`xray`), with the inventory build its frames point into.
const XRAY_SETS = {
  bundle: {
    dir: path.join(fixtures, 'xray-sdk-node'),
    servedFrom: 'services/inventory/dist',
    copyDir: 'inventory-dist',
  },
  minified: {
    dir: path.join(fixtures, 'xray-sdk-node-minified'),
    servedFrom: 'services/inventory/dist-min',
    copyDir: 'inventory-dist-min',
  },
};

// One run records both SDKs (OTLP as http/json); three record only catalog's OTLP output in the
// remaining encodings (their X-Ray datagrams, from catalog's calls to inventory, are dropped); the
// last one records only the X-Ray services, with inventory running from its minified bundle (its
// OTLP bodies, if catalog sent any, are dropped: otel-node/ is numbered as before).
const RUNS = [
  { name: 'all-json', args: ['--requests', '36', '--otlp-protocol', 'http/json'], xray: 'bundle' },
  { name: 'protobuf-stable-semconv', args: ['--only', 'otel', '--requests', '10', '--interval', '150', '--otlp-protocol', 'http/protobuf', '--semconv', 'http,code'] },
  { name: 'protobuf-gzip', args: ['--only', 'otel', '--requests', '5', '--otlp-protocol', 'http/protobuf', '--otlp-compression', 'gzip'] },
  { name: 'json-gzip-dup-semconv', args: ['--only', 'otel', '--requests', '5', '--otlp-protocol', 'http/json', '--otlp-compression', 'gzip', '--semconv', 'http/dup,code/dup'] },
  { name: 'xray-minified', args: ['--only', 'xray', '--requests', '28', '--inventory-build', 'minified'], xray: 'minified', dropOtlp: true },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function listenUdp(onMessage) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', onMessage);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}

function listenOtlp(onBody) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? null;
      onBody({ method: req.method, path: req.url, contentType, contentEncoding: req.headers['content-encoding'] ?? null, body: Buffer.concat(chunks) });
      // A successful, empty ExportTraceServiceResponse in the request's encoding.
      if (contentType && contentType.includes('json')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      } else {
        res.writeHead(200, { 'content-type': 'application/x-protobuf' });
        res.end();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function runTraffic(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'traffic.mjs'), ...args], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (t) => (out += t));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`traffic.mjs ${args.join(' ')} failed (code ${code}, signal ${signal})`));
      resolve(JSON.parse(out));
    });
  });
}

function versionOf(pkg) {
  return JSON.parse(readFileSync(path.join(here, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function resetDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

async function main() {
  const datagrams = Object.fromEntries(Object.keys(XRAY_SETS).map((k) => [k, []]));
  const builds = {}; // XRAY_SETS key -> { 'server.js': Buffer, 'server.js.map': Buffer } as it ran
  const bodies = [];
  let currentRun = null;

  const daemon = await listenUdp((msg) => {
    if (currentRun?.xray) datagrams[currentRun.xray].push(msg);
  });
  const collector = await listenOtlp((b) => {
    if (!currentRun?.dropOtlp) bodies.push({ ...b, run: currentRun?.name ?? null });
  });
  const xrayAddress = `127.0.0.1:${daemon.address().port}`;
  const otlpUrl = `http://127.0.0.1:${collector.address().port}`;
  process.stderr.write(`record-fixtures: X-Ray daemon stand-in udp://${xrayAddress}, OTLP collector stand-in ${otlpUrl}\n`);

  const summaries = [];
  try {
    for (const run of RUNS) {
      currentRun = run;
      process.stderr.write(`record-fixtures: run ${run.name}\n`);
      const summary = await runTraffic(['--xray', xrayAddress, '--otlp', otlpUrl, '--quiet', ...run.args]);
      await sleep(500); // late datagrams
      // The exact build the frames of this run point into (traffic.mjs rebuilt it for this run).
      if (run.xray) {
        const from = path.join(here, XRAY_SETS[run.xray].servedFrom);
        builds[run.xray] = Object.fromEntries(['server.js', 'server.js.map'].map((f) => [f, readFileSync(path.join(from, f))]));
      }
      summaries.push({ run: run.name, args: run.args, summary });
      if (summary.failed) throw new Error(`${summary.failed} request(s) of run ${run.name} failed`);
    }
  } finally {
    currentRun = null;
    daemon.close();
    collector.close();
  }

  // ------------------------------------------------------------ X-Ray
  const xrayCounts = {};
  for (const [key, set] of Object.entries(XRAY_SETS)) {
    const run = RUNS.find((r) => r.xray === key);
    xrayCounts[key] = writeXraySet(set, datagrams[key], builds[key], summaries.find((s) => s.run === run.name), key);
  }

  // ------------------------------------------------------------ OTLP
  resetDir(otelDir);
  const manifest = [];
  bodies.forEach((b, i) => {
    const json = (b.contentType || '').includes('json');
    const ext = (json ? '.json' : '.pb') + (b.contentEncoding === 'gzip' ? '.gz' : '');
    const file = `${String(i + 1).padStart(3, '0')}-${b.run}${ext}`;
    writeFileSync(path.join(otelDir, file), b.body);
    const run = summaries.find((s) => s.run === b.run);
    manifest.push({
      file,
      run: b.run,
      method: b.method,
      path: b.path,
      contentType: b.contentType,
      contentEncoding: b.contentEncoding,
      bytes: b.body.length,
      sha256: createHash('sha256').update(b.body).digest('hex'),
      protocol: run?.summary.otlpProtocol ?? null,
      semconvStabilityOptIn: run?.summary.semconv ?? null,
    });
  });
  writeFileSync(
    path.join(otelDir, 'manifest.json'),
    JSON.stringify(
      {
        recordedWith: 'sample/record-fixtures.mjs (cd sample && npm ci && npm run record-fixtures)',
        node: process.version,
        sdk: Object.fromEntries(
          ['@opentelemetry/api', '@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/instrumentation-http'].map((p) => [p, versionOf(p)]),
        ),
        sampleDir: here,
        runs: summaries.map((s) => ({ run: s.run, args: s.args, requests: s.summary.requests, byKind: s.summary.byKind, byStatus: s.summary.byStatus, otlpProtocol: s.summary.otlpProtocol, otlpCompression: s.summary.otlpCompression, semconv: s.summary.semconv })),
        files: manifest,
      },
      null,
      2,
    ) + '\n',
  );

  const size = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((n, e) => n + readFileSync(path.join(e.parentPath ?? e.path, e.name)).length, 0);
  const xrayStats = ({ docs }) => ({
    datagrams: docs.length,
    segmentDocuments: docs.filter((d) => d.type !== 'subsegment').length,
    subsegmentDocuments: docs.filter((d) => d.type === 'subsegment').length,
  });
  process.stdout.write(
    JSON.stringify(
      {
        ...xrayStats(xrayCounts.bundle),
        minified: xrayStats(xrayCounts.minified),
        otlpBodies: manifest.reduce((acc, m) => ((acc[`${m.contentType}${m.contentEncoding ? ' + ' + m.contentEncoding : ''}`] = (acc[`${m.contentType}${m.contentEncoding ? ' + ' + m.contentEncoding : ''}`] || 0) + 1), acc), {}),
        bytes: { xray: size(XRAY_SETS.bundle.dir), xrayMinified: size(XRAY_SETS.minified.dir), otel: size(otelDir) },
      },
      null,
      2,
    ) + '\n',
  );
}

/** Writes one X-Ray fixture folder: datagrams.json, manifest.json and the copy of inventory's build. */
function writeXraySet(set, datagrams, build, xrayRun, key) {
  const xrayDir = set.dir;
  resetDir(xrayDir);
  const texts = datagrams.map((buf, i) => {
    const text = buf.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(buf)) throw new Error(`datagram ${i} is not valid UTF-8`);
    return text;
  });
  writeFileSync(path.join(xrayDir, 'datagrams.json'), '[\n' + texts.map((t) => '  ' + JSON.stringify(t)).join(',\n') + '\n]\n');

  const docs = texts.map((t) => JSON.parse(t.slice(t.indexOf('\n') + 1)));
  mkdirSync(path.join(xrayDir, set.copyDir));
  for (const f of ['server.js', 'server.js.map']) writeFileSync(path.join(xrayDir, set.copyDir, f), build[f]);
  writeFileSync(
    path.join(xrayDir, 'manifest.json'),
    JSON.stringify(
      {
        recordedWith: 'sample/record-fixtures.mjs (cd sample && npm ci && npm run record-fixtures)',
        node: process.version,
        sdk: { 'aws-xray-sdk-core': versionOf('aws-xray-sdk-core'), 'aws-xray-sdk-express': versionOf('aws-xray-sdk-express'), express: versionOf('express') },
        // The absolute paths in stack frames and working_directory start with this; map it to a workspace.
        sampleDir: here,
        bundle: {
          servedFrom: path.join(here, set.servedFrom, 'server.js'),
          copy: `${set.copyDir}/server.js`,
          sourceMap: `${set.copyDir}/server.js.map`,
          // (only in xray-sdk-node-minified/: the default bundle's manifest stays as it was)
          ...(key !== 'bundle' ? { build: key, esbuild: { version: versionOf('esbuild'), minify: true, keepNames: false, sourcemap: true } } : {}),
        },
        datagrams: texts.length,
        documents: {
          segments: docs.filter((d) => d.type !== 'subsegment').length,
          subsegments: docs.filter((d) => d.type === 'subsegment').length,
          inProgress: docs.filter((d) => d.in_progress).length,
        },
        traces: new Set(docs.map((d) => d.trace_id)).size,
        traffic: xrayRun.summary,
      },
      null,
      2,
    ) + '\n',
  );
  return { datagrams: texts.length, docs };
}

main().catch((err) => {
  process.stderr.write(`record-fixtures: ${err.stack || err}\n`);
  process.exit(1);
});
