// CommonJS. An interval kept on this, replaced by a repeating method
// while stop() clears it: the replaced interval keeps running.
const { EventEmitter } = require('events');

class Heartbeat {
  constructor(socket) {
    this.socket = socket;
    socket.on('pong', () => this.reschedule());
  }

  reschedule() {
    this.timer = setInterval(() => this.socket.ping(), 1000); // want LK008 "this.timer is replaced with a new interval in reschedule\\(\\) without releasing the one it holds \\(stop\\(\\) calls clearInterval\\(this.timer\\)\\): the old one keeps running"
  }

  stop() {
    clearInterval(this.timer);
  }
}

function Poller(source) {
  this.source = source;
}

Poller.prototype.setRate = function (ms) {
  this.interval = setInterval(() => this.source.poll(), ms); // want LK008 "this.interval is replaced with a new interval in setRate\\(\\)"
};

Poller.prototype.destroy = function () {
  clearInterval(this.interval);
};

class Refresher extends EventEmitter {
  constructor() {
    super();
    this.on('config', (c) => this.apply(c));
  }

  apply(config) {
    this.refresh = setInterval(() => this.emit('refresh'), config.every); // want LK008 "this.refresh is replaced with a new interval in apply\\(\\)"
  }

  close() {
    clearTimeout(this.refresh);
  }
}

// --- not reported ---

class Cleared {
  constructor() {}

  reschedule(ms) {
    clearInterval(this.timer);
    this.timer = setInterval(() => {}, ms);
  }

  stop() {
    clearInterval(this.timer);
  }
}

class Guarded {
  constructor() {}

  ensure() {
    if (this.timer) return;
    this.timer = setInterval(() => {}, 1000);
  }

  stop() {
    clearInterval(this.timer);
  }
}

// Started in the set-up, which runs once.
class Started {
  constructor() {}

  start() {
    this.timer = setInterval(() => {}, 1000);
  }

  stop() {
    clearInterval(this.timer);
  }
}

// A timeout: it runs once and ends.
class Debounced {
  constructor() {}

  touch() {
    this.pending = setTimeout(() => {}, 100);
  }

  cancel() {
    clearTimeout(this.pending);
  }
}

// Never cleared by the type: LK003's to judge, not a replacement.
class Unmanaged {
  constructor() {}

  tick() {
    this.loop = setInterval(() => {}, 1000);
  }
}

module.exports = { Heartbeat, Poller, Refresher, Cleared, Guarded, Started, Debounced, Unmanaged };
