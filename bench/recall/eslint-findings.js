// Converts the JSON output of two ESLint runs over the same directory (one
// parsing JavaScript as CommonJS scripts, one as ES modules) into the
// findings shape of `leakls check --format json` that evaluate.js scores.
// Per file it keeps the run that parsed the file; files neither run could
// parse are counted on stderr, not scored.
// Usage: node eslint-findings.js PACKAGE_ROOT SCRIPT.json MODULE.json > OUT.json
'use strict';
const fs = require('fs');
const path = require('path');

const [root, ...runs] = process.argv.slice(2);
const byFile = new Map(); // relative path -> messages of the first run that parsed it
let unparsed = 0;
const files = new Set();
for (const run of runs) {
  for (const r of JSON.parse(fs.readFileSync(run, 'utf8'))) {
    const file = path.relative(root, r.filePath);
    files.add(file);
    if (byFile.has(file) || r.messages.some(m => m.fatal)) continue;
    byFile.set(file, r.messages);
  }
}
for (const f of files) if (!byFile.has(f)) unparsed++;
if (unparsed) console.error(`${root}: ${unparsed} of ${files.size} files not parsed by ESLint`);

const findings = [];
for (const [file, messages] of byFile) {
  for (const m of messages) {
    if (!m.ruleId) continue;
    findings.push({
      rule: m.ruleId,
      file,
      message: m.message,
      range: { start: { line: m.line, column: m.column }, end: { line: m.endLine || m.line, column: m.endColumn || m.column } },
    });
  }
}
process.stdout.write(JSON.stringify({ findings }));
