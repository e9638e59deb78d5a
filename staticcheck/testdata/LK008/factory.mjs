// ES module: factories, functions that return an object with a teardown
// method, are types too; the teardown sees the factory's variables.
const feeds = new Map();

export function createFeed(source, id) {
  const onItem = (item) => console.log(item);
  source.on('item', onItem);
  source.on('error', (err) => console.error(err)); // want LK008 "listener for \"error\" added to source in createFeed\\(\\) is removed in close\\(\\) with another function \\(an inline function"
  source.on('reset', () => console.log('reset')); // want LK008 "listener for \"reset\" added to source in createFeed\\(\\) is not removed by close\\(\\)"
  const poll = setInterval(() => source.emit('poll'), 1000); // want LK008 "timer poll started in createFeed\\(\\) is cleared elsewhere but not by close\\(\\)"
  feeds.set(id, source);
  return {
    pause() {
      clearInterval(poll);
    },
    close() {
      source.off('item', onItem);
      source.off('error', (err) => console.error(err));
    },
  };
}

// Symmetric: everything the factory registers, close() undoes.
export function watchSignals(onSignal) {
  process.on('SIGTERM', onSignal);
  const beat = setInterval(() => onSignal('beat'), 1000);
  return {
    close: () => {
      process.off('SIGTERM', onSignal);
      clearInterval(beat);
    },
  };
}

// Not a factory: it returns no teardown.
export function subscribe(source, fn) {
  source.on('item', fn);
  source.off('other', fn);
  return { source };
}

// An empty teardown in the returned object: the fix fills its body.
export function createTicker(clock) {
  clock.on('tick', (t) => console.log(t)); // want LK008 "listener for \"tick\" added to clock in createTicker\\(\\) is not removed by stop\\(\\)"
  return {
    reset() {
      clock.removeAllListeners('reset');
    },
    stop() {},
  };
}
