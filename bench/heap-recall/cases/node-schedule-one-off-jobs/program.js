// node-schedule running one one-off job per request (a date 100 ms
// ahead), as a "do this shortly" queue would. 1.3.3 stores every job in
// the module-level scheduledJobs object and deletes it only on cancel(),
// so jobs that ran stay; 2.0.0 deletes a one-off job once it ran.
'use strict';
const schedule = require('node-schedule');
const serve = require('./serve');

// The first date node-schedule 2 converts loads its time-zone code, which
// takes longer than the 100 ms ahead the jobs below are scheduled: convert
// one before serving (a job that is cancelled, so it leaves nothing). The
// 100 ms leave room for a slow conversion on a busy machine: a date that
// has passed is not scheduled.
schedule.scheduleJob(new Date(Date.now() + 60000), () => {}).cancel();

serve((i) => new Promise((resolve, reject) => {
  const payload = { request: i, body: 'x'.repeat(256) };
  const job = schedule.scheduleJob(new Date(Date.now() + 100), () => resolve(payload));
  if (!job) reject(new Error('the job was not scheduled (its date had passed)'));
}));
