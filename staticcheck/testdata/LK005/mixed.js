// Strictness per function, classes, explicit globals and other safe shapes.
function strictOne(x) {
  'use strict';
  notGlobal = x;
  return notGlobal;
}

class Store {
  put(v) {
    insideClass = v;
  }
}

function sloppyOne(x) {
  leaked = x; // want LK005 "leaked"
  return leaked;
}

// Explicit globals are intended.
globalThis.appConfig = { debug: false };
global.startedAt = Date.now();

// Define-if-missing pattern: deliberate.
if (typeof registry === 'undefined') {
  registry = {};
}

// Node and CommonJS names.
exports = module.exports = { strictOne, sloppyOne, Store };

// Compound updates read the name first and are not reported.
function bump() {
  hitsSoFar += 1;
  visits++;
}

// Block-scoped declarations in an enclosing block.
function blocks(items) {
  let n;
  if (items.length) {
    n = items.length;
  }
  try {
    JSON.parse(items);
  } catch (e) {
    e = null;
  }
  return n;
}

// Parameters, including destructured and defaulted ones.
function params(a, { b }, [c], d = 1, ...rest) {
  a = b = c = d = rest = null;
  return a;
}

// Names in with blocks are resolved at run time.
function withBlock(obj) {
  with (obj) {
    field = 1;
  }
}
