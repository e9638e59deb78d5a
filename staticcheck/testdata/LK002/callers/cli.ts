// Callers of stdio.ts: per command, per click, per tick.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { pipeTo, onResize, relay, onTick, watchTheme, until, nextMessage, echo } from './stdio';

export const clock = new EventEmitter();
const hub = new EventEmitter();

export class Shell {
  command(line: string): void {
    pipeTo(process.stdin, (s) => this.print(line + s));
    relay(hub, (m) => this.print(m));
    until(hub, (m) => this.print(m), AbortSignal.timeout(1000));
    nextMessage(hub, (m) => this.print(m));
    echo(new PassThrough(), (s) => this.print(s));
  }
  print(s: string): void {
    process.stdout.write(s);
  }
}

document.getElementById('go')!.addEventListener('click', () => {
  onResize(window, () => document.body.append('.'));
  watchTheme(document, () => {});
});

setInterval(() => onTick(clock, () => {}), 1000);
