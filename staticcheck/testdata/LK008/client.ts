// TypeScript: connect()/disconnect(), class expressions, abstract classes,
// private names, and teardown methods the fix has to add lines to.
import { EventEmitter } from 'node:events';

export abstract class Client extends EventEmitter {
  private reconnect?: NodeJS.Timeout;
  #onMessage = (m: string): void => {};

  constructor(protected transport: EventEmitter) {
    super();
  }

  start(): void {
    this.transport.on('message', this.#onMessage); // want LK008 "listener for \"message\" added to this.transport in start\\(\\) is not removed by disconnect\\(\\)"
  }

  connect(): void {
    this.reconnect = setTimeout(() => this.connect(), 1000); // want LK008 "timer this.reconnect started in connect\\(\\)"
  }

  protected onOpen(): void {
    clearTimeout(this.reconnect);
    this.transport.off('open', this.onOpen);
  }

  // An empty teardown: the fix fills its body.
  disconnect(): void {}
}

// A class expression; the teardown ends with a return, which the fix's
// line goes before.
export const Tab = class {
  constructor(private host: EventTarget) {
    host.addEventListener('focus', this.onFocus, true); // want LK008 "removed in close\\(\\) with another function \\(an inline function is a new function each time\\): it stays, and keeps every Tab instance alive"
    host.addEventListener('blur', this.onBlur);
  }

  onFocus = (): void => {};
  onBlur = (): void => {};

  close(): boolean {
    this.host.removeEventListener('focus', () => this.onFocus(), true);
    this.host.removeEventListener('blur', this.onBlur);
    return true;
  }
};

// The pool is handed in; the instance puts itself in it and takes itself
// out on error, but not when it is released.
export class Lease {
  constructor(private pool: Set<Lease>) {
    pool.add(this); // want LK008 "Lease instance put in pool in constructor\\(\\) is deleted elsewhere but not by release\\(\\)"
  }

  fail(): void {
    this.pool.delete(this);
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}
