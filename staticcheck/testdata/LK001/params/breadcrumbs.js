// CommonJS. raven's http breadcrumbs (1.1.4): fill() records every
// wrapped method in a module-level array, and the ClientRequest
// constructor it installs wraps `emit` once per request.
'use strict';
var http = require('http');
var util = require('util');

function fill(obj, name, replacement, track) {
  var orig = obj[name];
  obj[name] = replacement(orig);
  if (track) {
    track.push([obj, name, orig]);
  }
}

var originals = [];

var wrappers = {
  // Install-time wrapping: console and http are filled once each.
  console: function (Raven) {
    var wrapConsoleMethod = function (level) {
      fill(console, level, function (orig) {
        return function () {
          Raven.captureBreadcrumb({ level: level });
          orig.apply(console, arguments);
        };
      }, originals);
    };
    ['debug', 'info', 'warn', 'error', 'log'].forEach(wrapConsoleMethod);
  },

  http: function (Raven) {
    var OrigClientRequest = http.ClientRequest;
    var ClientRequest = function (options, cb) {
      var self = this;
      OrigClientRequest.call(self, options, cb);
      fill(self, 'emit', function (origEmit) { // want LK001 "fill\\(\\) pushes onto its parameter \"track\", and this call hands it module-level array \"originals\" on every call of ClientRequest\\(\\), which a return hands out: each run adds an entry that nothing removes on those runs, alive as long as the process"
        return function (evt) {
          return origEmit.apply(this, arguments);
        };
      }, originals);
    };
    util.inherits(ClientRequest, OrigClientRequest);
    fill(http, 'ClientRequest', function () {
      return ClientRequest;
    }, originals);
  },
};

// Removal only when the whole instrumentation is taken down: it does not
// bound what each request adds in between.
function restoreOriginals() {
  var original;
  while ((original = originals.shift())) {
    original[0][original[1]] = original[2];
  }
}

// The same helper fed from a route handler and from an interval.
var express = require('express');
var app = express();
var hits = [];
app.get('/hit', function (req, res) {
  fill(req, 'end', function (orig) { return orig; }, hits); // want LK001 "fill\\(\\) pushes .* module-level array \"hits\" on every request"
  res.end();
});
var ticks = [];
setInterval(function () {
  fill(process, 'emit', function (orig) { return orig; }, ticks); // want LK001 "module-level array \"ticks\" on every interval tick"
}, 1000);

// A route that takes out what it put in on the same request is bounded.
var inflight = [];
app.get('/inflight', function (req, res) {
  fill(req, 'end', function (orig) { return orig; }, inflight);
  res.on('finish', function () {
    inflight.splice(inflight.indexOf(req), 1);
  });
});

// Calls at load time, in a one-shot listener, in a timeout, and in the
// load-time iteration of a fixed list add a fixed number of entries.
fill(process, 'exit', function (orig) { return orig; }, originals);
process.on('exit', function () {
  fill(process, 'emit', function (orig) { return orig; }, originals);
});
setTimeout(function () {
  fill(process, 'emit', function (orig) { return orig; }, originals);
}, 10);
['a', 'b'].forEach(function (k) {
  fill(module, k, function (orig) { return orig; }, originals);
});

module.exports = { wrappers: wrappers, restoreOriginals: restoreOriginals, app: app };
