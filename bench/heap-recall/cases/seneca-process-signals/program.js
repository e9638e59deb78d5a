// A seneca instance per unit of work, started and closed again (as a test
// suite or a job runner does). In 0.7.2 every instance adds a
// process.on(signal, ...) listener for each close signal (SIGHUP, SIGTERM,
// SIGINT, SIGBREAK) that closes over the instance, and close() never
// removes them; 0.8.0 uses once() and removes them on close.
'use strict';
const Seneca = require('seneca');
const serve = require('./serve');

serve(() => new Promise((resolve, reject) => {
  const seneca = Seneca({ log: 'silent' });
  seneca.ready((err) => {
    if (err) return reject(err);
    seneca.close((err) => (err ? reject(err) : resolve()));
  });
}));
