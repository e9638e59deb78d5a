// A long-lived mongoose document (a shopping cart kept in memory) whose
// array of subdocuments is replaced on every request. In 3.8.12 each new
// MongooseDocumentArray adds doc.on('save', ...) and doc.on('isNew', ...)
// to the parent document and nothing removes the previous array's
// listeners, so every replaced array stays reachable from the document;
// 3.8.13 removes them when the path is set again. No database: documents
// are built and cast in memory.
'use strict';
const mongoose = require('mongoose');
const serve = require('./serve');

const Cart = mongoose.model('Cart', new mongoose.Schema({
  owner: String,
  items: [{ sku: String, qty: Number }],
}));
const cart = new Cart({ owner: 'ada', items: [] });

serve((i) => {
  cart.items = [{ sku: `sku-${i}`, qty: 1 }, { sku: `sku-${i + 1}`, qty: 2 }];
  return cart.items.length;
});
