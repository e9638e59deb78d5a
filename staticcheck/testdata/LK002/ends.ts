// TypeScript. Removals in helpers reached from some end handlers only.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

const hub = new EventEmitter();

interface Options {
  signal?: AbortSignal;
  timeout?: number;
}

function normalize(options: Options): Options {
  return { timeout: 1000, ...options };
}

// The caller's options carry the signal; removed on load only.
export function send(url: string, options: Options): Promise<string> {
  return new Promise((resolve, reject) => {
    const opts = normalize(options);
    const request = new XMLHttpRequest();
    const onAbort = (): void => request.abort();
    function done(): void {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    opts.signal!.addEventListener('abort', onAbort); // want LK002 "is removed in the onload handler of request but not in its onerror handler"
    request.onload = (): void => { done(); resolve(request.responseText); };
    request.onerror = (): void => reject(new Error('network'));
    request.open('GET', url);
    request.send();
  });
}

// Per request, through two helpers: removed when the response finishes,
// not when the request is aborted or errors.
export function stream(req: IncomingMessage, res: ServerResponse): void {
  const onEvent = (e: string): void => { res.write(e); };
  const unsubscribe = (): void => { hub.off('event', onEvent); };
  const end = (): void => { unsubscribe(); res.end(); };
  hub.on('event', onEvent); // want LK002 "is removed in the \"finish\" handler of res but not in its \"error\" handler"
  res.on('finish', () => end());
  res.on('error', () => req.destroy());
  req.on('aborted', () => res.destroy());
}

// Every end of the response calls the helper.
export function streamFixed(req: IncomingMessage, res: ServerResponse): void {
  const onEvent = (e: string): void => { res.write(e); };
  const unsubscribe = (): void => { hub.off('event', onEvent); };
  hub.on('event', onEvent);
  res.on('finish', () => unsubscribe());
  res.on('error', () => unsubscribe());
}

// A signal made for this call, aborted by a timer: it dies with the call.
export function withTimeout(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const request = new XMLHttpRequest();
    const onAbort = (): void => request.abort();
    function done(): void {
      controller.signal.removeEventListener('abort', onAbort);
    }
    controller.signal.addEventListener('abort', onAbort);
    request.onload = (): void => { done(); resolve(request.responseText); };
    request.onerror = (): void => reject(new Error('network'));
    setTimeout(() => controller.abort(), 1000);
  });
}

// The caller's signal, removed in every handler through one helper each.
export function sendFixed(url: string, options: Options): Promise<string> {
  return new Promise((resolve, reject) => {
    const opts = normalize(options);
    const request = new XMLHttpRequest();
    const onAbort = (): void => request.abort();
    const done = (): void => opts.signal?.removeEventListener('abort', onAbort);
    const fail = (err: Error): void => { opts.signal?.removeEventListener('abort', onAbort); reject(err); };
    opts.signal!.addEventListener('abort', onAbort);
    request.onload = (): void => { done(); resolve(request.responseText); };
    request.onerror = (): void => fail(new Error('network'));
    request.open('GET', url);
    request.send();
  });
}

// A child process per call: the process listener goes when the child
// exits, not when it fails to start.
import { spawn } from 'node:child_process';
export function execute(cmd: string): void {
  const child = spawn(cmd);
  const onInterrupt = (): void => { child.kill(); };
  const cleanup = (): void => { process.off('SIGINT', onInterrupt); };
  process.on('SIGINT', onInterrupt); // want LK002 "is removed in the \"exit\" handler of child but not in its \"error\" handler"
  child.on('exit', () => cleanup());
  child.on('error', (err: Error) => console.error(err));
}

// An image per call: the document listener goes when it loads only.
export function preload(src: string, onVisible: () => void): void {
  const img = new Image();
  const onVisibility = (): void => onVisible();
  function done(): void {
    document.removeEventListener('visibilitychange', onVisibility);
  }
  document.addEventListener('visibilitychange', onVisibility); // want LK002 "is removed in the onload handler of img but not in its onabort and onerror handlers"
  img.onload = (): void => done();
  img.onerror = (): void => console.error(src);
  img.onabort = (): void => console.error(src);
  img.src = src;
}
