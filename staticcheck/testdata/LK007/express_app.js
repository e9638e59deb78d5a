// Express middleware keeping per-request data keyed by the request.
const express = require('express');

const app = express();
const bodies = new Map();
const users = new Map();
const pendingResponses = new Set();

app.use((req, res, next) => {
  bodies.set(req, []); // want LK007 "bodies"
  req.on('data', (c) => bodies.get(req).push(c));
  next();
});

app.use(function auth(request, response, next) {
  users.set(request, request.headers.authorization); // want LK007 "users"
  pendingResponses.add(response); // want LK007 "pendingResponses"
  next();
});

app.get('/me', (req, res) => res.json({ user: users.get(req) }));

module.exports = app;
