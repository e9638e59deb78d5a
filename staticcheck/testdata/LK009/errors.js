'use strict';
// Errors made ahead of time and kept on the instance (CommonJS).
const EventEmitter = require('events');
const util = require('util');

// mocha 5.0.0's Runnable: an Error per test, kept for the whole run.
function Runnable(title, fn) {
  this.title = title;
  this.fn = fn;
  this._trace = new Error('done() called multiple times'); // want LK009 "this._trace keeps an Error made on every call of Runnable\\(\\) before anything failed"
}
util.inherits(Runnable, EventEmitter);

Runnable.prototype.run = function (fn) {
  const self = this;
  let finished = false;
  function multiple(err) {
    self.emit('error', err);
  }
  function done(err) {
    if (finished) return multiple(err || self._trace);
    finished = true;
    fn(err);
  }
  this.fn(done);
};

// mongoose 5.6.8's save(): an Error per save, from a helper, kept on the
// document's internal state.
function VersionError(doc, version) {
  Error.call(this, 'No matching document found');
  this.version = version;
}

function generateVersionError(doc, modifiedPaths) {
  if (!doc.schema.options.versionKey) {
    return null;
  }
  return new VersionError(doc, 0, modifiedPaths);
}

function Model() {
  this.$__ = {};
}

Model.prototype.save = function (options, fn) {
  this.$__.$versionError = generateVersionError(this, this.modifiedPaths()); // want LK009 "this.\\$__.\\$versionError keeps an Error made on every call of save\\(\\)"
  this.$__save(options, (error) => {
    this.$__.saving = undefined;
    fn(error);
  });
};

Model.prototype.$__handleSave = function (numAffected, callback) {
  if (numAffected <= 0) {
    return callback(this.$__.$versionError || new VersionError(this, 0));
  }
  callback(null);
};

Model.prototype.modifiedPaths = function () {
  return [];
};

// A subscript with a symbol key.
const kOrigin = Symbol('origin');
function Query(sql) {
  this.sql = sql;
  this[kOrigin] = new Error('query created here'); // want LK009 "this\\[kOrigin\\] keeps an Error"
}

Query.prototype.fail = function (err) {
  err.origin = this[kOrigin];
  return err;
};

// A TypeError made ahead of time in a method called per request.
function Handler() {}
Handler.prototype.handle = function (req) {
  this.lastInvalid = new TypeError('invalid request'); // want LK009 "this.lastInvalid keeps an Error made on every call of handle\\(\\)"
  return req.valid;
};

Handler.prototype.explain = function () {
  return this.lastInvalid.message;
};

// Errors from a namespace of error classes.
const errors = { TimeoutError: class extends Error {} };
function Request(opts) {
  this.opts = opts;
  this.timeoutError = new errors.TimeoutError('request timed out'); // want LK009
}

Request.prototype.onTimeout = function () {
  this.emit('error', this.timeoutError);
};

module.exports = { Runnable, Model, Query, Handler, Request, VersionError };
