// A class instance whose property collects every request.
class Session {
  constructor(public id: number) {}
}

class SessionStore {
  sessions: Session[] = [];

  add(s: Session): void {
    this.sessions.push(s); // want LK104 "this.sessions.push("
  }
}

const store = new SessionStore();

export function open(id: number): void {
  store.add(new Session(id));
}
