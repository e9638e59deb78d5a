'use strict';
const { remember } = require('./cache');
const { record } = require('./history');
const { subscribe } = require('./listener');
const { poll } = require('./interval');
const { chain } = require('./closure');
const { open } = require('./store');
const { watch } = require('./target');
const { keep } = require('somepkg');

class Upload {
  constructor(id) {
    this.id = id;
  }
}

exports.work = function work(i) {
  remember(i);
  record(i);
  subscribe(i);
  poll(i);
  chain(i);
  open(i);
  watch(i);
  keep(new Upload(i));
};
