// An action that never ends, after writing the file named by
// LEAKLS_TEST_MARKER: the run is interrupted while it waits.
import { writeFileSync } from 'node:fs';

export async function action() {
  writeFileSync(process.env.LEAKLS_TEST_MARKER, 'waiting');
  await new Promise(() => {});
}
