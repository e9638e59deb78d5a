'use strict';
// A listener added per request on a long-lived EventTarget, never removed.
const { setMaxListeners } = require('node:events');

class Watcher {
  constructor(id) {
    this.id = id;
  }
}

const target = new EventTarget();
setMaxListeners(1000, target);

exports.watch = function watch(id) {
  const w = new Watcher(id);
  target.addEventListener('change', () => { // want LK102 "target.addEventListener("
    w.id++;
  });
};
