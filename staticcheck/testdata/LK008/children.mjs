// ES module: children registered on the parent.
import { EventEmitter } from 'node:events';

export class Client extends EventEmitter {
  duplicate() {
    const copy = new Client();
    this.once('quit', () => copy.disconnect()); // want LK008 "holds the Client that duplicate\\(\\) makes and returns"
    return copy;
  }

  subscribe(topic) {
    const sub = new Subscription(topic);
    this.once('message', (t, m) => sub.deliver(t, m)); // want LK008
    this.once('reconnect', () => sub.resubscribe()); // want LK008
    return sub;
  }

  disconnect() {}

  flush() {}
}

class Subscription {
  constructor(topic) {
    this.topic = topic;
  }
  deliver() {}
  resubscribe() {}
}

export function Cluster() {
  EventEmitter.call(this);
}
Object.setPrototypeOf(Cluster.prototype, EventEmitter.prototype);

Cluster.prototype.node = function (addr) {
  const node = new Client(addr);
  this.on('refresh', function () { // want LK008
    node.emit('refresh'); // the handler holds node
  });
  this.once('drain', node.flush.bind(node)); // want LK008
  this.addListener('stats', (s) => node.emit('stats', s)); // want LK008
  return node;
};
