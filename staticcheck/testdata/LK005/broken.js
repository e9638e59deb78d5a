// A half-typed sloppy script: the undeclared assignment is still found.
function half(a, {
  return a +
}

function remember(v) {
  lastValue = v; // want LK005 "lastValue"
}
