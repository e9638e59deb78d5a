// Shared by the node --test suites: the inputs editors/vscode_test.go
// passes in the environment, polling, and process checks.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** inputs returns the server binary and the workspace (a copy of editors/testdata). */
function inputs() {
  const bin = process.env.LEAKLS_BIN;
  const ws = process.env.LEAKLS_WS;
  if (!bin || !ws) {
    throw new Error('set LEAKLS_BIN (a leakls binary) and LEAKLS_WS (a copy of editors/testdata/workspace and snapshots); editors/vscode_test.go does');
  }
  return { bin, ws };
}

/** waitFor polls cond until it returns a truthy value, failing after ms. */
async function waitFor(what, cond, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** running reports whether process pid exists and has not exited (zombie). */
function running(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** childrenRunning returns the pids of this process's children running exe. */
function childrenRunning(exe) {
  const want = fs.realpathSync(exe);
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && fs.readlinkSync(`/proc/${name}/exe`) === want && running(Number(name))) {
        out.push(Number(name));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/**
 * writeSnapshots runs the fixture program that writes baseline, target and
 * final heap snapshots into dir (default: the workspace, where the server
 * finds them by itself) and returns their paths.
 */
function writeSnapshots(ws, dir = ws) {
  require('node:child_process').execFileSync(process.execPath, ['server.js'], {
    cwd: ws,
    stdio: 'inherit',
    env: { ...process.env, SNAPSHOT_DIR: dir },
  });
  return ['baseline', 'target', 'final'].map((n) => path.join(dir, `${n}.heapsnapshot`));
}

module.exports = { inputs, waitFor, running, childrenRunning, writeSnapshots };
