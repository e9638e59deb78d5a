#!/usr/bin/env node
// Scores `leakls check` JSON output (or ESLint's, converted to that shape by
// eslint-findings.js) against bench/recall/cases.json.
// Usage: node evaluate.js CASES.json WORKDIR OUTDIR [CASE_ID...]
'use strict';
const fs = require('fs');
const path = require('path');

const [casesFile, work, outDir, ...want] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'))
  .filter(c => !want.length || want.includes(c.id));

const key = (pkg, ver) => `${pkg}@${ver}`.replace(/\//g, '_');
const outFile = (pkg, ver, dir) =>
  path.join(outDir, `${key(pkg, ver)}.${dir.replace(/[/.]/g, '_')}.json`);
const pkgRoot = (pkg, ver) => path.join(work, 'pkgs', key(pkg, ver), 'package');

function loadFindings(pkg, ver, dir) {
  const f = outFile(pkg, ver, dir);
  if (!fs.existsSync(f)) throw new Error(`missing output ${f}`);
  const j = JSON.parse(fs.readFileSync(f, 'utf8'));
  return j.findings.map(x => ({ ...x, file: path.normalize(x.file) }));
}

const SRC = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/;
function countSources(dir) {
  let n = 0;
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (SRC.test(e.name) && !/\.d\.[mc]?ts$/.test(e.name)) n++;
    }
  })(dir);
  return n;
}

// Lines (1-based) of root/file that match any anchor regex.
function anchorLines(root, file, anchors) {
  const p = path.join(root, file);
  if (!fs.existsSync(p)) return new Set();
  const lines = fs.readFileSync(p, 'utf8').split('\n');
  const res = anchors.map(a => new RegExp(a));
  const set = new Set();
  lines.forEach((l, i) => { if (res.some(r => r.test(l))) set.add(i + 1); });
  return set;
}

// Findings whose range [start.line, end.line] covers an anchor line of a site.
function onSites(findings, root, sites) {
  const hits = [];
  for (const s of sites) {
    const lines = anchorLines(root, s.file, s.anchors);
    for (const f of findings) {
      if (f.file !== path.normalize(s.file)) continue;
      for (let l = f.range.start.line; l <= f.range.end.line; l++) {
        if (lines.has(l)) { hits.push(f); break; }
      }
    }
  }
  return hits;
}

const rows = [];
let found = 0, flaggedAfter = 0, anyAfter = 0;
let siteFilesB = 0, siteFindB = 0, siteFilesA = 0, siteFindA = 0;
const scanned = new Map(); // pkg@ver dir -> {files, findings}

for (const c of cases) {
  const rb = pkgRoot(c.package, c.before), ra = pkgRoot(c.package, c.fixed);
  const fb = loadFindings(c.package, c.before, c.dir);
  const fa = loadFindings(c.package, c.fixed, c.dir);
  for (const [ver, root, fs_] of [[c.before, rb, fb], [c.fixed, ra, fa]]) {
    const k = `${c.package}@${ver} ${c.dir}`;
    if (!scanned.has(k)) scanned.set(k, { files: countSources(path.join(root, c.dir)), findings: fs_.length });
  }
  const warn = [];
  if (c.sites.every(s => anchorLines(rb, s.file, s.anchors).size === 0))
    warn.push('no anchor line matched in the before version');
  const hb = onSites(fb, rb, c.sites);
  const rules = new Set(hb.map(f => f.rule));
  const ha = onSites(fa, ra, c.sites);
  const haSame = ha.filter(f => rules.has(f.rule));
  const isFound = hb.length > 0, isFlagged = isFound && haSame.length > 0;
  if (isFound) found++;
  if (isFlagged) flaggedAfter++;
  if (ha.length) anyAfter++;
  // findings in the files the case is about
  const files = [...new Set(c.sites.map(s => path.normalize(s.file)))];
  for (const f of files) {
    if (fs.existsSync(path.join(rb, f))) { siteFilesB++; siteFindB += fb.filter(x => x.file === f).length; }
    if (fs.existsSync(path.join(ra, f))) { siteFilesA++; siteFindA += fa.filter(x => x.file === f).length; }
  }
  rows.push({
    id: c.id, pkg: `${c.package} ${c.before}->${c.fixed}`, kind: c.kind,
    found: isFound, flaggedAfter: isFlagged, anyAfter: ha.length > 0,
    before: hb.map(f => `${f.rule} ${f.file}:${f.range.start.line}`),
    after: ha.map(f => `${f.rule} ${f.file}:${f.range.start.line}`),
    caseFileFindingsBefore: files.map(f => fb.filter(x => x.file === f).map(x => `${x.rule}:${x.range.start.line}`)),
    warn,
  });
}

for (const r of rows) {
  console.log(`${r.found ? 'FOUND ' : 'MISSED'} ${r.flaggedAfter ? 'FLAGGED-AFTER' : r.found ? 'clean-after  ' : '-            '} ${r.id} (${r.pkg})`);
  if (r.before.length) console.log(`    before: ${r.before.join(', ')}`);
  if (r.after.length) console.log(`    after:  ${r.after.join(', ')}`);
  const other = r.caseFileFindingsBefore.flat();
  if (!r.found && other.length) console.log(`    other findings in the case files (before): ${other.join(', ')}`);
  for (const w of r.warn) console.log(`    WARNING: ${w}`);
}
let sf = 0, sn = 0;
for (const v of scanned.values()) { sf += v.files; sn += v.findings; }
const n = rows.length;
const pct = (a, b) => b ? `${(100 * a / b).toFixed(0)}%` : 'n/a';
console.log('');
console.log(`cases: ${n}`);
console.log(`found (recall): ${found}/${n} = ${pct(found, n)}`);
console.log(`flagged after fix (same rule on the fixed code): ${flaggedAfter}/${n} = ${pct(flaggedAfter, n)} of cases, ${flaggedAfter}/${found} of found cases`);
console.log(`any finding on the fixed sites (any rule): ${anyAfter}/${n}`);
console.log(`findings per case file: before ${siteFindB}/${siteFilesB} = ${(siteFindB / siteFilesB).toFixed(2)}, after ${siteFindA}/${siteFilesA} = ${(siteFindA / siteFilesA).toFixed(2)}`);
console.log(`findings per scanned source file (all ${scanned.size} package versions): ${sn}/${sf} = ${(sn / sf).toFixed(3)}`);
fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ rows, found, flaggedAfter, anyAfter, n }, null, 1));
