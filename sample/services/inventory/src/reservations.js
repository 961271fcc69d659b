// Reserving stock for an order: check every line, then pick a bin for every line and hold the quantity.
import { traced } from './tracing.js';
import { getItem } from './stock.js';

/** A request the service refuses (400): the error middleware answers with its status. */
export class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ValidationError';
    this.status = 400;
  }
}

function checkQuantity(line) {
  if (!Number.isInteger(line.qty) || line.qty <= 0) {
    throw new ValidationError(`quantity must be a positive whole number, got ${JSON.stringify(line.qty)} for ${line.sku}`);
  }
  return line.qty;
}

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
    // Refuse the whole order before holding anything.
    for (const line of lines) checkQuantity(line);
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
