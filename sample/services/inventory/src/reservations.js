// Reserving stock for an order: pick a bin for every line, then hold the quantity.
import { traced } from './tracing.js';
import { getItem } from './stock.js';

function parseBin(bin) {
  const [aisle, shelf] = bin.split('-');
  return { aisle, shelf: Number(shelf) };
}

function allocate(item, qty) {
  if (item.onHand < qty) {
    return { sku: item.sku, qty, status: 'backordered' };
  }
  return { sku: item.sku, qty, status: 'held', location: parseBin(item.bin) };
}

export async function reserveLines(orderId, lines) {
  return traced('reserveLines', async (subsegment) => {
    subsegment.addAnnotation('order_id', orderId);
    subsegment.addAnnotation('line_count', lines.length);
    const held = [];
    for (const line of lines) {
      const item = await getItem(line.sku);
      if (!item) {
        held.push({ sku: line.sku, qty: line.qty, status: 'unknown-sku' });
        continue;
      }
      held.push(allocate(item, line.qty));
    }
    subsegment.addAnnotation('backordered', held.some((h) => h.status === 'backordered'));
    return { orderId, held };
  });
}
