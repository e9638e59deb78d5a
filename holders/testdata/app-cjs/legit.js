'use strict';
// The first listener of the array is the module's own, registered once;
// the ones added on every request come after it.
const { EventEmitter } = require('node:events');

let frames = 0;
const stream = new EventEmitter();
stream.setMaxListeners(0);
stream.on('frame', function countFrames() {
  frames++;
});

class Tracker {
  constructor(id) {
    this.id = id;
  }
}

exports.follow = function follow(id) {
  const tracker = new Tracker(id);
  stream.on('frame', () => { // want LK102 "stream.on("
    tracker.id += frames;
  });
};
