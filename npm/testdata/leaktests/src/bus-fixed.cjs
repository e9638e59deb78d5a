// Subscriptions to a process-wide event bus; unsubscribe() removes the
// listener.
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();
bus.setMaxListeners(1000);

class Subscription {
  constructor(id) {
    this.id = id;
    this.received = [];
    this.onPrice = (price) => this.received.push(price);
  }
}

function subscribe(id) {
  const sub = new Subscription(id);
  bus.on('price', sub.onPrice);
  return sub;
}

function unsubscribe(sub) {
  bus.off('price', sub.onPrice);
}

module.exports = { bus, subscribe, unsubscribe };
