const { assertNoLeak } = require('leakls/test');
const { subscribe, unsubscribe, bus } = require('../src/bus-fixed.cjs');

test('subscriptions (fixed) do not leak', async () => {
  await assertNoLeak((i) => {
    const sub = subscribe(i);
    bus.emit('price', i);
    unsubscribe(sub);
  });
}, 300_000);
