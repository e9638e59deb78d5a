// Self-rescheduling timeouts.
import { setInterval as ticks } from 'node:timers/promises';
import { clearTimers } from './registry.mjs';

let stopped = false;

function poll() {
  console.log('poll');
  setTimeout(poll, 1000); // want LK003 `poll\(\) reschedules itself`
}
poll();

function guarded() {
  if (stopped) return;
  setTimeout(guarded, 1000);
}
guarded();

const loop = async () => {
  await fetch('http://localhost/health');
  setTimeout(loop, 5000).unref();
};
loop();

export function handler(req, res) {
  function retry() {
    res.write('.');
    setTimeout(retry, 100); // want LK003 `retry\(\)`
  }
  retry();
  setTimeout(() => res.end(), 10);
}

export async function iterate() {
  for await (const _ of ticks(1000)) {
    break;
  }
}

export const shared = setInterval(() => {}, 1000);
clearTimers(shared);
