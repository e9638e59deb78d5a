import { shared } from './loops.mjs';

export function clearTimers(h) {
  clearInterval(h);
}

export function stopShared() {
  clearInterval(shared);
}
