'use strict';
// leakls/test: leak tests that run the code under test in the test's own
// process between heap snapshots and let the leakls binary decide, from the
// objects the iterations allocated that are still alive and grew at every
// step, whether it leaks. See docs/testing.md.

const assert = require('node:assert');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const inspector = require('node:inspector');
const { SourceMap } = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const v8 = require('node:v8');
const { binaryPath } = require('../lib/binary.js');

const defaults = { iterations: 30, warmup: 5, snapshots: 3 };

// A heap snapshot keeps the first 1024 characters of a script's text; leakls
// reads the inline source map of a script only when the whole script fits.
const snapshotTextLimit = 1024;

// The retainer chain of a leak shows at most this many hops.
const maxHops = 6;

// Files of the test runners. What they hold is their own record of the tests
// run (results, hooks, listeners per test), which grows with every test when
// the runner repeats the work through createLeakDetector's hooks: it is not
// a leak of the code under test.
const runnerFiles = /[\\/]node_modules[\\/](mocha|jest-[^\\/]+|@jest[\\/][^\\/]+|vitest|@vitest[\\/][^\\/]+|vite-node|tinypool)[\\/]/;

/**
 * createLeakDetector returns hooks that run the leak test around repeated
 * work: call before() before and after() after each repetition, for
 * detector.runs repetitions. The heap snapshots are written before the
 * repetitions warmup, warmup + iterations, …; the last after() writes the
 * final one, runs leakls, and throws an AssertionError when something leaks.
 */
function createLeakDetector(options = {}) {
  const opts = checkOptions(options);
  const bin = binaryPath();
  const runs = opts.warmup + opts.iterations * (opts.snapshots - 1);
  let done = 0;
  let taken = 0;
  let dir;
  let files;

  const snapshot = () => {
    opts.signal?.throwIfAborted();
    if (!dir) {
      // Every name is made before the first snapshot: strings made between
      // snapshots would be objects that stay alive and grow at every step.
      dir = tempDir();
      files = Array.from({ length: opts.snapshots }, (_, i) => path.join(dir, `${i}.heapsnapshot`));
    }
    const file = files[taken];
    try {
      // v8.writeHeapSnapshot collects garbage before it writes.
      v8.writeHeapSnapshot(file);
    } catch (err) {
      throw new Error(`leakls/test: cannot write a heap snapshot to ${file}: ${err.message}`);
    }
    taken++;
  };
  const dispose = () => {
    process.off('exit', dispose);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  };
  process.once('exit', dispose);
  const tooMany = (hook) => {
    if (done >= runs) throw new Error(`leakls/test: ${hook}() called after the ${runs} runs the detector was made for`);
  };

  return {
    runs,
    async before() {
      tooMany('before');
      if (done >= opts.warmup && (done - opts.warmup) % opts.iterations === 0) snapshot();
    },
    async after() {
      tooMany('after');
      done++;
      if (done < runs) return undefined;
      try {
        snapshot();
        return await judge(bin, files, opts);
      } finally {
        dispose();
      }
    },
    dispose,
  };
}

/**
 * assertNoLeak runs fn warmup times, then between heap snapshots iterations
 * times per step, and throws an AssertionError that lists each leak at the
 * line holding it when objects the iterations created stay alive and grow at
 * every step. Otherwise it returns the report.
 */
async function assertNoLeak(fn, options = {}) {
  if (typeof fn !== 'function') throw new TypeError('leakls/test: assertNoLeak needs a function to repeat');
  const detector = createLeakDetector(options);
  try {
    let report;
    for (let i = 0; i < detector.runs; i++) {
      options.signal?.throwIfAborted();
      await detector.before();
      await fn(i);
      report = await detector.after();
    }
    return report;
  } finally {
    detector.dispose();
  }
}

function checkOptions(options) {
  const opts = { ...defaults, root: process.cwd(), ...options };
  for (const [name, min] of [['iterations', 1], ['warmup', 0], ['snapshots', 3]]) {
    if (!Number.isInteger(opts[name]) || opts[name] < min) {
      throw new RangeError(`leakls/test: ${name} must be an integer of at least ${min}, not ${opts[name]}`);
    }
  }
  opts.root = path.resolve(opts.root);
  return opts;
}

function tempDir() {
  const base = os.tmpdir();
  try {
    return fs.mkdtempSync(path.join(base, 'leakls-'));
  } catch (err) {
    throw new Error(`leakls/test: cannot create a directory for the heap snapshots in ${base} (${err.code || err.message}); set TMPDIR to a writable directory`);
  }
}

/**
 * judge runs leakls on every three consecutive snapshots and throws when a
 * holder retains new objects in each of them.
 */
async function judge(bin, files, opts) {
  const maps = loadedSourceMaps();
  let leaks;
  for (let i = 0; i + 2 < files.length; i++) {
    const found = (await diff(bin, files.slice(i, i + 3), opts))
      .filter((f) => !runnerFiles.test(path.resolve(opts.root, f.file || '')))
      .map((f) => leakOf(f, maps, opts));
    leaks = leaks === undefined ? found : leaks.filter((l) => found.some((f) => f.key === l.key));
  }
  const report = { leaks, iterations: opts.iterations, snapshots: files.length };
  if (leaks.length > 0) {
    throw new assert.AssertionError({
      operator: 'fail',
      message: `${leaks.length === 1 ? 'a leak' : `${leaks.length} leaks`}: objects created by the iterations stay alive and grow at every step\n${leaks.map(formatLeak).join('\n')}`,
    });
  }
  return report;
}

/** diff runs `leakls snapshot diff` on three snapshots and returns its findings. */
function diff(bin, [baseline, target, final], opts) {
  const args = ['snapshot', 'diff', '--format', 'json', '--quiet',
    '--min-count', String(opts.iterations), '--root', opts.root, baseline, target, final];
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 1 << 28, signal: opts.signal, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? err.code : 0;
      if (code !== 0 && code !== 1) {
        reject(err.name === 'AbortError' ? err : new Error(`leakls/test: ${bin} ${args.join(' ')} failed (${code ?? err.signal}): ${stderr.trim() || err.message}`));
        return;
      }
      let findings;
      try {
        ({ findings } = JSON.parse(stdout));
      } catch (e) {
        reject(new Error(`leakls/test: leakls snapshot diff wrote no JSON report: ${e.message}`));
        return;
      }
      if (code === 1 && (!findings || findings.length === 0)) {
        findings = [{ rule: 'leak', message: 'objects allocated by the iterations are still alive, but leakls placed no holder in the source (run `leakls snapshot diff` on snapshots of the same work to see the retainer paths)' }];
      }
      resolve(findings || []);
    });
  });
}

/** leakOf turns a finding of leakls into a leak of the report. */
function leakOf(f, maps, opts) {
  const at = place(f.file, f.range?.start, maps, opts.root);
  const chain = (f.related || []).map((r) => ({ ...place(r.file, r.range?.start, maps, opts.root), message: r.message }));
  const { holder, what, count } = growth(f.message);
  const perIteration = count === undefined ? undefined : Math.round((count / opts.iterations) * 100) / 100;
  return { key: `${f.rule} ${at.file}:${at.line}`, rule: f.rule, ...at, holder, what, perIteration, message: f.message, chain };
}

/**
 * growth reads, from a finding's message such as "the module variable seen
 * retains 30 Session objects (holding …) (+6.2 KiB) allocated …", the holder,
 * the classes that grow and the largest count.
 */
function growth(message) {
  const at = message.indexOf(' retains ');
  if (at < 0) return {};
  const items = message.slice(at + ' retains '.length).split(/ \(holding | in a new | \(\+/)[0]
    .split(', ').map((s) => /^(\d+) (.+?) objects?$/.exec(s));
  if (items.some((m) => !m)) return {};
  return {
    holder: message.slice(0, at),
    what: `${items.map((m) => m[2]).join(', ')} objects`,
    count: Math.max(...items.map((m) => Number(m[1]))),
  };
}

function formatLeak(l) {
  const where = l.file ? `${l.file}:${l.line}` : '(no source line)';
  const grows = l.what
    ? `${l.what} held by ${l.holder} (+${l.perIteration} per iteration)`
    : l.message;
  let hops = l.chain;
  if (hops.length > maxHops) hops = [...hops.slice(0, 2), { message: '…' }, ...hops.slice(hops.length - (maxHops - 3))];
  return [`  ${where} ${l.rule} ${grows}`,
    ...hops.map((h) => `      ${h.file ? `${h.file}:${h.line} ` : ''}${h.message}`)].join('\n');
}

/**
 * place returns the file (relative to root when under it) and 1-based line
 * and column of a position of leakls's report, mapped to the original
 * source when the script ran was compiled in memory by the test runner
 * (ts-jest, Vitest, tsx): leakls cannot read those inline maps from the
 * snapshot, but this process still has them.
 */
function place(file, start, maps, root) {
  if (!file || !start) return { file, line: start?.line, column: start?.column };
  const abs = path.resolve(root, file);
  const map = maps.get(abs);
  if (map) {
    const e = map.findEntry(start.line - 1, start.column - 1);
    if (e && e.originalSource !== undefined) {
      const src = e.originalSource.startsWith('file:')
        ? fileURLToPath(e.originalSource)
        : path.resolve(path.dirname(abs), e.originalSource);
      return { file: relative(root, src), line: e.originalLine + 1, column: e.originalColumn + 1 };
    }
  }
  return { file: relative(root, abs), line: start.line, column: start.column };
}

function relative(root, p) {
  const rel = path.relative(root, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/**
 * loadedSourceMaps returns the inline source maps of the scripts this process
 * has loaded whose text is too long for a heap snapshot to keep the map,
 * keyed by the script's path, from the scripts the inspector reports.
 */
function loadedSourceMaps() {
  const maps = new Map();
  const session = new inspector.Session();
  session.connect();
  session.on('Debugger.scriptParsed', ({ params }) => {
    const { url, sourceMapURL, length } = params;
    if (!sourceMapURL?.startsWith('data:') || length <= snapshotTextLimit || !/^(file:|\/|[A-Za-z]:\\)/.test(url)) return;
    try {
      const map = new SourceMap(JSON.parse(dataURL(sourceMapURL)));
      maps.set(url.startsWith('file:') ? fileURLToPath(url) : url, map);
    } catch {
      // A map that cannot be read leaves the positions as leakls gave them.
    }
  });
  try {
    session.post('Debugger.enable');
    session.post('Debugger.disable');
  } finally {
    session.disconnect();
  }
  return maps;
}

function dataURL(url) {
  const comma = url.indexOf(',');
  const data = url.slice(comma + 1);
  return url.slice(0, comma).endsWith(';base64')
    ? Buffer.from(data, 'base64').toString('utf8')
    : decodeURIComponent(data);
}

module.exports = { assertNoLeak, createLeakDetector };
