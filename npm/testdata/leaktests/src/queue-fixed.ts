// A job queue that keeps a record of the last 10 finished jobs.
export interface Job {
  id: number;
  payload: string;
}

const keep = 10;

export class Queue {
  private finished: Job[] = [];

  run(job: Job): number {
    const size = job.payload.length;
    this.finished.push(job);
    if (this.finished.length > keep) this.finished.shift();
    return size;
  }
}

export const queue = new Queue();
