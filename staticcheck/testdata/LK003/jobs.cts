// A CommonJS TypeScript job runner.
import events = require('events');

const runner = new events.EventEmitter();

runner.on('job', (id: string) => {
  setInterval(() => console.log('still running', id), 1000); // want LK003 `on every "job" event`
});

export function watchJob(id: string): void {
  const every = 5000;
  const check = setInterval(() => runner.emit('check', id), every); // want LK003 "interval check is never cleared"
  runner.once('done', () => console.log(id));
}

export function watchUntilDone(id: string): void {
  const check = setInterval(() => runner.emit('check', id), 5000);
  runner.once(`done:${id}`, () => clearInterval(check));
}

export class Heartbeat {
  private handle: ReturnType<typeof setInterval> | undefined;
  beat(): void {
    this.handle = setInterval(() => runner.emit('beat'), 1000); // want LK003 "this.handle"
  }
  other(): void {
    const local = setInterval(() => {}, 10);
    clearTimeout(local);
  }
}
