// ES module. Replace without release in classes and constructor
// functions.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { Agent } from 'undici';

export class Client extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.agent = new Agent(options);
  }

  // Per configuration change: the old agent keeps its sockets.
  reconfigure(options) {
    this.options = options;
    this.agent = new Agent(options); // want LK008 "this.agent is replaced with a new Agent in reconfigure\\(\\) without releasing the one it holds \\(close\\(\\) calls this.agent.destroy\\(\\)\\)"
  }

  close() {
    this.agent.destroy();
  }
}

export class Server {
  constructor(port) {
    this.port = port;
  }

  restart() {
    this.http = new http.Server(); // want LK008 "this.http is replaced with a new http.Server in restart\\(\\)"
    this.http.listen(this.port);
  }

  shutdown() {
    this.http.close();
  }
}

export function Watcher(dir) {
  this.dir = dir;
}

Watcher.prototype.rewatch = function () {
  this.handle = new FsWatcher(this.dir); // want LK008 "this.handle is replaced with a new FsWatcher in rewatch\\(\\)"
};

Watcher.prototype.close = function () {
  this.handle.close();
};

export class Stream {
  constructor() {
    this.timer = null;
  }

  onChunk() {
    this.timeout = new Deadline(); // want LK008 "this.timeout is replaced with a new Deadline in onChunk\\(\\)"
  }

  abort() {
    this.timeout.abort();
  }
}

// --- not reported ---

export class Reset {
  constructor(options) {
    this.agent = new Agent(options);
  }

  reconfigure(options) {
    const previous = this.agent;
    this.agent = new Agent(options);
    previous.close();
  }

  close() {
    this.agent.destroy();
  }
}

export class Cached {
  constructor() {
    this.cache = new Map();
  }

  flush() {
    this.cache = new Map();
  }

  close() {
    this.cache.clear();
  }
}

export class Checked {
  constructor() {}

  restart() {
    if (this.http && this.http.listening) return;
    this.http = new http.Server();
  }

  shutdown() {
    this.http.close();
  }
}

export function Lister(dir) {
  this.dir = dir;
}

Lister.prototype.attach = function () {
  this.handle = new FsWatcher(this.dir);
};

Lister.prototype.close = function () {
  this.handle.close();
};

class FsWatcher extends EventEmitter {
  close() {}
}

class Deadline {
  abort() {}
}
