'use strict';
// Calls the inventory service. The OpenTelemetry HTTP instrumentation makes this a client span
// and sends a W3C traceparent header (inventory is traced with X-Ray, so it starts its own trace).
const http = require('http');

const INVENTORY_URL = process.env.INVENTORY_URL || 'http://127.0.0.1:3002';

function onHand(sku) {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(`/stock/${encodeURIComponent(sku)}`, INVENTORY_URL), (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve(null);
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')).onHand);
        });
      })
      .on('error', reject);
  });
}

module.exports = { onHand };
