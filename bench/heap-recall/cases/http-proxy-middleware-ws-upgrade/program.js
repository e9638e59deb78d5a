// http-proxy-middleware with `ws: true` mounted in front of a plain
// request handler, as in its README. Every request that passes through
// the middleware (here: one that is not proxied and falls through to
// next()) runs catchUpgradeRequest(req.connection.server), which in
// 0.17.1 adds the same debounced listener to the server's 'upgrade'
// event again; 0.17.2 subscribes once.
'use strict';
const proxy = require('http-proxy-middleware');
const serve = require('./serve');

const ws = proxy('/api', { target: 'http://127.0.0.1:9', ws: true, logLevel: 'silent' });

serve(null, {
  handler(req, res) {
    ws(req, res, () => {
      res.end('ok');
    });
  },
});
