'use strict';
// A debounced listener per request: the registered function is the
// wrapper debounce() returns; the function it wraps is in its context.
const { EventEmitter } = require('node:events');

function debounce(fn, ms) {
  let timer = null;
  return function debounced(...args) {
    clearTimeout(timer);
    timer = setTimeout(() => fn.apply(this, args), ms);
  };
}

class View {
  constructor(id) {
    this.id = id;
  }
}

const screen = new EventEmitter();
screen.setMaxListeners(0);

exports.show = function show(id) {
  const view = new View(id);
  screen.on('resize', debounce(() => { // want LK102 "screen.on("
    view.id++;
  }, 10));
};
