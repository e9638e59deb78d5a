#!/usr/bin/env node
// The cases of the heap-recall benchmark: each entry of cases.json names a
// case of bench/recall/cases.json by id (package, before and fixed
// versions, holder sites) — or, for a leak that is not in that corpus,
// gives those fields itself — and adds the program that reproduces the leak,
// the iterations, extra `leakls run` flags, extra packages to install, and
// the fix sites (the lines the maintainer changed, in the before version).
//
// Usage: node cases.js list [CASE_ID...]   one line per case and version:
//        id side package version iterations flags [extra packages...]
//        (flags: the extra leakls flags joined by commas, "-" for none)
'use strict';
const path = require('path');

const recall = new Map(require('../recall/cases.json').map((c) => [c.id, c]));

// load returns the cases (all, or those whose id is in want), each with
// the fields of its bench/recall case and its own.
function load(want = []) {
  const cases = require('./cases.json').map((c) => {
    const r = recall.get(c.id) || {};
    if (!r.id && !c.package) throw new Error(`case ${c.id} is not in bench/recall/cases.json: give its package, before, fixed and sites`);
    return { ...r, ...c, iterations: c.iterations || 50, flags: c.flags || [], install: c.install || [] };
  });
  const unknown = want.filter((id) => !cases.some((c) => c.id === id));
  if (unknown.length) throw new Error(`no such case: ${unknown.join(', ')} (ids are in ${path.join(__dirname, 'cases.json')})`);
  return cases.filter((c) => !want.length || want.includes(c.id));
}

module.exports = { load };

if (require.main === module) {
  const [cmd, ...want] = process.argv.slice(2);
  if (cmd !== 'list') {
    console.error('usage: node cases.js list [CASE_ID...]');
    process.exit(2);
  }
  for (const c of load(want)) {
    for (const side of ['before', 'fixed']) {
      console.log([c.id, side, c.package, c[side], c.iterations, c.flags.join(',') || '-', ...c.install].join(' '));
    }
  }
}
