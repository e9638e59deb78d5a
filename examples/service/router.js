'use strict';
// A tiny express-style router on plain node:http, so that the example runs
// without installing anything: app.get('/users/:id', handler).
const http = require('node:http');

function compile(pattern) {
  const parts = pattern.split('/').filter(Boolean);
  return (path) => {
    const segs = path.split('/').filter(Boolean);
    if (segs.length !== parts.length) return null;
    const params = {};
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].startsWith(':')) params[parts[i].slice(1)] = decodeURIComponent(segs[i]);
      else if (parts[i] !== segs[i]) return null;
    }
    return params;
  };
}

function createApp() {
  const routes = [];
  const app = {
    get(pattern, handler) {
      routes.push({ method: 'GET', match: compile(pattern), handler });
      return app;
    },
    post(pattern, handler) {
      routes.push({ method: 'POST', match: compile(pattern), handler });
      return app;
    },
    handle(req, res) {
      const url = new URL(req.url, 'http://localhost');
      for (const route of routes) {
        const params = route.method === req.method ? route.match(url.pathname) : null;
        if (params) {
          req.params = params;
          req.query = url.searchParams;
          return route.handler(req, res);
        }
      }
      res.statusCode = 404;
      res.end('not found\n');
    },
    listen(port, onListening) {
      return http.createServer((req, res) => app.handle(req, res)).listen(port, onListening);
    },
  };
  return app;
}

module.exports = { createApp };
