// Loaded by main.js between its snapshots: writes the later ones.
'use strict';
const v8 = require('v8');

const done = [];
exports.snapshot = function snapshot(file) {
  done.push({ file });
  v8.writeHeapSnapshot(file);
};
exports.later = function later(file) {
  setTimeout(exports.snapshot, 10, file);
};
