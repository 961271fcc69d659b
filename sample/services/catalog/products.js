'use strict';
// The product catalog: search, details, reviews. Each operation is timed by an internal span.
const { trace } = require('@opentelemetry/api');
const { inSpan } = require('./telemetry');
const stock = require('./stockClient');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const products = [
  { id: 'p-kettle', sku: 'SKU-KETTLE', name: 'Gooseneck kettle', tags: ['tea', 'coffee'] },
  { id: 'p-mug', sku: 'SKU-MUG', name: 'Stoneware mug', tags: ['tea', 'coffee'] },
  { id: 'p-tea', sku: 'SKU-TEA', name: 'Sencha, 100 g', tags: ['tea'] },
  { id: 'p-grinder', sku: 'SKU-GRINDER', name: 'Burr grinder', tags: ['coffee'] },
];

class ReviewServiceError extends Error {
  constructor(productId) {
    super(`reviews for ${productId} are unavailable: shard r-2 is read-only`);
    this.name = 'ReviewServiceError';
  }
}

async function searchProducts(query) {
  return inSpan('catalog.search', { 'catalog.query': query }, async (span) => {
    await sleep(10 + Math.random() * 20);
    const hits = products.filter((p) => !query || p.tags.includes(query) || p.name.toLowerCase().includes(query));
    span.setAttribute('catalog.results', hits.length);
    return rankProducts(hits);
  });
}

async function rankProducts(hits) {
  return inSpan('catalog.rank', { 'catalog.ranker': 'popularity-v2', 'catalog.candidates': hits.length }, async () => {
    await sleep(5 + Math.random() * 10);
    return [...hits].sort((a, b) => a.name.localeCompare(b.name));
  });
}

async function productDetails(id) {
  const product = products.find((p) => p.id === id);
  if (!product) return null;
  return inSpan('catalog.details', { 'catalog.product_id': id, 'catalog.cache_hit': false }, async () => {
    // Ask inventory how many are on hand: an HTTP client span, child of this one.
    const onHand = await stock.onHand(product.sku);
    trace.getActiveSpan()?.addEvent('stock.checked', { 'inventory.on_hand': onHand ?? -1 });
    return { ...product, onHand };
  });
}

async function productReviews(id) {
  return inSpan('catalog.reviews', { 'catalog.product_id': id }, async () => {
    await sleep(15 + Math.random() * 15);
    if (id === 'p-grinder') {
      throw new ReviewServiceError(id);
    }
    return [{ stars: 5, text: 'Does what it says.' }];
  });
}

module.exports = { searchProducts, productDetails, productReviews };
