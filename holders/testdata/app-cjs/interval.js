'use strict';
// An interval started per request and never cleared.
class Poller {
  constructor(id) {
    this.id = id;
  }
}

exports.poll = function poll(id) {
  const poller = new Poller(id);
  setInterval(function onPoll() { // want LK103 "setInterval("
    poller.id++;
  }, 60000);
};
