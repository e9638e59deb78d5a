'use strict';
// A class instance whose property collects every request.
class Session {
  constructor(id) {
    this.id = id;
  }
}

class SessionStore {
  constructor() {
    this.sessions = [];
  }

  add(s) {
    this.sessions.push(s); // want LK104 "this.sessions.push("
  }
}

const store = new SessionStore();

exports.open = function open(id) {
  store.add(new Session(id));
};
