import { test } from 'node:test';
import { assertNoLeak } from 'leakls/test';
import { open, close } from '../src/sessions-fixed.mjs';

test('sessions (fixed) do not leak', async () => {
  await assertNoLeak((i) => {
    open(i);
    close(i);
  });
});
