// Koa middleware and stream instrumentation keyed by per-call objects.
const Koa = require('koa');
const { Job } = require('./job');

const app = new Koa();
const timers = new Map();
const streamStats = new Map();
const submitted = new Set();

app.use(async (ctx, next) => {
  timers.set(ctx, process.hrtime.bigint()); // want LK007 "timers"
  await next();
  ctx.set('x-time', String(process.hrtime.bigint() - timers.get(ctx)));
});

function instrument(stream) {
  streamStats.set(stream, { bytes: 0 }); // want LK007 "streamStats"
  stream.on('data', (c) => {
    streamStats.get(stream).bytes += c.length;
  });
}

function submit(spec) {
  const job = new Job(spec);
  submitted.add(job); // want LK007 "submitted"
  return submitted.has(job) ? job : null;
}

module.exports = { app, instrument, submit };
