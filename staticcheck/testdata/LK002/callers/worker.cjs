// CommonJS importer: calls nothing leaky per call.
const { pipeBody } = require('./relay.mjs');

module.exports = function handle(req, res) {
  pipeBody(req, res);
};
