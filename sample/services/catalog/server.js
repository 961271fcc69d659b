'use strict';
// catalog: product search and details. Instrumented with OpenTelemetry JS, exported over OTLP/HTTP.
const { shutdownTelemetry, protocol } = require('./telemetry'); // first: it instruments `http`
const http = require('http');
const { trace } = require('@opentelemetry/api');
const { searchProducts, productDetails, productReviews } = require('./products');

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function route(req, res) {
  const url = new URL(req.url, 'http://catalog');
  const parts = url.pathname.split('/').filter(Boolean);
  const span = trace.getActiveSpan();

  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true });

  if (req.method === 'GET' && parts.length === 1 && parts[0] === 'products') {
    span?.updateName('GET /products');
    span?.setAttribute('http.route', '/products');
    return send(res, 200, await searchProducts(url.searchParams.get('q') || ''));
  }
  if (req.method === 'GET' && parts.length === 2 && parts[0] === 'products') {
    span?.updateName('GET /products/:id');
    span?.setAttribute('http.route', '/products/:id');
    const product = await productDetails(parts[1]);
    return product ? send(res, 200, product) : send(res, 404, { error: `no product ${parts[1]}` });
  }
  if (req.method === 'GET' && parts.length === 3 && parts[0] === 'products' && parts[2] === 'reviews') {
    span?.updateName('GET /products/:id/reviews');
    span?.setAttribute('http.route', '/products/:id/reviews');
    return send(res, 200, await productReviews(parts[1]));
  }
  return send(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  route(req, res).catch((err) => send(res, 500, { error: err.message, type: err.name }));
});

const port = Number(process.env.PORT || 3003);
server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  console.log(`catalog listening on http://127.0.0.1:${actual} (OTLP ${protocol})`);
  if (process.send) process.send({ ready: true, service: 'catalog', port: actual });
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections?.();
  // Export the spans still in the batch, but don't hang on an unreachable collector.
  setTimeout(() => {
    console.error('catalog: telemetry flush timed out after 5 s');
    process.exit(0);
  }, 5000).unref();
  try {
    await shutdownTelemetry();
  } catch (err) {
    console.error('catalog: telemetry shutdown failed:', err.message);
  }
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);
