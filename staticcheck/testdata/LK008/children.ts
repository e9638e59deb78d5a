// Factory methods whose once-listeners on the parent hold each child:
// the parent keeps every child until an event that may never come.
import { EventEmitter } from 'node:events';

export class Channel extends EventEmitter {
  constructor(readonly name: string) {
    super();
  }
}

export class Broker extends EventEmitter {
  channel(name: string): Channel {
    const ch = new Channel(name);
    this.once('shutdown', () => ch.emit('close')); // want LK008 "listener for \"shutdown\" added to this in channel\\(\\) holds the Channel that channel\\(\\) makes and returns"
    this.once('expire', (ms: number) => ch.emit('timeout', ms)); // want LK008
    return ch;
  }

  scoped(prefix: string): Scope {
    const scope = new Scope(prefix);
    this.prependOnceListener('flush', scope.flush.bind(scope)); // want LK008
    return scope;
  }
}

export class Scope {
  constructor(readonly prefix: string) {}
  flush(): void {}
}

export class Logger extends EventEmitter {
  child(bindings: Record<string, unknown>): Logger {
    const child = new Logger();
    this.once('reopen', () => child.emit('reopen', bindings)); // want LK008
    return child;
  }
}

interface Db extends EventEmitter {
  name: string;
  db(name: string): Db;
}

// A constructor function with its prototype methods, typed.
function Database(this: Db, name: string) {
  EventEmitter.call(this);
  this.name = name;
}
Object.setPrototypeOf(Database.prototype, EventEmitter.prototype);

Database.prototype.db = function (this: Db, name: string): Db {
  const child: Db = new (Database as any)(name);
  this.on('close', () => child.emit('close')); // want LK008 "holds the"
  return child;
};

export { Database };

class Child extends EventEmitter {}

// Every listener comes off when the parent closes, not before: the
// children made until then stay.
export class Parent extends EventEmitter {
  spawn(): Child {
    const child = new Child();
    this.once('flush', () => child.emit('flush')); // want LK008 "none is taken off while this lives"
    return child;
  }

  close(): void {
    this.removeAllListeners();
  }
}
