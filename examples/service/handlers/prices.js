'use strict';
// Live prices as server-sent events: a fan-out from the bus to every client.
const { bus } = require('../bus');

function sendEvent(res, data) {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

// LEAK (LK002): a listener on the long-lived bus per request, never removed.
// When the client disconnects the listener stays, and with it this response.
function streamPrices(req, res) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  bus.on('price', (tick) => sendEvent(res, tick));
}

// Correct: the same stream, with the listener removed when the client goes
// away.
function streamPricesFixed(req, res) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const onPrice = (tick) => sendEvent(res, tick);
  bus.on('price', onPrice);
  res.on('close', () => bus.off('price', onPrice));
}

// Correct: waits for one tick only; once() removes the listener itself.
function nextPrice(req, res) {
  bus.once('price', (tick) => res.end(JSON.stringify(tick) + '\n'));
}

module.exports = { streamPrices, streamPricesFixed, nextPrice };
