// Instances and per-call objects tracked in module-level collections.
const instances = new Set();
const contexts = new Map();
const created = new Map();

export class Connection {
  constructor(url) {
    this.url = url;
    instances.add(this); // want LK007 "instances"
  }

  isLive() {
    return instances.has(this);
  }
}

export function withContext(ctx, fn) {
  contexts.set(ctx, { started: Date.now() }); // want LK007 "contexts"
  return fn(contexts.get(ctx));
}

export function make(kind) {
  const handle = { kind, opened: Date.now() };
  created.set(handle, kind); // want LK007 "created"
  return handle;
}
