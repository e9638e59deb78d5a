// .cjs stays CommonJS (sloppy) even in a "type": "module" package.
function handle(req) {
  current = req; // want LK005 "current"
  return current;
}

module.exports = handle;
