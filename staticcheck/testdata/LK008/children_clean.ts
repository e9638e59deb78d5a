// TypeScript factory methods that are not reported.
import { EventEmitter } from 'node:events';

class Child extends EventEmitter {}

// The handler holds a value computed from the child, not the child.
export class Counter extends EventEmitter {
  private count = 0;

  next(): Child {
    const child = new Child();
    const id = child.listenerCount('x');
    this.once('reset', () => {
      this.count = id;
    });
    return child;
  }
}

// The child is made with new but handed to the caller only through a
// promise; the listener holds the resolver, not the child.
export class Opener extends EventEmitter {
  open(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.once('opened', resolve));
    return ready;
  }
}
