// inventory: stock lookups and reservations. Instrumented with the AWS X-Ray SDK for Node.js.
// This service runs from an esbuild bundle (dist/server.js + dist/server.js.map, `npm run build`),
// so the stack frames its segments carry point into the bundle; `traffic.mjs --inventory-build`
// can run the minified bundle (dist-min/) or these sources instead.
import { AWSXRay } from './tracing.js';
import xrayExpress from 'aws-xray-sdk-express';
import express from 'express';
import { getItem } from './stock.js';
import { reserveLines } from './reservations.js';

const app = express();
app.use(express.json());
app.get('/health', (req, res) => res.json({ ok: true }));

app.use(xrayExpress.openSegment('inventory'));

app.get('/stock/:sku', async (req, res) => {
  const item = await getItem(req.params.sku);
  if (!item) {
    res.status(404).json({ error: `unknown sku ${req.params.sku}` });
    return;
  }
  res.json({ sku: item.sku, onHand: item.onHand });
});

app.post('/reserve', async (req, res) => {
  const { orderId, lines } = req.body || {};
  if (!orderId || !Array.isArray(lines)) {
    res.status(400).json({ error: 'orderId and lines are required' });
    return;
  }
  AWSXRay.getSegment().addAnnotation('order_id', orderId);
  const reservation = await reserveLines(orderId, lines);
  res.json(reservation);
});

app.use(xrayExpress.closeSegment());
app.use((err, req, res, _next) => {
  res.status(err.status || 500).json({ error: err.message, type: err.name });
});

const port = Number(process.env.PORT || 3002);
const server = app.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  console.log(`inventory listening on http://127.0.0.1:${actual}`);
  if (process.send) process.send({ ready: true, service: 'inventory', port: actual });
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);
