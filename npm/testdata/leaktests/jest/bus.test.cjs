const { assertNoLeak } = require('leakls/test');

describe.each(['leaky', 'fixed'])('subscriptions (%s)', (name) => {
  const { subscribe, unsubscribe, bus } = require(`../src/bus-${name}.cjs`);

  test('do not leak', async () => {
    await assertNoLeak((i) => {
      const sub = subscribe(i);
      bus.emit('price', i);
      unsubscribe(sub);
    });
  }, 600_000);
});
