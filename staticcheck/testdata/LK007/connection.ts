// Every instance registers itself in a static set that nothing empties.
export class Connection {
  static open = new Set<Connection>();

  constructor(readonly url: string) {
    Connection.open.add(this); // want LK007 "Connection.open"
  }

  isOpen(): boolean {
    return Connection.open.has(this);
  }
}
