// serve(step) starts the local HTTP server every case program runs under
// `leakls run`: each GET /step runs one iteration of the leaking path,
// `await step(i)`, and answers 200 (500 with the error when it throws).
// It listens on a free loopback port and prints its URL, which is how
// `leakls run` knows the program is ready. Nothing leaves the machine.
'use strict';
const http = require('http');

module.exports = function serve(step, options = {}) {
  let i = 0;
  const server = http.createServer(options.handler || ((req, res) => {
    if (req.url !== '/step') {
      res.writeHead(404).end();
      return;
    }
    Promise.resolve()
      .then(() => step(i++, req, res))
      .then(() => { if (!res.headersSent) res.end('ok'); },
        (err) => { res.writeHead(500).end(String(err && err.stack || err)); });
  }));
  server.listen(0, '127.0.0.1', () => {
    console.log(`http://127.0.0.1:${server.address().port}/`);
  });
  return server;
};
