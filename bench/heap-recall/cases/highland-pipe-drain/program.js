// A service piping a highland stream of log lines per request into one
// long-lived destination (an audit sink, kept open: { end: false }, as
// process.stdout would be). In 2.7.2 pipe() adds dest.on('drain', ...) and
// removes it only when the source stream is destroyed, not when it ends,
// so every finished pipe leaves a listener (and its stream) on the sink;
// 2.7.3 runs the destructors when the stream ends.
'use strict';
const { Writable } = require('stream');
const _ = require('highland');
const serve = require('./serve');

let written = 0;
const audit = new Writable({
  write(chunk, encoding, callback) {
    written += chunk.length;
    callback();
  },
});

serve((i) => new Promise((resolve) => {
  const lines = [`request ${i} started\n`, `request ${i} done\n`];
  _(lines).pipe(audit, { end: false });
  setImmediate(resolve);
}));
