import { remember } from './cache.mjs';
import { record } from './history.mjs';
import { subscribe } from './listener.mjs';
import { poll } from './interval.mjs';
import { chain } from './closure.mjs';
import { open } from './store.mjs';
import { keep } from 'somepkg';

class Upload {
  constructor(id) {
    this.id = id;
  }
}

export function work(i) {
  remember(i);
  record(i);
  subscribe(i);
  poll(i);
  chain(i);
  open(i);
  keep(new Upload(i));
}
