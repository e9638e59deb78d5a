const { handlers, addHook } = require('./plugins');

addHook(() => 'a');
addHook(() => 'b');

// Exported and called per request by code outside this program.
function onRequest(req) {
  handlers.push(req.url);
}

module.exports = onRequest;
