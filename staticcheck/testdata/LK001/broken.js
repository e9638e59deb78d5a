// A half-typed file: the syntax error does not hide the leak below it.
const seen = new Set();

function half(a, {
  return a +
}

function track(id) {
  seen.add(id); // want LK001 "seen"
}

module.exports = { track };
