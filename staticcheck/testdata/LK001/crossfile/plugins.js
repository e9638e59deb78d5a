// Registries declared here and grown by other modules.
const handlers = []; // want LK001 "handlers"
const hooks = [];

// Only start-up code calls addHook, so hooks has a fixed size.
function addHook(hook) {
  hooks.push(hook);
}

module.exports = { handlers, hooks, addHook };
