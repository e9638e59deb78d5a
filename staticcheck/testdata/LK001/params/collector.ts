// TypeScript. Fields of a long-lived object handed to a helper from
// callbacks that run again and again while it lives.
import { EventEmitter } from 'node:events';

function keep<T>(list: T[], item: T): void {
  list.push(item);
}

function index(map: Map<string, number>, key: string): void {
  map.set(key, Date.now());
}

export class Collector {
  private samples: number[] = [];
  private history: string[] = [];
  private seen = new Map<string, number>();
  private calls: unknown[][] = [];

  start(bus: EventEmitter): void {
    setInterval(() => keep(this.samples, Date.now()), 1000); // want LK001 "keep\\(\\) pushes onto its parameter \"list\", and this call hands it this.samples, kept on the object start\\(\\) runs on, on every interval tick"
    bus.on('message', (m: string) => {
      keep(this.history, m); // want LK001 "this.history, kept on the object start\\(\\) runs on, on every \"message\" event"
      index(this.seen, m); // want LK001 "index\\(\\) sets entries in its parameter \"map\".*this.seen"
    });
  }

  wrap<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    const self = this;
    return function (...args: A) {
      keep(self.calls, args); // want LK001 "self.calls, kept on the object wrap\\(\\) runs on, on every call of the function wrap\\(\\) returns"
      fn(...args);
    };
  }

  // Each call of a method adds to its own object: the instance-field
  // rules judge that, not the callers of the helper.
  add(item: string): void {
    keep(this.history, item);
  }

  // A one-shot event, and a listener that takes back what it adds.
  stop(bus: EventEmitter): void {
    bus.once('close', () => keep(this.history, 'closed'));
    bus.on('tick', (t: number) => {
      keep(this.samples, t);
      this.samples.shift();
    });
  }
}

// An object made per request owns its own lists.
export class Request {
  private parts: string[] = [];
  constructor(url: string) {
    keep(this.parts, url);
  }
}
