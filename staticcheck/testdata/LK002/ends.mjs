// ES module. Removals in helpers that only some end handlers call, on
// long-lived emitters (window, process, a module-level bus) and on the
// caller's AbortSignal.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';

export const bus = new EventEmitter();

// A request per call; the window listener goes when it loads only.
export function load(url, render) {
  const request = new XMLHttpRequest();
  const onResize = () => render(request.response);
  function finish() {
    window.removeEventListener('resize', onResize);
  }
  window.addEventListener('resize', onResize); // want LK002 "listener for \"resize\" added to long-lived window on every call of load\\(\\) is removed in the onload handler of request but not in its onabort and onerror handlers"
  request.onload = () => { finish(); render(request.response); };
  request.onerror = () => render(null);
  request.onabort = () => render(null);
  request.open('GET', url);
  request.send();
}

// process listener per job, removed when the file is read to its end.
export function copy(path, out) {
  const stream = fs.createReadStream(path);
  const onSignal = () => stream.destroy();
  const stop = () => process.off('SIGTERM', onSignal);
  process.on('SIGTERM', onSignal); // want LK002 "is removed in the \"end\" handler of stream but not in its \"error\" handler"
  stream.on('end', () => { stop(); out.end(); });
  stream.on('error', (err) => out.destroy(err));
  stream.pipe(out, { end: false });
}

// A socket per connection: detached on 'end', not on 'error' or 'timeout'.
net.createServer((socket) => {
  const onBroadcast = (m) => socket.write(m);
  function detach() {
    bus.off('broadcast', onBroadcast);
  }
  bus.on('broadcast', onBroadcast); // want LK002 "is removed in the \"end\" handler of socket but not in its \"error\" and \"timeout\" handlers"
  socket.on('end', () => detach());
  socket.on('error', () => socket.destroy());
  socket.on('timeout', () => socket.destroy());
}).listen(9000);

// The caller's signal, as a parameter: removed when the request loads.
export function get(url, signal) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const onAbort = () => request.abort();
    function done() {
      signal.removeEventListener('abort', onAbort);
    }
    signal.addEventListener('abort', onAbort); // want LK002 "listener for \"abort\" added to long-lived signal on every call of get\\(\\) is removed in the onload handler of request but not in its onerror and ontimeout handlers"
    request.onload = () => { done(); resolve(request.response); };
    request.onerror = () => reject(new Error('network'));
    request.ontimeout = () => reject(new Error('timeout'));
    request.open('GET', url);
    request.send();
  });
}

// The same with every handler calling done(): covered.
export function getFixed(url, signal) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const onAbort = () => request.abort();
    function done() {
      signal.removeEventListener('abort', onAbort);
    }
    signal.addEventListener('abort', onAbort);
    request.onload = () => { done(); resolve(request.response); };
    request.onerror = () => { done(); reject(new Error('network')); };
    request.ontimeout = () => { done(); reject(new Error('timeout')); };
    request.open('GET', url);
    request.send();
  });
}

// loadend comes after load, error, abort and timeout alike; with one
// handler there is no other way out the code shows.
export function fetchText(url, render) {
  const request = new XMLHttpRequest();
  const onResize = () => render(request.response);
  const finish = () => window.removeEventListener('resize', onResize);
  window.addEventListener('resize', onResize);
  request.onloadend = () => finish();
  request.send();
}

// A 'close' handler covers the others.
net.createServer((socket) => {
  const onNotice = (m) => socket.write(m);
  const detach = () => bus.off('notice', onNotice);
  bus.on('notice', onNotice);
  socket.on('close', () => detach());
  socket.on('error', () => socket.destroy());
  socket.on('timeout', () => socket.destroy());
}).listen(9001);

// Removed right after the work, in the adding function itself.
export function copyAll(path, out) {
  const stream = fs.createReadStream(path);
  const onSignal = () => stream.destroy();
  const stop = () => process.off('SIGHUP', onSignal);
  process.on('SIGHUP', onSignal);
  stream.on('end', () => out.end());
  stream.on('error', (err) => out.destroy(err));
  stop();
}

// The handlers that miss the removal belong to another object.
net.createServer((socket) => {
  const upstream = net.connect(9100);
  const onAlert = (m) => socket.write(m);
  const detach = () => bus.off('alert', onAlert);
  bus.on('alert', onAlert);
  socket.on('end', () => detach());
  upstream.on('error', () => upstream.destroy());
}).listen(9002);

// minipass's async iterator: once-listeners for 'error' and 'end' that
// take each other off; each one's own event takes it off too.
export class Stream extends EventEmitter {
  next() {
    return new Promise((resolve, reject) => {
      const onerr = (er) => { this.off('end', onend); reject(er); };
      const onend = () => { this.off('error', onerr); resolve({ done: true }); };
      this.once('error', onerr);
      this.once('end', onend);
    });
  }
}
