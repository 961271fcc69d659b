'use strict';
// The checkout flow: load the cart, price every line, reserve stock, take the payment.
const { AWSXRay, capture } = require('./tracing');
const db = require('./db');
const inventory = require('./inventoryClient');

class PaymentDeclinedError extends Error {
  constructor(customerId, reason) {
    super(`payment declined for ${customerId}: ${reason}`);
    this.name = 'PaymentDeclinedError';
  }
}

async function loadCart(customerId, lines) {
  return capture('loadCart', async (subsegment) => {
    const customer = await AWSXRay.captureAsyncFunc('CustomersTable.get', async (sub) => {
      try {
        const found = await db.findCustomer(customerId);
        sub.addAnnotation('found', Boolean(found));
        return found;
      } finally {
        sub.close();
      }
    });
    subsegment.addMetadata('lines', lines, 'shop');
    return { customer, lines };
  });
}

async function priceItems(lines) {
  const priced = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const unitPrice = await AWSXRay.captureAsyncFunc(`price-item-${i}`, async (subsegment) => {
      subsegment.addAnnotation('sku', line.sku);
      const price = await db.priceOf(line.sku);
      subsegment.close();
      return price;
    });
    priced.push({ ...line, unitPrice, total: Math.round(unitPrice * line.qty * 100) / 100 });
  }
  return priced;
}

async function chargePayment(customer, amount, { slow } = {}) {
  return capture('chargePayment', async (subsegment) => {
    subsegment.addAnnotation('amount', amount);
    const authorization = await AWSXRay.captureAsyncFunc('PaymentGateway.authorize', async (gateway) => {
      try {
        // The payment provider is sometimes slow: that is the slow path of the demo.
        await db.sleep(slow ? db.jitter(300, 200) : db.jitter(20, 30));
        if (customer.card === 'expired') {
          throw new PaymentDeclinedError(customer.id, 'card expired');
        }
        gateway.close();
        return `auth-${Date.now().toString(36)}`;
      } catch (err) {
        gateway.close(err);
        throw err;
      }
    });
    return { authorization, amount };
  });
}

async function checkout({ customerId, lines, slow }) {
  const segment = AWSXRay.getSegment();
  const { customer } = await loadCart(customerId, lines);
  if (!customer) {
    return { error: `unknown customer ${customerId}` };
  }

  segment.addAnnotation('customer_tier', customer.tier);
  segment.addAnnotation('item_count', lines.length);
  segment.addAnnotation('vip', customer.vip);
  segment.setUser(customer.id);

  const priced = await priceItems(lines);
  const amount = Math.round(priced.reduce((sum, l) => sum + l.total, 0) * 100) / 100;
  const orderId = `o-${Date.now().toString(36)}`;

  const reservation = await capture('reserveStock', () => inventory.reserve(orderId, lines));
  const payment = await chargePayment(customer, amount, { slow });

  segment.addMetadata('order', { orderId, amount, lines: priced, reservation }, 'shop');
  return { orderId, amount, reservation, payment };
}

module.exports = { checkout, PaymentDeclinedError };
