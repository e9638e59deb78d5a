import { test } from 'vitest';
import { assertNoLeak } from 'leakls/test';
import { queue } from '../src/queue-fixed';

test('the queue (fixed) does not leak', async () => {
  await assertNoLeak((i) => {
    queue.run({ id: i, payload: `job ${i}` });
  });
}, 300_000);
