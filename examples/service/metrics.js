// Request metrics. This file has no 'use strict': like many older CommonJS
// modules it runs in sloppy mode.
const { performance } = require('node:perf_hooks');

// LEAK (LK007): start times keyed by the request object. A Map holds its keys
// strongly, so every request (headers, socket, body) stays alive forever.
const startedAt = new Map();

// Correct: bytes sent per response, in a WeakMap: the entry goes away with
// the response.
const bytesSent = new WeakMap();

let served = 0;

function requestStarted(req) {
  startedAt.set(req, performance.now());
  served++;
  // LEAK (LK005): "lastRequest" is declared nowhere, so this assignment
  // creates a global that pins the latest request and all it references.
  lastRequest = req;
}

function responseWritten(res, n) {
  bytesSent.set(res, (bytesSent.get(res) || 0) + n);
}

function elapsedMs(req) {
  return performance.now() - (startedAt.get(req) || 0);
}

function stats() {
  return { served };
}

module.exports = { requestStarted, responseWritten, elapsedMs, stats };
