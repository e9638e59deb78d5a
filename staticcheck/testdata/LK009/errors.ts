// Errors made ahead of time and kept on the instance (TypeScript).
import { EventEmitter } from 'node:events';

class DeadlineError extends Error {}

export class Task extends EventEmitter {
  private readonly origin: Error;
  private timeout: DeadlineError;

  constructor(readonly name: string) {
    super();
    this.origin = new Error(`task ${name} created`); // want LK009 "this.origin keeps an Error made on every call of Task\\(\\)"
    this.timeout = new DeadlineError(`task ${name} timed out`); // want LK009
  }

  fail(cause?: Error): void {
    this.emit('error', cause ?? this.origin);
  }

  expire(): void {
    this.emit('error', this.timeout);
  }
}

export class Pool {
  private exhausted?: RangeError;

  acquire(): void {
    this.exhausted = new RangeError('pool exhausted'); // want LK009 "this.exhausted keeps an Error made on every call of acquire\\(\\)"
  }

  report(): RangeError | undefined {
    return this.exhausted;
  }
}

function makeAbortError(reason: string): Error | undefined {
  if (reason === '') {
    return undefined;
  }
  return new Error(reason);
}

export class Operation {
  private abortError?: Error;

  start(reason: string): void {
    this.abortError = makeAbortError(reason); // want LK009
  }

  abort(): void {
    throw this.abortError;
  }
}
