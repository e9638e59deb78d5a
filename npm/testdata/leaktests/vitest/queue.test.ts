import { test } from 'vitest';
import { assertNoLeak } from 'leakls/test';
import * as leaky from '../src/queue-leaky';
import * as fixed from '../src/queue-fixed';

for (const [name, { queue }] of Object.entries({ leaky, fixed })) {
  test(`the queue (${name}) does not leak`, async () => {
    await assertNoLeak((i) => {
      queue.run({ id: i, payload: `job ${i}` });
    });
  }, 600_000);
}
