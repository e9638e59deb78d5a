// TypeScript shapes that are not reported.
export class ValidationError extends Error {
  readonly cause0: Error;
  constructor(message: string) {
    super(message);
    this.cause0 = new Error(message);
  }
}

export class Request {
  private timeoutError?: Error;

  start(): void {
    this.timeoutError = new Error('timed out');
  }

  end(): void {
    this.timeoutError = undefined;
  }
}

export class Loader {
  private failure?: Error;

  load(ok: boolean): void {
    if (!ok) {
      this.failure = new Error('load failed');
    }
  }

  check(): void {
    for (const item of [1, 2]) {
      this.failure = new Error(`item ${item}`);
    }
  }
}
