'use strict';
// The example service: `node server.js` listens on $PORT (default: any free port)
// and prints its URL;
// `node server.js --self-test` starts it on a free port, calls every route
// once and exits 0 when all of them answered.
const { createApp } = require('./router');
const { request } = require('./request');
const metrics = require('./metrics');
const { getUser } = require('./handlers/users');
const prices = require('./handlers/prices');
const jobs = require('./handlers/jobs');

const app = createApp()
  .get('/users/:id', getUser)
  .get('/prices/stream', prices.streamPrices)
  .get('/prices/stream-fixed', prices.streamPricesFixed)
  .get('/prices/next', prices.nextPrice)
  .post('/jobs', jobs.startJob)
  .get('/jobs/:id/watch', jobs.watchJob)
  .get('/jobs/:id/follow', jobs.followJob)
  .post('/remind', jobs.remindLater)
  .post('/remind-fixed', jobs.remindLaterFixed)
  .get('/stats', (req, res) => res.end(JSON.stringify(metrics.stats()) + '\n'));

const handle = app.handle;
app.handle = (req, res) => {
  metrics.requestStarted(req);
  const write = res.write;
  res.write = function (chunk, ...rest) {
    metrics.responseWritten(res, chunk.length);
    return write.call(this, chunk, ...rest);
  };
  return handle(req, res);
};

function start(port, onListening) {
  return app.listen(port, onListening);
}

async function selfTest() {
  const deadline = setTimeout(() => {
    console.error('self-test: timed out');
    process.exit(1);
  }, 10000);
  const server = start(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  const calls = [
    ['GET', '/users/1'],
    ['GET', '/users/1'],
    ['GET', '/prices/stream'],
    ['GET', '/prices/stream-fixed'],
    ['GET', '/prices/next'],
    ['POST', '/jobs'],
    ['GET', '/jobs/1/watch'],
    ['GET', '/jobs/1/follow'],
    ['POST', '/remind'],
    ['POST', '/remind-fixed'],
    ['GET', '/stats'],
  ];
  for (const [method, path] of calls) {
    const status = await request(`http://localhost:${port}`, method, path);
    if (status !== 200) {
      console.error(`self-test: ${method} ${path}: status ${status}`);
      process.exit(1);
    }
  }
  clearTimeout(deadline);
  console.log(`self-test ok: ${calls.length} requests`);
  // The leaks above (an interval per /jobs/:id/watch) keep the event loop
  // busy forever, which is the point of the example: exit explicitly.
  process.exit(0);
}

if (require.main === module) {
  if (process.argv.includes('--self-test')) {
    selfTest();
  } else {
    // Without PORT a free port is picked; the URL printed is the one bound.
    const port = Number(process.env.PORT) || 0;
    const server = start(port, () => console.log(`listening on http://localhost:${server.address().port}`));
  }
}

module.exports = { app, start };
