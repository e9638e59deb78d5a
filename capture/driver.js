// The scenario driver of leakls run. It loads the scenario module given as
// its first argument and runs its hooks on request: leakls writes one JSON
// request a line on stdin ({"op":"setup"|"action"|"teardown","i":N}) and
// reads one JSON reply a line on stdout ({"ok":true} or {"error":"..."}).
// The first line it writes describes the module. The scenario's own output
// to the console goes to stderr, so that stdout carries only replies.
'use strict';
const path = require('node:path');
const readline = require('node:readline');
const { pathToFileURL } = require('node:url');

const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
console.log = console.info = console.debug = console.error;

async function main() {
  const [file, url] = process.argv.slice(2);
  let mod;
  try {
    mod = await import(pathToFileURL(path.resolve(file)).href);
  } catch (err) {
    reply({ error: `load the scenario ${file}: ${err && err.stack || err}` });
    return;
  }
  if (mod.default && typeof mod.action !== 'function' && typeof mod.default.action === 'function') {
    mod = mod.default;
  }
  if (typeof mod.action !== 'function') {
    reply({ error: `the scenario ${file} exports no action(ctx) function` });
    return;
  }
  const ctx = { url, iteration: 0 };
  reply({ ready: true, iterations: Number.isInteger(mod.iterations) ? mod.iterations : 0 });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    let req;
    try {
      req = JSON.parse(line);
      ctx.iteration = req.i || 0;
      const hook = mod[req.op];
      if (typeof hook === 'function') {
        await hook(ctx);
      }
      reply({ ok: true });
    } catch (err) {
      reply({ error: String(err && err.stack || err) });
    }
  }
}

main();
