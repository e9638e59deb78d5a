// bigheap.js builds a realistic Node.js heap of a chosen size and writes heap
// snapshots of it, for the analysis package's benchmarks.
//
//   node --max-old-space-size=8000 bigheap.js OUT MB [--series]
//
// OUT.heapsnapshot is written when the snapshot should be about MB megabytes.
// With --series three snapshots of one process are written instead:
// OUT-1.heapsnapshot (baseline), OUT-2 (target, after more requests were
// served and some leaked) and OUT-3 (final, after more work and a cleanup of
// the non-leaking state), the input of a 3-snapshot leak search.
//
// The heap mixes what real servers hold: class instances in a Map cache,
// arrays of records, closures with captured contexts (listeners and
// timers), unique and repeated strings, nested plain objects, Sets, a
// WeakMap, typed arrays and Buffers.
'use strict';
const v8 = require('v8');
const { EventEmitter } = require('events');

const [out, mbArg, flag] = process.argv.slice(2);
const targetMB = Number(mbArg);
if (!out || !(targetMB > 0)) {
  console.error('usage: node bigheap.js OUT MB [--series]');
  process.exit(2);
}

// A snapshot costs about 90 bytes per heap object on Node 20; one unit below
// allocates about 30 objects.
const BYTES_PER_UNIT = 2600;
const units = Math.ceil((targetMB * 1e6) / BYTES_PER_UNIT);

class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.createdAt = Date.now();
    this.tags = new Set(['t' + (id % 17), 'u' + (id % 5)]);
    this.history = [];
  }
}
class User {
  constructor(id) {
    this.id = id;
    this.name = 'user-' + id.toString(36) + '-' + 'x'.repeat(id % 13);
    this.profile = { age: id % 90, city: ['Oslo', 'Lyon', 'Kyoto', 'Lima'][id % 4], score: id * 1.5 };
  }
}

const sessions = new Map();     // module-level cache: the classic leak
const records = [];             // an unbounded array
const bus = new EventEmitter(); // listeners per request
bus.setMaxListeners(0);
const meta = new WeakMap();
const buffers = [];

function serve(i) {
  const user = new User(i);
  const s = new Session(i, user);
  for (let k = 0; k < 3; k++) s.history.push({ at: k, path: '/api/v1/items/' + (i * 3 + k), ok: (i + k) % 7 !== 0 });
  sessions.set('s' + i, s);
  records.push([i, user.name, { nested: { deeper: { value: i } } }]);
  const req = { id: i, body: 'payload ' + i, headers: { host: 'example.test', 'x-req': String(i) } };
  bus.on('tick', function onTick() { return req.id + s.id; });
  meta.set(s, { seen: i });
  if (i % 64 === 0) buffers.push(Buffer.alloc(256, i & 0xff), new Float64Array(16));
}

function write(file) {
  const t0 = Date.now();
  v8.writeHeapSnapshot(file);
  console.error(`${file}: ${Date.now() - t0} ms`);
}

if (flag === '--series') {
  const third = Math.ceil(units / 3);
  let i = 0;
  for (; i < third; i++) serve(i);
  write(out + '-1.heapsnapshot');
  for (; i < 2 * third; i++) serve(i);
  write(out + '-2.heapsnapshot');
  for (; i < units; i++) serve(i);
  // Cleanup of the non-leaking part: listeners go, sessions stay.
  bus.removeAllListeners('tick');
  write(out + '-3.heapsnapshot');
} else {
  for (let i = 0; i < units; i++) serve(i);
  write(out + '.heapsnapshot');
}
