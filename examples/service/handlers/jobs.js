'use strict';
// Background jobs: clients start a job and follow its progress.
const { workers } = require('../bus');

const jobs = new Map();
let nextId = 1;

function startJob(req, res) {
  const id = String(nextId++);
  jobs.set(id, { progress: 0 });
  const job = jobs.get(id);
  const timer = setInterval(() => {
    job.progress = Math.min(100, job.progress + 25);
    if (job.progress === 100) {
      clearInterval(timer);
      workers.emit('done', id);
      jobs.delete(id);
    }
  }, 50);
  res.end(JSON.stringify({ id }) + '\n');
}

function progressOf(id) {
  const job = jobs.get(id);
  return job ? job.progress : 100;
}

// LEAK (LK003): polls the job every 100 ms for each request; the handle is
// thrown away, so the interval (and the response it writes to) lives forever.
function watchJob(req, res) {
  const id = req.params.id;
  res.writeHead(200, { 'content-type': 'text/plain' });
  setInterval(() => res.write(`${progressOf(id)}%\n`), 100);
}

// Correct: the same polling, cleared when the client disconnects.
function followJob(req, res) {
  const id = req.params.id;
  res.writeHead(200, { 'content-type': 'text/plain' });
  const timer = setInterval(() => res.write(`${progressOf(id)}%\n`), 100);
  res.on('close', () => clearInterval(timer));
}

// LEAK (LK004): the reminder closure keeps the whole request (headers, body,
// socket) alive for an hour just to read one header.
function remindLater(req, res) {
  setTimeout(() => console.log(`reminder for ${req.headers['x-user']}`), 60 * 60 * 1000).unref();
  res.end('ok\n');
}

// Correct: copies the one field it needs before scheduling.
function remindLaterFixed(req, res) {
  const user = req.headers['x-user'];
  setTimeout(() => console.log(`reminder for ${user}`), 60 * 60 * 1000).unref();
  res.end('ok\n');
}

module.exports = { startJob, watchJob, followJob, remindLater, remindLaterFixed };
