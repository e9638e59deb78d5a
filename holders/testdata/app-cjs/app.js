'use strict';
const { remember } = require('./cache');
const { record } = require('./history');
const { subscribe } = require('./listener');
const { poll } = require('./interval');
const { chain } = require('./closure');
const { open } = require('./store');
const { watch } = require('./target');
const { keep } = require('somepkg');
const { connect } = require('./clients');
const { join } = require('./adapter');
const { open: openConn } = require('./bound');
const { wait } = require('./once');
const { show } = require('./debounce');
const { proxy } = require('./upgrade');
const { handle } = require('./named');
const { follow } = require('./legit');
const { db } = require('./factory');
const { pair } = require('./receiver');
const { register } = require('./registry');
const { alert } = require('./alerts');

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
  connect(i);
  join(i);
  openConn(i);
  wait(i);
  show(i);
  proxy(i);
  handle(i);
  follow(i);
  db(i);
  pair(i);
  register(i);
  alert(i);
};
