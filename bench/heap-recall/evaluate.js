#!/usr/bin/env node
// Scores the `leakls run --format json` outputs of run.sh against the fix
// sites of cases.json (see README.md, "Scoring").
// Usage: node evaluate.js WORKDIR RUNS [CASE_ID...]
'use strict';
const fs = require('fs');
const path = require('path');
const { load } = require('./cases');

const [work, runsArg, ...want] = process.argv.slice(2);
const runs = Number(runsArg);
const cases = load(want);

const instDir = (pkg, ver) => path.join(work, 'inst', `${pkg}@${ver}`.replace(/\//g, '_'));
// A package file as leakls names it: relative to the install dir (--root).
const pkgFile = (c, file) => path.normalize(path.join('node_modules', c.package, file));

// Lines (1-based) of the site files that match an anchor: file -> Set.
function siteLines(c, ver, sites) {
  const lines = new Map();
  for (const s of sites) {
    const rel = pkgFile(c, s.file);
    const p = path.join(instDir(c.package, ver), rel);
    const set = lines.get(rel) || new Set();
    if (fs.existsSync(p)) {
      const res = s.anchors.map((a) => new RegExp(a));
      fs.readFileSync(p, 'utf8').split('\n').forEach((l, i) => { if (res.some((r) => r.test(l))) set.add(i + 1); });
    }
    lines.set(rel, set);
  }
  return lines;
}

function report(c, side, run) {
  const f = path.join(work, 'out', `${c.id}.${side}.${run}.json`);
  if (!fs.existsSync(f) || fs.statSync(f).size === 0) return null;
  const j = JSON.parse(fs.readFileSync(f, 'utf8'));
  return (j.findings || []).filter((x) => /^LK1/.test(x.rule));
}

// The files of a finding's primary and related locations.
const files = (f) => [f, ...(f.related || [])].map((l) => path.normalize(l.file || ''));
const named = (f) => `${f.rule} ${f.file}:${f.range.start.line}`;

// score one run of one case: the before and fixed findings.
function score(c, before, fixed) {
  const fixLines = siteLines(c, c.before, c.fixSites);
  const changedLines = siteLines(c, c.before, c.fixSites.filter((s) => !s.growth));
  const caseFiles = new Set([...c.sites, ...c.fixSites].map((s) => pkgFile(c, s.file)));
  const fixFiles = new Set(c.fixSites.map((s) => pkgFile(c, s.file)));
  const on = (lines) => (f) => (lines.get(path.normalize(f.file)) || new Set()).has(f.range.start.line);
  const atFix = on(fixLines);
  const inFiles = (f) => files(f).some((file) => caseFiles.has(file));
  const inFixFile = (f) => fixFiles.has(path.normalize(f.file));
  return {
    leakSeen: before.length > 0,
    topAtChanged: before.length > 0 && on(changedLines)(before[0]),
    topAtFix: before.length > 0 && atFix(before[0]),
    anyAtFix: before.some(atFix),
    holderRight: before.some(inFiles),
    stillReported: fixed.some(inFixFile),
    findings: [before.length, fixed.length],
    named: before.length ? named(before[0]) : '-',
    fixedNamed: fixed.filter(inFixFile).map(named),
    fixLines: [...fixLines].map(([file, set]) => `${file}:${[...set].join(',')}`),
    noFixLine: [...fixLines.values()].every((s) => s.size === 0),
  };
}

const METRICS = ['topAtChanged', 'topAtFix', 'anyAtFix', 'holderRight', 'leakSeen', 'stillReported'];
const rows = [];
for (const c of cases) {
  const perRun = [];
  for (let run = 1; run <= runs; run++) {
    const b = report(c, 'before', run), a = report(c, 'fixed', run);
    if (b === null || a === null) { perRun.push(null); continue; }
    perRun.push(score(c, b, a));
  }
  const ok = perRun.filter(Boolean);
  const counts = Object.fromEntries(METRICS.map((m) => [m, ok.filter((s) => s[m]).length]));
  const stable = ok.length === runs && METRICS.every((m) => counts[m] === 0 || counts[m] === runs)
    && new Set(ok.map((s) => s.named)).size === 1;
  rows.push({
    id: c.id, pkg: `${c.package} ${c.before}->${c.fixed}`, kind: c.kind, fix: c.fix,
    runs: ok.length, counts, stable,
    // a case counts in the totals when the metric held in most runs
    result: Object.fromEntries(METRICS.map((m) => [m, counts[m] * 2 > runs])),
    // LK1xx findings of each run: [before, fixed]
    findings: ok.map((s) => s.findings),
    named: [...new Set(ok.map((s) => s.named))],
    fixLines: ok.length ? ok[0].fixLines : [],
    fixedNamed: [...new Set(ok.flatMap((s) => s.fixedNamed))],
    warn: ok.some((s) => s.noFixLine) ? ['no fix-site anchor matched in the before version'] : [],
  });
}

const yn = (r, m) => (r.result[m] ? 'yes' : 'no ') + (runs > 1 ? ` ${r.counts[m]}/${runs}` : '');
console.log(['case', 'top@changed', 'top@fix', 'any@fix', 'holder', 'seen', 'after', 'stable', 'findings (before/fixed)'].join('\t'));
for (const r of rows) {
  console.log([r.id, ...METRICS.map((m) => yn(r, m)), r.runs < runs ? `${r.runs}/${runs} runs ok` : r.stable ? 'yes' : 'no',
    r.findings.map((f) => f.join('/')).join(' ')].join('\t'));
  console.log(`    names: ${r.named.join(' | ')}`);
  console.log(`    fix lines: ${r.fixLines.join(' ')}`);
  if (r.fixedNamed.length) console.log(`    fixed version still: ${r.fixedNamed.join(', ')}`);
  for (const w of r.warn) console.log(`    WARNING: ${w}`);
}
const n = rows.length;
const total = (m) => rows.filter((r) => r.result[m]).length;
console.log('');
console.log(`cases: ${n}, runs per case and version: ${runs}`);
console.log(`named at a changed line (top LK1xx finding): ${total('topAtChanged')}/${n}`);
console.log(`named at a fix line, changed or growth statement (top LK1xx finding): ${total('topAtFix')}/${n}`);
console.log(`named at a fix line (any LK1xx finding): ${total('anyAtFix')}/${n}`);
console.log(`holder right (a finding's location or related location in a case file): ${total('holderRight')}/${n}`);
console.log(`leak seen (any LK1xx finding): ${total('leakSeen')}/${n}`);
console.log(`still reported on the fixed version (a finding in a fix-site file): ${total('stillReported')}/${n}`);
console.log(`stable over ${runs} runs: ${rows.filter((r) => r.stable).length}/${n}`);
const failed = rows.filter((r) => r.runs < runs).map((r) => `${r.id} (${runs - r.runs})`);
if (failed.length) console.log(`FAILED RUNS (no report; see the .stderr files): ${failed.join(', ')}`);
fs.writeFileSync(path.join(work, 'out', 'results.json'), JSON.stringify({ runs, n, totals: Object.fromEntries(METRICS.map((m) => [m, total(m)])), rows }, null, 1));
