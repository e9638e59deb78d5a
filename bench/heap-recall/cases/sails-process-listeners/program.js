// A Sails app lifted and lowered again in one process (as test suites and
// multi-app hosts do, sails' issue #2693). In 0.11.5 every lift adds
// process.once('SIGUSR2', ...), process.on('SIGINT' | 'SIGTERM' | 'exit',
// ...) listeners that close over the app, and lower() never removes them;
// 0.12.0 keeps the listeners on the app and removes them in lower(). The
// app has no models, views, sockets and no HTTP server of its own (sails
// would take port 1337, whatever else runs there): lifting still runs the
// initialisation that registers the listeners.
'use strict';
const Sails = require('sails').constructor;
const serve = require('./serve');

const config = {
  environment: 'development',
  log: { level: 'silent' },
  globals: false,
  hooks: { http: false, grunt: false, orm: false, pubsub: false, sockets: false, views: false, i18n: false, session: false },
};

serve(() => new Promise((resolve, reject) => {
  const app = new Sails();
  app.lift(config, (err) => {
    if (err) return reject(err);
    app.lower((err) => (err ? reject(err) : resolve()));
  });
}));
