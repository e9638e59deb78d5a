// Errors made ahead of time and kept on the instance (ES module).
export class Deferred {
  constructor() {
    this.stackHint = new Error('deferred created here'); // want LK009 "this.stackHint keeps an Error made on every call of Deferred\\(\\)"
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  timeout() {
    this.reject(this.stackHint);
  }
}

export class Cursor {
  next() {
    this.state.exhaustedError = new Error('cursor exhausted'); // want LK009 "this.state.exhaustedError keeps an Error made on every call of next\\(\\)"
    return this.state.items.shift();
  }

  close() {
    return this.state.exhaustedError;
  }
}

export const Client = function Client(url) {
  this.url = url;
  this.connectError = new Error(`could not connect to ${url}`); // want LK009 "made on every call of Client\\(\\)"
};

Client.prototype.fail = function () {
  this.emit('error', this.connectError);
};
