// TypeScript: removals that run on one way out only.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';

export const hub = new EventEmitter();
const app = express();

app.get('/stream', (req: IncomingMessage, res: ServerResponse) => {
  const onData = (d: string): void => { res.write(d); };
  hub.on('data', onData); // want LK002 "removed on \"end\" of req but not when req errors"
  req.once('end', () => { hub.off('data', onData); });
});

// A shared cleanup run on 'end' and on 'close': covered by 'close'.
app.get('/feed', (req: IncomingMessage, res: ServerResponse) => {
  const onFeed = (d: string): void => { res.write(d); };
  const cleanup = (): void => { hub.off('feed', onFeed); };
  hub.on('feed', onFeed);
  res.on('finish', cleanup);
  res.on('close', () => hub.off('feed', onFeed));
});

export async function track(job: { run(): Promise<void>; id: string }): Promise<void> {
  const onCancel = (id: string): void => { if (id === job.id) throw new Error('cancelled'); };
  hub.on('cancel', onCancel); // want LK002 "removed after `await job.run\\(\\)` but not when it throws"
  await job.run();
  hub.removeListener('cancel', onCancel);
}

export function validate(input: string): boolean {
  const onWarn = (w: string): void => { console.warn(input, w); };
  hub.on('warn', onWarn); // want LK002 "not when an early throw leaves the function first"
  if (!input) {
    throw new Error('empty');
  }
  hub.off('warn', onWarn);
  return true;
}

// The throw is inside a nested function: it does not leave this one.
export function parse(input: string): string[] {
  const onLine = (l: string): void => { console.log(l); };
  hub.on('line', onLine);
  const out = input.split('\n').map((l) => {
    if (!l) {
      throw new Error('blank');
    }
    return l;
  });
  hub.off('line', onLine);
  return out;
}

// Removed in the catch clause as well as after the try.
export async function load(job: { run(): Promise<void> }): Promise<void> {
  const onTick = (): void => {};
  hub.on('tick', onTick);
  try {
    await job.run();
  } catch (err) {
    hub.off('tick', onTick);
    throw err;
  }
  hub.off('tick', onTick);
}

app.listen(3000);
