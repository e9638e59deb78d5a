// ES module. Helpers that listen on the emitter they are handed; whether
// that leaks depends on what their callers pass (server.mjs, worker.cjs).
export function forward(emitter, res) {
  emitter.on('data', (d) => res.write(d)); // want LK002 "listener for \"data\" added to long-lived emitter"
}

export function onShutdown(target, conn) {
  target.on('message', (m) => conn.write(m)); // want LK002 "listener for \"message\""
}

export const relayErrors = (source, res) => {
  source.on('tick', (t) => res.write(t)); // want LK002 "listener for \"tick\""
};

// Called only with per-request objects.
export function pipeBody(stream, res) {
  stream.on('data', (d) => res.write(d));
}

// Called only at load time.
export function logEvents(emitter) {
  emitter.on('warning', (w) => console.warn(w));
}

// Removed again.
export function forwardOnce(emitter, res) {
  const onData = (d) => res.write(d);
  emitter.on('data', onData);
  res.on('close', () => emitter.off('data', onData));
}

// Never called with anything long-lived.
export function watchChild(child, res) {
  child.on('exit', () => res.end());
}
