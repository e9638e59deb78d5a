#!/usr/bin/env node
'use strict';
// The leakls command: runs the binary of this platform's package with the
// same arguments, stdin, stdout and stderr, forwards the signals it gets, and
// exits as the binary did.

const { spawn } = require('node:child_process');
const { binaryPath, BinaryNotFoundError } = require('../lib/binary.js');

let bin;
try {
  bin = binaryPath();
} catch (err) {
  if (!(err instanceof BinaryNotFoundError)) throw err;
  process.stderr.write(err.message + '\n');
  process.exit(2);
}

const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGBREAK'].filter((s) => process.platform === 'win32' ? s !== 'SIGQUIT' && s !== 'SIGHUP' : s !== 'SIGBREAK');
const forward = (signal) => { child.kill(signal); };
for (const s of forwarded) process.on(s, forward);

child.on('error', (err) => {
  process.stderr.write(`leakls: cannot run ${bin}: ${err.message}\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  for (const s of forwarded) process.off(s, forward);
  if (signal) {
    // Die of the same signal, so that the caller sees what the binary saw.
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code);
});
