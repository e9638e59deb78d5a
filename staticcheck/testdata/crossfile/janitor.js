// Evicts the Map of store.js.
const { pending } = require('./store');
function finish(id) {
  pending.delete(id);
}
module.exports = { finish };
