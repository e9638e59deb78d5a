import { assertNoLeak } from 'leakls/test';
import { queue } from '../src/queue-fixed';

describe('the queue (fixed)', function () {
  this.timeout(300_000);
  it('does not leak', async () => {
    const report = await assertNoLeak((i: number) => {
      queue.run({ id: i, payload: `job ${i}` });
    }, { iterations: 20 });
    if (report.leaks.length !== 0) throw new Error('a report without leaks was expected');
  });
});
