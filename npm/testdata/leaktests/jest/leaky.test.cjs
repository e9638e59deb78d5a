const { assertNoLeak } = require('leakls/test');
const { subscribe, unsubscribe, bus } = require('../src/bus-leaky.cjs');

test('subscriptions (leaky) do not leak', async () => {
  await assertNoLeak((i) => {
    const sub = subscribe(i);
    bus.emit('price', i);
    unsubscribe(sub);
  });
}, 300_000);
