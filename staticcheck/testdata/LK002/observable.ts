import { Observable } from 'rxjs';

// The subscribe function runs once per subscriber, with the caller's
// signal: one more "abort" listener per subscription, and a signal that is
// never aborted keeps them all.
export function fromFetch(input: string, init?: RequestInit): Observable<Response> {
  return new Observable<Response>((subscriber) => {
    const controller = new AbortController();
    if (init && init.signal) {
      const onAbort = () => controller.abort();
      init.signal.addEventListener('abort', onAbort); // want LK002 `"abort" added to long-lived init.signal on every subscription`
    }
    fetch(input, { signal: controller.signal }).then((r) => subscriber.next(r));
  });
}

// Removed in the teardown: fine.
export function fromFetchClean(input: string, init?: RequestInit): Observable<Response> {
  return new Observable<Response>((subscriber) => {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    init?.signal?.addEventListener('abort', onAbort);
    fetch(input, { signal: controller.signal }).then((r) => subscriber.next(r));
    return () => init?.signal?.removeEventListener('abort', onAbort);
  });
}

// The subscription's own controller dies with the subscription.
export function ticks(period: number): Observable<number> {
  return new Observable<number>((subscriber) => {
    const controller = new AbortController();
    controller.signal.addEventListener('abort', () => subscriber.complete());
    let n = 0;
    const id = setInterval(() => subscriber.next(n++), period);
    return () => {
      clearInterval(id);
      controller.abort();
    };
  });
}

// A method adding to the instance's long-lived signal on every call.
export class Worker {
  constructor(private readonly signal: AbortSignal) {}
  schedule(job: () => void) {
    this.signal.addEventListener('abort', () => job()); // want LK002 "this.signal"
  }
}

// A socket's "close" fires once and the socket is gone after it: fine.
export class Conn {
  constructor(private readonly socket: { on(e: string, f: () => void): void }) {}
  watch(done: () => void) {
    this.socket.on('close', () => done());
  }
}

// Fixed by removing the listener in the subscription's teardown.
export function aborted(signal: AbortSignal): Observable<void> {
  return new Observable<void>((subscriber) => {
    signal.addEventListener('abort', () => subscriber.next()); // want LK002 "on every subscription"
  });
}

// A signal made for this call, listened to by a few workers of the same
// call: gone with the call.
export async function lintAll(files: string[], workers: number): Promise<void> {
  const controller = new AbortController();
  const abortSignal = controller.signal;
  function start(resolve: () => void) {
    abortSignal.addEventListener('abort', () => resolve());
  }
  const all: Promise<void>[] = [];
  for (let i = 0; i < workers; i++) {
    all.push(new Promise<void>(start));
  }
  await Promise.all(all);
  void files;
}
