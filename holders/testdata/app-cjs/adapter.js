'use strict';
// socket.io-adapter's shape: a class whose method adds an object per
// socket id to this.sids, which nothing removes.
class Adapter {
  constructor() {
    this.sids = {};
  }

  addAll(id, rooms) {
    for (const room of rooms) {
      this.sids[id] = this.sids[id] || {}; // want LK104 "this.sids[id] = this.sids[id] || {}"
      this.sids[id][room] = true;
    }
  }
}

const adapter = new Adapter();

exports.join = function join(id) {
  adapter.addAll(id, ['lobby', 'news']);
};
