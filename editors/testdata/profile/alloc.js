// Keeps ten tables from table.js live on the global object until the
// process exits, so that node --heap-prof attributes nearly all its memory
// to buildTable. (V8 gives the main module's functions no script URL in a
// profile; table.js's have one.)
'use strict';
const { buildTable } = require('./table.js');

globalThis.kept = [];
for (let k = 0; k < 10; k++) globalThis.kept.push(buildTable(20000));
