// TypeScript helpers; their callers are in app.ts.
import type { EventEmitter } from 'node:events';

export function subscribe(hub: EventEmitter, send: (m: string) => void): void {
  hub.on('message', send); // want LK002 "listener for \"message\""
}

export function trackProgress(jobs: EventEmitter, report: (p: number) => void): void {
  jobs.addListener('progress', report); // want LK002 "listener for \"progress\""
}

export function mirror(from: EventEmitter, to: EventEmitter): void {
  from.on('change', (c: unknown) => to.emit('change', c)); // want LK002 "listener for \"change\""
}

export function attachOnce(hub: EventEmitter, send: (m: string) => void): void {
  hub.once('message', send);
}

export function subscribeFor(hub: EventEmitter, send: (m: string) => void, signal: AbortSignal): void {
  hub.on('message', send);
  signal.addEventListener('abort', () => hub.off('message', send), { once: true });
}

export function listenLocal(local: EventEmitter, send: (m: string) => void): void {
  local.on('message', send);
}
