import { test } from 'vitest';
import { assertNoLeak } from 'leakls/test';
import { queue } from '../src/queue-leaky';

test('the queue (leaky) does not leak', async () => {
  await assertNoLeak((i) => {
    queue.run({ id: i, payload: `job ${i}` });
  });
}, 300_000);
