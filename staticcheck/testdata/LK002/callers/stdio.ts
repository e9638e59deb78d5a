// TypeScript helpers; their callers are in cli.ts.
import type { EventEmitter } from 'node:events';

export const pipeTo = (from: NodeJS.ReadableStream, write: (s: string) => void): void => {
  from.on('data', (d: Buffer) => write(d.toString())); // want LK002 "listener for \"data\""
};

export function onResize(target: EventTarget, redraw: () => void): void {
  target.addEventListener('resize', () => redraw()); // want LK002 "listener for \"resize\""
}

export function relay(hub: EventEmitter, send: (m: string) => void): void {
  hub.prependListener('message', send); // want LK002 "listener for \"message\""
}

export function onTick(clock: EventEmitter, draw: () => void): void {
  clock.on('tick', draw); // want LK002 "listener for \"tick\""
}

export function watchTheme(target: EventTarget, apply: () => void): void {
  target.addEventListener('change', apply); // want LK002 "listener for \"change\""
}

// The caller's signal ends it.
export function until(hub: EventEmitter, send: (m: string) => void, signal: AbortSignal): void {
  hub.on('message', send);
  signal.addEventListener('abort', () => hub.off('message', send));
}

// One-shot for an event that comes.
export function nextMessage(hub: EventEmitter, send: (m: string) => void): void {
  hub.once('message', send);
}

// Called with a stream made for each command.
export function echo(stream: NodeJS.ReadableStream, write: (s: string) => void): void {
  stream.on('data', (d: Buffer) => write(d.toString()));
}
