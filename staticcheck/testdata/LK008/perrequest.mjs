// ES module: a class without teardown, created on every request with a
// long-lived emitter, listens on it once per instance.
import { EventEmitter } from 'node:events';
import express from 'express';

const bus = new EventEmitter();
const app = express();

class Subscriber {
  constructor(source, res) {
    this.res = res;
    source.on('message', (m) => this.send(m)); // want LK008 "of Subscriber, which has no teardown and is created on every request with a long-lived bus"
    res.on('error', (e) => this.fail(e));
  }

  send() {}
  fail() {}
}

app.get('/events', (req, res) => {
  new Subscriber(bus, res);
});

// Created on every request too, but with the request's own emitter: it
// dies with the call.
class Reader {
  constructor(stream) {
    stream.on('data', (d) => this.read(d));
  }

  read() {}
}

app.post('/upload', (req, res) => {
  new Reader(req);
  res.end();
});

// Created once, at load: one listener for the life of the process.
class Audit {
  constructor(source) {
    source.on('message', (m) => this.log(m));
  }

  log() {}
}

new Audit(bus);

app.listen(3000);
