'use strict';
// Each request's callback captures the previous one: a chain of closures.
class Job {
  constructor(id) {
    this.id = id;
  }
}

let last = () => 0;

exports.chain = function chain(id) {
  const job = new Job(id);
  const prev = last;
  last = () => job.id + prev(); // want LK105 "last = () => job.id"
};
