// Allocates about 15 MB in buildTable (lib.js) and far less in
// describe, under node --heap-prof. The loops run few times, so that V8
// does not inline the allocating functions into this module's code.
'use strict';
const { buildTable, describe } = require('./lib.js');

globalThis.keep = [];
for (let k = 0; k < 10; k++) {
  globalThis.keep.push(buildTable(20000));
  globalThis.keep.push(describe(k));
}
