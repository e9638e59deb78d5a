// A raven client reporting to a Sentry server that rejects events. raven
// emits 'error' for each rejected event and its own handler passes the
// message to utils.consoleAlert, which in 1.1.4 records every distinct
// message in the module-level consoleAlerts object to print it only once;
// the reason Sentry gives names the event, so every message is new.
// 1.1.6 prints without recording. The "Sentry server" is a local stub.
'use strict';
const http = require('http');
const Raven = require('raven');
const serve = require('./serve');

let rejected = 0;
const sentry = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(429, { 'x-sentry-error': `event ${++rejected} rejected: rate limit reached` }).end();
  });
});

sentry.listen(0, '127.0.0.1', () => {
  const client = new Raven.Client(`http://public:secret@127.0.0.1:${sentry.address().port}/1`);
  serve((i) => new Promise((resolve) => {
    client.captureException(new Error(`request ${i} failed`), () => resolve());
  }));
});
