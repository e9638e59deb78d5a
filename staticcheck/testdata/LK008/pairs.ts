// TypeScript: adding and removing methods that disagree.
interface Plugin {
  name: string;
}

export class PluginHost {
  private readonly plugins = new Map<string, Plugin>();
  private readonly order: Plugin[] = [];
  private readonly hooks = { load: new Set<Plugin>() };

  install(p: Plugin): void {
    this.plugins.set(p.name, p);
    this.order.push(p); // want LK008 "install\\(\\) puts the item in this.plugins and in this.order; uninstall\\(\\) takes it out of this.plugins"
    this.hooks.load.add(p); // want LK008 "in this.hooks.load"
  }

  uninstall(name: string): void {
    this.plugins.delete(name);
  }
}

export class Watcher {
  private watched = new Map<string, number>();
  private paths: string[] = [];

  watch(path: string): void {
    this.watched.set(path, Date.now());
    this.paths.push(path); // want LK008
  }

  unwatch(path: string): void {
    this.watched.delete(path);
  }
}

export abstract class Mounter {
  private mounted = new Set<object>();
  private log: object[] = [];

  mount(view: object): void {
    this.mounted.add(view);
    this.log.push(view); // want LK008
  }

  unmount(view: object): void {
    this.mounted.delete(view);
  }
}
