import { test } from 'node:test';
import { assertNoLeak } from 'leakls/test';
import * as leaky from '../src/sessions-leaky.mjs';
import * as fixed from '../src/sessions-fixed.mjs';

for (const [name, { open, close }] of Object.entries({ leaky, fixed })) {
  test(`sessions (${name}) do not leak`, async () => {
    await assertNoLeak((i) => {
      open(i);
      close(i);
    });
  });
}
