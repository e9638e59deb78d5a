// Classes: `this` lives longer than each method call. A set-up method
// (start, init, a guarded _bindEvents) runs once per instance: fine for
// the instance's own emitters, a leak per instance on process.
import { EventEmitter } from 'events';
import { connect, Socket } from 'net';

export class Poller extends EventEmitter {
  private socket?: Socket;

  constructor(private readonly bus: EventEmitter) {
    super();
    this.on('poll', () => this.tick()); // once per instance: fine
    bus.on('stop', () => this.stop()); // once per instance: fine
  }

  watch(id: string): void {
    this.bus.on('change', () => this.emit('changed', id)); // want LK002 "this.bus"
  }

  subscribe(): void {
    this.bus.on('tick', this.onTick.bind(this)); // want LK002 `\.bind\(\) makes a new function`
  }

  unsubscribe(): void {
    this.bus.off('tick', this.onTick.bind(this));
  }

  follow(): void {
    this.bus.on('follow', this.onFollow);
  }

  dispose(): void {
    this.bus.off('follow', this.onFollow);
  }

  reconnect(): void {
    this.socket = connect(80, 'example.com');
    this.socket.on('data', (d: Buffer) => this.emit('data', d)); // a new socket per call: fine
  }

  selfListen(): void {
    this.on('changed', (id: string) => console.log(id)); // want LK002 "this"
  }

  start(): void {
    process.on('SIGTERM', () => this.stop()); // want LK002 `by start\(\) of every Poller instance`
  }

  bind(engine: EventEmitter): this {
    this.engine = engine;
    this.engine.on('connection', this.onConnection.bind(this)); // a new engine per call: fine
    return this;
  }

  _bindEvents(): void {
    if (this.bound) {
      return;
    }
    this.bound = true;
    this.bus.on('job', (id: string) => this.emit('job', id)); // guarded to run once: fine
  }

  guardless(): void {
    this.bus.on('job', (id: string) => this.emit('job', id)); // want LK002 "guardless"
  }

  onEnd(): void {
    this.bus.on('close', () => this.stop()); // a one-shot event on this.bus: fine
  }

  handleField = (id: string): void => {
    this.bus.on('field', () => console.log(id)); // want LK002 "on every call of handleField"
  };

  initField = (): void => {
    this.bus.on('field', () => console.log('ready')); // set-up name: fine
  };

  private engine?: EventEmitter;
  private bound = false;
  private onConnection(): void {}
  private tick(): void {}
  private stop(): void {}
  private onTick(): void {}
  private onFollow = (): void => {};
}

// A home-made registry with its own `on` is not an EventEmitter.
class Registry {
  private handlers = new Map<string, () => void>();
  on(name: string, fn: () => void): void {
    this.handlers.set(name, fn);
  }
}
const registry = new Registry();
const events = new EventEmitter();

export function handle(req: { id: string }): void {
  registry.on(req.id, () => {});
  (events as EventEmitter).on('job', () => console.log(req.id)); // want LK002 "events"
  events.setMaxListeners(20);
}

// A class the module instantiates once: its start() runs once.
class Daemon {
  start(): void {
    process.on('SIGHUP', () => this.reload()); // one instance: fine
  }
  private reload(): void {}
}
const daemon = new Daemon();
daemon.start();
