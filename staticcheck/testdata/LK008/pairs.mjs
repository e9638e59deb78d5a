// ES module: a connection pool and an event bus.
export class Pool {
  constructor() {
    this.free = [];
    this.all = new Set();
    this.byId = new Map();
  }

  attach(conn) {
    this.all.add(conn);
    this.byId.set(conn.id, conn); // want LK008 "attach\\(\\) puts the item in this.all and in this.byId; detach\\(\\) takes it out of this.all"
    this.free.push(conn); // want LK008 "in this.free"
  }

  detach(conn) {
    this.all.delete(conn);
  }
}

export const Bus = class {
  constructor() {
    this.handlers = new Map();
    this.names = [];
  }

  register(name, fn) {
    this.handlers.set(name, fn);
    this.names.push(name); // want LK008
  }

  deregister(name) {
    this.handlers.delete(name);
  }
};

export class Scheduler {
  constructor() {
    this.jobs = new Map();
    this.queue = [];
  }

  add(job) {
    this.jobs.set(job.id, job);
    this.queue.push(job); // want LK008
  }

  remove(id) {
    this.jobs.delete(id);
  }
}
