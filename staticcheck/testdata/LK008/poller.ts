// TypeScript: parameter properties, timers kept on the instance.
import { EventEmitter } from 'node:events';

export const hub = new EventEmitter();

export class Poller {
  private timer?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private beat?: NodeJS.Timeout;

  constructor(private readonly source: EventEmitter, private interval: number) {
    this.source.on('change', this.onChange); // want LK008 "not removed by stop\\(\\)"
  }

  onChange = (): void => {};

  start(): void {
    this.timer = setInterval(() => this.poll(), this.interval); // want LK008 "timer this.timer started in start\\(\\) is cleared elsewhere but not by stop\\(\\)"
    this.retry = setTimeout(() => this.poll(), 1000); // want LK008 "timer this.retry"
    this.beat = setInterval(() => this.poll(), 5000);
  }

  pause(): void {
    clearInterval(this.timer);
    clearTimeout(this.retry);
    this.source.off('pause', this.onChange);
  }

  poll(): void {}

  stop(): void {
    clearInterval(this.beat);
  }
}

// Symmetric start/stop on a long-lived emitter and a timer.
export class Watcher {
  private timer?: NodeJS.Timeout;

  start(): void {
    hub.on('tick', this.onTick);
    this.timer = setInterval(this.onTick, 1000);
  }

  onTick = (): void => {};

  stop(): void {
    hub.off('tick', this.onTick);
    clearInterval(this.timer);
  }
}

// once, { once: true } and { signal } remove themselves.
export class Once {
  private controller = new AbortController();

  constructor(private target: EventTarget, private source: EventEmitter) {
    this.source.once('ready', () => this.ready());
    this.target.addEventListener('load', () => this.ready(), { once: true });
    this.target.addEventListener('message', () => this.ready(), { signal: this.controller.signal });
  }

  ready(): void {}

  close(): void {
    this.controller.abort();
    this.source.off('other', () => {});
    this.target.removeEventListener('other', () => {});
  }
}
