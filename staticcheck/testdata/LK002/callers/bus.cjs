// CommonJS. A module-level emitter other modules hand to helpers.
const { EventEmitter } = require('events');
exports.bus = new EventEmitter();
