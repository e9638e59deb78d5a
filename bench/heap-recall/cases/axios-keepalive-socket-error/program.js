// A service calling a backend with axios through a keep-alive agent (one
// pooled socket reused by every request). In 1.15.1 each request adds
// socket.on('error', handleRequestSocketError) to the pooled socket and
// removes it on the request's 'close', which comes after the socket went
// back to the pool, so the listeners (each closing over its request) pile
// up on the socket; 1.15.2 installs one error listener per socket. The
// backend is a local server.
'use strict';
const http = require('http');
const axios = require('axios');
const serve = require('./serve');

const backend = http.createServer((req, res) => res.end(JSON.stringify({ ok: true })));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

backend.listen(0, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${backend.address().port}/status`;
  serve(async (i) => {
    await axios.get(url, { httpAgent: agent, params: { request: i } });
  });
});
