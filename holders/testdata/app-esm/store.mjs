// A class instance whose property collects every request.
class Session {
  constructor(id) {
    this.id = id;
  }
}

class SessionStore {
  sessions = new Set();

  add(s) {
    this.sessions.add(s); // want LK104 "this.sessions.add("
  }
}

const store = new SessionStore();

export function open(id) {
  store.add(new Session(id));
}
