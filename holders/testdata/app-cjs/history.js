'use strict';
// A module-level array that only grows.
class HistoryItem {
  constructor(id) {
    this.id = id;
  }
}

const history = []; // want LK101 "history"

function record(id) {
  history.push(new HistoryItem(id));
}

module.exports = { history, record };
