'use strict';
// A module-level object used as a set of the messages already shown: each
// new message becomes a key, kept for ever. With many keys V8 turns the
// object into a dictionary, whose keys are the program's own strings.
const alerted = {};

exports.alert = function alert(id) {
  const message = `upstream ${id} failed: connection reset by peer`;
  if (alerted[message]) {
    return;
  }
  alerted[message] = true; // want LK101 "alerted[message] = true"
};
