'use strict';
// Reports: one request fans out into many subsegments at once (one per day, each with a query
// inside), which makes the X-Ray SDK stream finished subsegments as separate documents.
const { AWSXRay, capture } = require('./tracing');
const db = require('./db');

async function dailyReport(days) {
  const rows = await Promise.all(
    Array.from({ length: days }, (_, d) =>
      AWSXRay.captureAsyncFunc(`aggregate-day-${d}`, async (subsegment) => {
        const totals = await AWSXRay.captureAsyncFunc('OrdersTable.query', async (query) => {
          query.addMetadata('day', d);
          const result = await db.dailyTotals(d);
          query.close();
          return result;
        });
        subsegment.addAnnotation('orders', totals.orders);
        subsegment.close();
        return totals;
      }),
    ),
  );
  return capture('summarize', async () => ({
    days,
    orders: rows.reduce((n, r) => n + r.orders, 0),
    revenue: rows.reduce((n, r) => n + r.revenue, 0),
  }));
}

/**
 * Renders an invoice. This is slow, so the segment is sent once "in progress" first (the SDK's
 * flush() of an open segment), and again complete when the response ends, as X-Ray recommends
 * for long requests.
 */
async function renderInvoice(order) {
  AWSXRay.getSegment().flush();
  return capture('renderInvoicePdf', async (subsegment) => {
    subsegment.addAnnotation('order_id', order.id);
    await db.sleep(db.jitter(350, 150));
    return { orderId: order.id, pages: 1 + order.lines.length, bytes: 18_000 + order.lines.length * 2_400 };
  });
}

module.exports = { dailyReport, renderInvoice };
