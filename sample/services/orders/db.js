'use strict';
// A pretend data store with realistic latencies, so the waterfall has something to show.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (base, spread) => base + Math.round(Math.random() * spread);

const orders = new Map([
  ['1001', { id: '1001', customerId: 'c-ada', status: 'shipped', lines: [{ sku: 'SKU-KETTLE', qty: 1 }] }],
  ['1002', { id: '1002', customerId: 'c-grace', status: 'packing', lines: [{ sku: 'SKU-MUG', qty: 4 }, { sku: 'SKU-TEA', qty: 2 }] }],
  ['1003', { id: '1003', customerId: 'c-linus', status: 'delivered', lines: [{ sku: 'SKU-TEA', qty: 10 }] }],
]);

const customers = {
  'c-ada': { id: 'c-ada', tier: 'gold', vip: true },
  'c-grace': { id: 'c-grace', tier: 'silver', vip: false },
  'c-linus': { id: 'c-linus', tier: 'bronze', vip: false },
  'c-declined': { id: 'c-declined', tier: 'bronze', vip: false, card: 'expired' },
};

const prices = { 'SKU-KETTLE': 39.9, 'SKU-MUG': 8.5, 'SKU-TEA': 4.25, 'SKU-GRINDER': 74.0, 'SKU-BROKEN': 1.0 };

async function findOrder(id) {
  await sleep(jitter(8, 12));
  return orders.get(String(id)) || null;
}

async function findCustomer(id) {
  await sleep(jitter(3, 6));
  return customers[id] || null;
}

async function priceOf(sku) {
  await sleep(jitter(2, 8));
  return prices[sku] ?? 0;
}

async function dailyTotals(day) {
  await sleep(jitter(15, 40));
  return { day, orders: 20 + ((day * 7) % 13), revenue: Math.round(1000 + day * 37.5) };
}

module.exports = { sleep, jitter, findOrder, findCustomer, priceOf, dailyTotals };
