// Class fields holding arrow functions, in JavaScript: the field's name
// tells a set-up (runs once per instance) from a handler (runs per call),
// as it does in TypeScript.
const { EventEmitter } = require('events');
const bus = new EventEmitter();

class Service {
  init = () => {
    bus.on('tick', () => this.tick());
  };

  handle = (req) => {
    bus.on('tick', () => this.tick(req)); // want LK002 "on every call of handle\\(\\)"
  };

  tick() {}
}

module.exports = { Service };
