'use strict';
// More Errors made ahead of time (CommonJS, .cjs).
class Command {
  constructor(name, args) {
    this.name = name;
    this.args = args;
    // ioredis-style: a stack for a better message if the reply fails.
    this.stackCarrier = new Error(); // want LK009 "this.stackCarrier keeps an Error made on every call of Command\\(\\)"
  }

  reject(err) {
    err.stack += '\n' + this.stackCarrier.stack;
    return err;
  }
}

class Transaction {
  begin() {
    this.abortReason = new Error('transaction aborted'); // want LK009 "made on every call of begin\\(\\)"
    this.open = true;
  }

  abort() {
    this.open = false;
    return this.abortReason;
  }
}

function Timer(ms) {
  this.ms = ms;
  this.timeoutError = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
  this.expired = new Error(`expired after ${ms} ms`); // want LK009
}

Timer.prototype.fire = function (cb) {
  cb(this.expired || this.timeoutError);
};

module.exports = { Command, Transaction, Timer };
