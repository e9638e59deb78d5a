// Bundled with esbuild (source maps on) and run under node --heap-prof:
// buildRows, in rows.ts, allocates almost everything.
import { buildRows } from './rows';

const keep: Row[][] = [];
interface Row { id: number; name: string }
for (let k = 0; k < 10; k++) keep.push(buildRows(20000));
(globalThis as any).keep = keep;
