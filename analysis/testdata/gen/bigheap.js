// bigheap.js builds a realistic Node.js heap of a chosen size and writes heap
// snapshots of it, for the analysis package's benchmarks.
//
//   node --max-old-space-size=8000 bigheap.js OUT MB [--series[=B,T]] [--text=N]
//
// OUT.heapsnapshot is written when the snapshot should be about MB megabytes.
// With --series three snapshots of one process are written instead:
// OUT-1.heapsnapshot (baseline), OUT-2 (target, after more requests were
// served and some leaked) and OUT-3 (final, after more work and a cleanup of
// the non-leaking state), the input of a 3-snapshot leak search. The
// baseline and target are taken when the fractions B and T of the work are
// done (default 1/3 and 2/3).
//
// With --text=N every request also keeps the text of its response (in an
// array, as a response cache would): about N characters, unique to the
// request, of words one character in six of which is accented (é, ü, ø…).
// V8 writes an accented character as a six-character \u escape, so the
// text fills a snapshot at about 1.65 bytes per character while the heap
// holds one byte per character. Measured on Node 20, writing a snapshot
// takes about 6 bytes of memory per byte of the file for objects (V8's
// snapshot generator keeps its own copy of the graph beside the heap) and
// 1.5 for such text: text lets Node write snapshots of several gigabytes
// on a machine of 24 GB. V8 keeps only the first 1024 characters of a
// string unless node is given --heap-snapshot-string-limit=N or more.
//
//   node --max-old-space-size=20000 --heap-snapshot-string-limit=8192 \
//     bigheap.js g5 5200 --series=0.4,0.95 --text=6300
//
// writes about 2, 5 and 5 GB, about four fifths of each the responses'
// text.
//
// The heap mixes what real servers hold: class instances in a Map cache,
// arrays of records, closures with captured contexts (listeners and
// timers), unique and repeated strings, nested plain objects, Sets, a
// WeakMap, typed arrays and Buffers.
'use strict';
const v8 = require('v8');
const { EventEmitter } = require('events');

const [out, mbArg, ...flags] = process.argv.slice(2);
const targetMB = Number(mbArg);
let series = null;
let textChars = 0;
for (const f of flags) {
  const [name, value] = f.split('=');
  if (name === '--series') series = value ? value.split(',').map(Number) : [1 / 3, 2 / 3];
  else if (name === '--text') textChars = Number(value);
  else series = textChars = NaN;
}
if (!out || !(targetMB > 0) || !(textChars >= 0) || (series && !(series[0] > 0 && series[1] > series[0] && series[1] <= 1))) {
  console.error('usage: node bigheap.js OUT MB [--series[=B,T]] [--text=N]');
  process.exit(2);
}

// A snapshot costs about 95 bytes per heap object on Node 20; one unit below
// allocates about 30 objects, and its text about 1.65 bytes a character.
const BYTES_PER_UNIT = 2900 + 1.65 * textChars;
const units = Math.ceil((targetMB * 1e6) / BYTES_PER_UNIT);

// Words of the responses' text, with accented letters.
const words = ['café', 'naïve', 'über', 'smörgåsbord', 'façade', 'jalapeño', 'crème', 'brûlée', 'øre', 'señor', 'déjà', 'vu'];
const texts = [];

// text returns about n characters of words unique to request i, as one
// flat string (join, unlike +, does not leave a tree of concatenations).
function text(i, n) {
  const parts = ['response ' + i + ':'];
  let len = parts[0].length + 1;
  for (let k = 0; len < n; k++) {
    const w = words[(i + k * 7) % words.length] + ((i * 31 + k) % 1000).toString(36);
    parts.push(w);
    len += w.length + 1;
  }
  return parts.join(' ');
}

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
  if (textChars > 0) texts.push(text(i, textChars));
}

function write(file) {
  const t0 = Date.now();
  v8.writeHeapSnapshot(file);
  console.error(`${file}: ${Date.now() - t0} ms`);
}

if (series) {
  let i = 0;
  for (; i < Math.ceil(units * series[0]); i++) serve(i);
  write(out + '-1.heapsnapshot');
  for (; i < Math.ceil(units * series[1]); i++) serve(i);
  write(out + '-2.heapsnapshot');
  for (; i < units; i++) serve(i);
  // Cleanup of the non-leaking part: listeners go, sessions stay.
  bus.removeAllListeners('tick');
  write(out + '-3.heapsnapshot');
} else {
  for (let i = 0; i < units; i++) serve(i);
  write(out + '.heapsnapshot');
}
