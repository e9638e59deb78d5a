// A job queue that keeps a record of every finished job.
export interface Job {
  id: number;
  payload: string;
}

export class Queue {
  private finished: Job[] = [];

  run(job: Job): number {
    const size = job.payload.length;
    this.finished.push(job);
    return size;
  }
}

export const queue = new Queue();
