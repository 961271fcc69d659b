'use strict';
// Calls the inventory service over HTTP. The http module is wrapped by the X-Ray SDK, so every
// call becomes a subsegment and carries an X-Amzn-Trace-Id header that continues the trace in
// the inventory service.
const { AWSXRay } = require('./tracing');
const http = AWSXRay.captureHTTPs(require('http'), true);

const INVENTORY_URL = process.env.INVENTORY_URL || 'http://127.0.0.1:3002';

class UpstreamError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = 'UpstreamError';
    this.status = status;
    this.body = body;
  }
}

function request(method, path, body) {
  const url = new URL(path, INVENTORY_URL);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = { raw: text };
          }
          resolve({ status: res.statusCode, body: json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function getStock(sku) {
  const res = await request('GET', `/stock/${encodeURIComponent(sku)}`);
  if (res.status === 404) return null;
  if (res.status >= 400) throw new UpstreamError(`inventory GET /stock/${sku} answered ${res.status}`, res.status, res.body);
  return res.body;
}

async function reserve(orderId, lines) {
  const res = await request('POST', '/reserve', { orderId, lines });
  if (res.status >= 400) {
    throw new UpstreamError(`inventory POST /reserve answered ${res.status}`, res.status, res.body);
  }
  return res.body;
}

module.exports = { getStock, reserve, UpstreamError };
