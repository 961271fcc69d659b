'use strict';
// orders: the shop's front service. Instrumented with the AWS X-Ray SDK for Node.js.
const { AWSXRay, capture } = require('./tracing');
const xrayExpress = require('aws-xray-sdk-express');
const express = require('express');

const db = require('./db');
const inventory = require('./inventoryClient');
const { checkout } = require('./checkout');
const { dailyReport, renderInvoice } = require('./reports');

const app = express();
app.use(express.json());
app.get('/health', (req, res) => res.json({ ok: true }));

app.use(xrayExpress.openSegment('orders'));

app.get('/orders/:id', async (req, res) => {
  const order = await AWSXRay.captureAsyncFunc('OrdersTable.get', async (subsegment) => {
    subsegment.addAnnotation('order_id', req.params.id);
    const found = await db.findOrder(req.params.id);
    subsegment.close();
    return found;
  });
  if (!order) {
    res.status(404).json({ error: `order ${req.params.id} not found` });
    return;
  }
  const stock = await capture('checkStock', () => Promise.all(order.lines.map((l) => inventory.getStock(l.sku))));
  AWSXRay.getSegment().addAnnotation('order_status', order.status);
  res.json({ ...order, stock });
});

app.get('/orders/:id/invoice', async (req, res) => {
  const order = await db.findOrder(req.params.id);
  if (!order) {
    res.status(404).json({ error: `order ${req.params.id} not found` });
    return;
  }
  res.json(await renderInvoice(order));
});

// The carrier's tracking API allows a few calls a minute; past that we answer 429 (X-Ray: throttle).
app.get('/orders/:id/tracking', async (req, res) => {
  const lookup = await capture('carrierTracking', async (subsegment) => {
    await db.sleep(db.jitter(5, 10));
    subsegment.addAnnotation('carrier', 'parcelpost');
    return { limited: true, retryAfter: 30 };
  });
  if (lookup.limited) {
    res.set('retry-after', String(lookup.retryAfter)).status(429).json({ error: 'carrier rate limit, try again later' });
    return;
  }
  res.json(lookup);
});

app.post('/checkout', async (req, res) => {
  const { customerId, lines } = req.body || {};
  if (!customerId || !Array.isArray(lines) || lines.length === 0) {
    res.status(400).json({ error: 'customerId and a non-empty lines array are required' });
    return;
  }
  const result = await checkout({ customerId, lines, slow: req.query.slow === '1' });
  if (result.error) {
    res.status(422).json(result);
    return;
  }
  res.status(201).json(result);
});

app.get('/reports/daily', async (req, res) => {
  const days = Math.min(Number(req.query.days) || 7, 60);
  res.json(await dailyReport(days));
});

// Express 5 passes rejected promises from the handlers above to the error middleware.
// closeSegment() records the error on the segment (fault + cause with the stack).
app.use(xrayExpress.closeSegment());
app.use((err, req, res, _next) => {
  const status = err.name === 'UpstreamError' ? 502 : 500;
  res.status(status).json({ error: err.message, type: err.name });
});

const port = Number(process.env.PORT || 3001);
const server = app.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  console.log(`orders listening on http://127.0.0.1:${actual}`);
  if (process.send) process.send({ ready: true, service: 'orders', port: actual });
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown); // the parent (traffic.mjs) went away
