// A Map exported here and evicted by the module that imports it (janitor.js).
const pending = new Map();
function track(job) {
  pending.set(job.id, job);
}
module.exports = { pending, track };
