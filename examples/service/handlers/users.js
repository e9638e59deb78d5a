'use strict';
// User profiles, rendered once and served from the cache.
const { cachedProfile, touchSession } = require('../cache');

function render(id) {
  return JSON.stringify({ id, name: `user ${id}`, bio: 'x'.repeat(1024) }) + '\n';
}

function getUser(req, res) {
  const session = req.headers['x-session'];
  if (session) touchSession(session);
  res.setHeader('content-type', 'application/json');
  res.end(cachedProfile(req.params.id, render));
}

module.exports = { getUser };
