'use strict';
// The process-wide event bus: price ticks and job updates are published here
// and every open stream subscribes to it. It lives as long as the process.
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();

// LEAK (LK006): /prices/stream adds a listener per request and Node started
// printing "MaxListenersExceededWarning: Possible EventEmitter memory leak
// detected". Silencing the warning hides the leak instead of fixing it.
bus.setMaxListeners(0);

// Correct: a real bound for an emitter that legitimately has many listeners
// (one per worker, not one per request).
const workers = new EventEmitter();
workers.setMaxListeners(32);

// Correct: a module-level background timer that is unref()'ed does not keep
// the process alive and is created once, not per request.
let price = 100;
setInterval(() => {
  price += Math.round((Math.random() - 0.5) * 100) / 100;
  bus.emit('price', { symbol: 'LKS', price });
}, 250).unref();

module.exports = { bus, workers };
