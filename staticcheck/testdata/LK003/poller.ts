// Classes that own their timers.
import { EventEmitter } from 'node:events';

export class Poller extends EventEmitter {
  private timer?: NodeJS.Timeout;
  private stale?: NodeJS.Timeout;
  private handles: NodeJS.Timeout[] = [];

  start(): void {
    this.timer = setInterval(() => this.emit('poll'), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  watch(): void {
    this.stale = setInterval(() => this.emit('stale'), 5000); // want LK003 "interval this.stale is never cleared"
  }

  track(): void {
    this.handles.push(setInterval(() => this.emit('track'), 10));
  }

  schedule(): NodeJS.Timeout {
    return setInterval(() => this.emit('tick'), 10);
  }
}

export function connect(socket: { on(e: string, f: () => void): void; write(s: string): void }): void {
  const ka = setInterval(() => socket.write('ka'), 1000);
  socket.on('close', () => clearTimeout(ka));
  globalThis.setInterval(() => socket.write('leak'), 1000); // want LK003 "on every call of connect"
}

export function stoppable(onStop: (h: NodeJS.Timeout) => void): void {
  const h = setInterval(() => {}, 1000);
  onStop(h);
}
