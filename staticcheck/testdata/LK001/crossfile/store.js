// Module-level collections exported to the rest of the program.
const pending = new Map();
const audit = [];
const uploads = new Map();

function track(job) {
  pending.set(job.id, job);
  audit.push({ id: job.id, at: Date.now() }); // want LK001 "audit"
}

function upload(file) {
  uploads.set(file.name, file.data);
}

module.exports = { pending, audit, track, upload, uploads };
