// A class instance whose property collects every request.
class Session {
  constructor(id) {
    this.id = id;
  }
}

class SessionStore {
  sessions = new Set(); // want LK104 "sessions = new Set()"

  add(s) {
    this.sessions.add(s);
  }
}

const store = new SessionStore();

export function open(id) {
  store.add(new Session(id));
}
