'use strict';
// Errors that are not made ahead of time, or not kept. None is reported.

// mocha 5.0.1: the Error is made where the second call is reported.
function Runnable(title, fn) {
  this.title = title;
  this.fn = fn;
}

Runnable.prototype.run = function (fn) {
  const self = this;
  let finished = false;
  function done(err) {
    if (finished) return self.emit('error', err || new Error('done() called multiple times'));
    finished = true;
    fn(err);
  }
  this.fn(done);
};

// mongoose (after the fix): the Error is deleted when the save ends.
function generateVersionError(doc) {
  return new Error(`No matching document for ${doc.id}`);
}

function Model() {
  this.$__ = {};
}

Model.prototype.save = function (fn) {
  this.$__.$versionError = generateVersionError(this);
  this.$__save((error) => {
    delete this.$__.$versionError;
    fn(error);
  });
};

// Cleared with null when the operation ends.
function Job() {
  this.trace = new Error('job created');
}

Job.prototype.finish = function () {
  this.trace = null;
};

// Made only when something failed: in a branch, in a catch, in a callback.
function Parser() {}

Parser.prototype.parse = function (text) {
  if (text === '') {
    this.error = new SyntaxError('empty input');
    return null;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    this.lastError = new Error('bad input: ' + e.message);
    return null;
  }
};

Parser.prototype.read = function (stream) {
  stream.on('error', (err) => {
    this.streamError = new Error('stream failed: ' + err.message);
  });
};

// Thrown, emitted or passed on in the same call.
function Connection() {}

Connection.prototype.fail = function (reason) {
  this.closeError = new Error(reason);
  this.emit('error', this.closeError);
};

Connection.prototype.reject = function (reason) {
  this.rejection = new Error(reason);
  throw this.rejection;
};

// Only the stack text is kept.
function Span() {
  this.stack = new Error().stack;
}

// An error type keeps its cause: that is its job.
function WrappedError(message) {
  this.inner = new Error(message);
}

class RetryError extends Error {
  constructor(message) {
    super(message);
    this.last = new Error(message);
  }
}

class HttpProblem extends RetryError {
  constructor(status) {
    super(String(status));
    this.original = new Error(String(status));
  }
}

// Not on this: a result object made for the caller.
function failure(error) {
  const result = {};
  result.error = new Error(error);
  return result;
}

// A helper that returns something else as well is not an Error maker.
function errorOrValue(x) {
  if (x) return new Error('x');
  return x;
}

function Holder() {
  this.value = errorOrValue(false);
}

// Not an Error.
function Session() {
  this.started = new Date();
  this.handlers = new Map();
}

// An arrow function's this: not a method of its own.
function Widget() {
  const init = () => {
    this.origin = new Error('widget');
  };
  init();
}

// A test framework's context: the hook's this is whatever mocha binds.
describe('retry', function () {
  beforeEach(function () {
    this.rejected = new Error(Math.random().toString());
  });
  it('rejects', function () {
    return Promise.reject(this.rejected);
  });
});

// A plain function's this.
function setup() {
  this.failure = new Error('setup');
}

module.exports = { setup, Runnable, Model, Job, Parser, Connection, Span, WrappedError, RetryError, HttpProblem, failure, Holder, Session, Widget };
