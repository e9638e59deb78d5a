'use strict';
// The HTTP client of the self-test (server.js --self-test) and of the leakls
// scenario (scenario.mjs).
const http = require('node:http');

// request sends method path to the service at base (http://HOST:PORT) as
// the user ada, and resolves with the status code as soon as the first
// bytes of the body arrive (or a short body ends); streaming responses are
// then closed, as a browser tab that navigates away would close them.
function request(base, method, path) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers: { 'x-user': 'ada', 'x-session': 's1' } }, (res) => {
      res.once('data', () => {
        res.destroy();
        resolve(res.statusCode);
      });
      res.once('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

module.exports = { request };
