'use strict';
// A module-level array that only grows.
class HistoryItem {
  constructor(id) {
    this.id = id;
  }
}

const history = [];

function record(id) {
  history.push(new HistoryItem(id)); // want LK101 "history.push("
}

module.exports = { history, record };
