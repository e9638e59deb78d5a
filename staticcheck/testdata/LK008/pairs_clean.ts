// TypeScript adding and removing methods that agree. None is reported.
interface Item {
  id: string;
}

// Both collections shrink in the removing method.
export class Registry {
  private byId = new Map<string, Item>();
  private list: Item[] = [];

  register(item: Item): void {
    this.byId.set(item.id, item);
    this.list.push(item);
  }

  unregister(item: Item): void {
    this.byId.delete(item.id);
    this.list.splice(this.list.indexOf(item), 1);
  }
}

// The second collection is replaced when the removing method runs.
export class Index {
  private byId = new Map<string, Item>();
  private sorted: Item[] = [];

  add(item: Item): void {
    this.byId.set(item.id, item);
    this.sorted.push(item);
  }

  remove(id: string): void {
    this.byId.delete(id);
    this.sorted = [...this.byId.values()];
  }
}

// Cleared by reset().
export class Watchers {
  private active = new Set<string>();
  private seen: string[] = [];

  watch(path: string): void {
    this.active.add(path);
    this.seen.push(path);
  }

  unwatch(path: string): void {
    this.active.delete(path);
  }

  reset(): void {
    this.seen.length = 0;
  }
}

// The adding method puts the item in one collection only; the other is
// grown by an unrelated method.
export class Mounts {
  private mounted = new Set<object>();
  private events: string[] = [];

  mount(view: object): void {
    this.mounted.add(view);
  }

  unmount(view: object): void {
    this.mounted.delete(view);
  }

  record(event: string): void {
    this.events.push(event);
  }
}

// A popped queue: shift() takes items out.
export class Jobs {
  private byId = new Map<string, Item>();
  private queue: Item[] = [];

  add(job: Item): void {
    this.byId.set(job.id, job);
    this.queue.push(job);
  }

  remove(id: string): void {
    this.byId.delete(id);
  }

  next(): Item | undefined {
    return this.queue.shift();
  }
}
