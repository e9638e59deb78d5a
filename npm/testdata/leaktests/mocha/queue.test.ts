import { assertNoLeak } from 'leakls/test';
import * as leaky from '../src/queue-leaky';
import * as fixed from '../src/queue-fixed';

for (const [name, { queue }] of Object.entries({ leaky, fixed })) {
  describe(`the queue (${name})`, function () {
    this.timeout(600_000);
    it('does not leak', async () => {
      const report = await assertNoLeak((i: number) => {
        queue.run({ id: i, payload: `job ${i}` });
      }, { iterations: 20 });
      if (report.leaks.length !== 0) throw new Error('a report without leaks was expected');
    });
  });
}
