// An express router with module-level bookkeeping that grows per request.
const express = require('express');
const { render } = require('./render');

const sessions = {};
const recentPaths = [];
const userAgents = new Set();
const responseCache = new Map();
const clients = new Set();

const router = express.Router();

router.use((req, res, next) => {
  sessions[req.headers['x-session-id']] = { seen: Date.now() }; // want LK001 "sessions"
  recentPaths.push(req.path); // want LK001 "recentPaths"
  userAgents.add(req.get('user-agent')); // want LK001
  next();
});

router.get('/report/:id', async (req, res) => {
  if (responseCache.has(req.params.id)) {
    return res.send(responseCache.get(req.params.id));
  }
  const body = await render(req.params.id);
  responseCache.set(req.params.id, body); // want LK001 "responseCache"
  res.send(body);
});

// Sockets are objects, but the set is iterated for the broadcast, so a
// WeakSet cannot replace it: it is an unbounded collection.
router.ws = function attach(wss) {
  wss.on('connection', (ws) => {
    clients.add(ws); // want LK001 "clients"
  });
};

function broadcast(msg) {
  for (const c of clients) c.send(msg);
}

module.exports = { router, broadcast };
