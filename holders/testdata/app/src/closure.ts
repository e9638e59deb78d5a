// Each request's callback captures the previous one: a chain of closures.
class Job {
  constructor(public id: number) {}
}

let last: () => number = () => 0;

export function chain(id: number): void {
  const job = new Job(id);
  const prev = last;
  last = () => job.id + prev(); // want LK105 "last = () => job.id"
}
