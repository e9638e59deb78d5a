// A module-level object whose array property only grows.
class HistoryItem {
  constructor(id) {
    this.id = id;
  }
}

const log = {
  items: [],
  limit: 10,
};

export function record(id) {
  log.items.push(new HistoryItem(id)); // want LK104 "log.items.push("
}
