// Collections in class fields: a static field, or a field of a singleton
// created at load time, lives as long as the module.
class RequestLog {
  static entries = [];

  static record(req) {
    RequestLog.entries.push(req.url); // want LK001 "RequestLog.entries"
  }
}

class Metrics {
  static counts = new Map();

  static bump(name) {
    this.counts.set(name, (this.counts.get(name) || 0) + 1); // want LK001 "Metrics.counts"
  }
}

class SessionStore {
  constructor() {
    this.sessions = new Map();
    this.expired = [];
  }

  open(id, data) {
    this.sessions.set(id, data); // want LK001 "SessionStore.sessions"
  }

  expire(id) {
    this.expired.push(id);
    if (this.expired.length > 100) this.expired.shift();
  }
}

const store = new SessionStore();

// Per-request instances: their fields die with the request.
class RequestContext {
  constructor(req) {
    this.req = req;
    this.tags = [];
  }

  tag(t) {
    this.tags.push(t);
  }
}

// A singleton whose cache is cleared through the instance.
class Registry {
  items = new Map();

  add(k, v) {
    this.items.set(k, v);
  }
}

const registry = new Registry();
setInterval(() => registry.items.clear(), 60_000).unref();

// A static set emptied by another static method.
class Pending {
  static ids = new Set();

  static add(id) {
    Pending.ids.add(id);
  }

  static done(id) {
    this.ids.delete(id);
  }
}

function handle(req, res) {
  const ctx = new RequestContext(req);
  ctx.tag('start');
  RequestLog.record(req);
  Metrics.bump(req.method);
  store.open(req.id, {});
  store.expire(req.id);
  registry.add(req.url, 1);
  Pending.add(req.id);
  res.on('finish', () => Pending.done(req.id));
  res.end();
}

module.exports = { handle, store };
