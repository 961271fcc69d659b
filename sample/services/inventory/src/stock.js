// The warehouse table, with lookup latencies.
import { AWSXRay } from './tracing.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const warehouse = new Map([
  ['SKU-KETTLE', { sku: 'SKU-KETTLE', onHand: 12, bin: 'A-03' }],
  ['SKU-MUG', { sku: 'SKU-MUG', onHand: 140, bin: 'B-11' }],
  ['SKU-TEA', { sku: 'SKU-TEA', onHand: 600, bin: 'C-02' }],
  ['SKU-GRINDER', { sku: 'SKU-GRINDER', onHand: 3, bin: 'A-07' }],
  // A record with a corrupt bin list: reserving it throws (the demo's exception path).
  ['SKU-BROKEN', { sku: 'SKU-BROKEN', onHand: 5, bin: null }],
]);

export async function getItem(sku) {
  return AWSXRay.captureAsyncFunc('WarehouseTable.getItem', async (subsegment) => {
    subsegment.addAnnotation('sku', sku);
    await sleep(4 + Math.random() * 10);
    const item = warehouse.get(sku) || null;
    subsegment.addMetadata('item', item);
    subsegment.close();
    return item;
  });
}
