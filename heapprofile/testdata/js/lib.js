'use strict';

// buildTable allocates the rows: the profile's top site.
function buildTable(n) {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push({ id: i, name: 'row-' + i });
  return rows;
}

// describe allocates a little.
function describe(k) {
  return { k, label: 'table ' + k };
}

module.exports = { buildTable, describe };
