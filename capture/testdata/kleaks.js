// A small HTTP server with five leaks of different kinds, each marked on
// the line that grows it with the rule leakls reports it under, among
// the objects Node creates on its own: console output, util.inspect
// colours, a diagnostics channel, a keep-alive agent's socket pool, and
// timers that are cleared. With LEAKLS_TEST_FIXED=1 it is the quiet
// twin: the same work and the same Node objects, and no leak.
'use strict';
const http = require('node:http');
const util = require('node:util');
const dc = require('node:diagnostics_channel');
const { EventEmitter } = require('node:events');

const leaking = process.env.LEAKLS_TEST_FIXED !== '1';

const profiles = new Map();
const history = [];
const bus = new EventEmitter();
bus.setMaxListeners(0);

class Entry {
  constructor(id) {
    this.id = id;
    this.at = new Date(1700000000000 + id);
  }
}

class Tracker {
  constructor() {
    this.sessions = [];
  }
  open(id) {
    const session = { id, samples: Array.from({ length: 16 }, (_, i) => i * id) };
    if (leaking) this.sessions.push(session); // leak: LK104
    return session;
  }
}
const tracker = new Tracker();

function remember(id) {
  const profile = { id, name: `user-${id}`, tags: ['a', 'b', 'c'].map((t) => t + id) };
  if (leaking) profiles.set(id, profile); // leak: LK101
  if (leaking) history.push(new Entry(id)); // leak: LK101
}

function watch(id, res) {
  const seen = { id, count: 0 };
  const onTick = () => { seen.count++; };
  if (leaking) bus.on('tick', onTick); // leak: LK102
  const poll = () => { seen.count += res.statusCode; };
  if (leaking) setInterval(poll, 3600 * 1000).unref(); // leak: LK103
}

// The Node objects a quiet program makes too.
const channel = dc.channel('kleaks:request');
let subscribed = false;
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

function noise(id, url) {
  if (!subscribed) {
    dc.subscribe('kleaks:request', () => {});
    subscribed = true;
  }
  channel.publish({ id });
  console.log(util.inspect({ id, nested: { list: [1, 2, 3] } }, { colors: true }));
  const once = setTimeout(() => {}, 10000);
  clearTimeout(once);
  const every = setInterval(() => {}, 10000);
  clearInterval(every);
  return new Promise((resolve) => {
    http.get(new URL('/ping', url), { agent }, (r) => { r.resume(); r.on('end', resolve); }).on('error', resolve);
  });
}

let base;
let requests = 0;
const server = http.createServer(async (req, res) => {
  if (req.url === '/ping') {
    res.end('pong\n');
    return;
  }
  const id = requests++;
  remember(id);
  tracker.open(id);
  watch(id, res);
  await noise(id, base);
  res.end('ok\n');
});

server.listen(0, '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}/`;
  console.log(`listening on ${base}`);
});
