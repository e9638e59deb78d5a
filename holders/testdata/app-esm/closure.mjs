// Each request's callback captures the previous one: a chain of closures.
class Job {
  constructor(id) {
    this.id = id;
  }
}

let last = () => 0;

export function chain(id) {
  const job = new Job(id);
  const prev = last;
  last = function next() { return job.id + prev(); }; // want LK105 "last = function next()"
}
