// CommonJS: entries in module-level collections keyed by the instance.
const sessions = new Map();
const live = new Set();
const byName = new Map();

class Session {
  constructor(id) {
    this.id = id;
    sessions.set(this.id, this); // want LK008 "Session instance put in sessions in constructor\\(\\) is deleted elsewhere but not by close\\(\\)"
    live.add(this); // want LK008 "put in live"
    byName.set(id, 'x');
  }

  expire() {
    sessions.delete(this.id);
    live.delete(this);
  }

  close() {
    this.closed = true;
  }
}

// Symmetric: deleted in the teardown.
class Worker {
  constructor(name) {
    this.name = name;
    byName.set(this.name, this);
  }

  terminate() {
    byName.delete(this.name);
  }
}

module.exports = { Session, Worker };
