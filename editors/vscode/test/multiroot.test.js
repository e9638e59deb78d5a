// A multi-root workspace: the real bundled extension starts one real server
// per workspace folder, each document goes to the server of its folder (with
// that folder's leakls.json), and the servers follow folders being added
// and removed. Run by editors/vscode_test.go after `npm run bundle`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createFake } = require('./fake-vscode');
const { inputs, waitFor, running, childrenRunning } = require('./helpers');

const { bin, ws } = inputs();
// A second folder with the same leaky file and a leakls.json that makes
// LK002 a hint there.
const second = fs.mkdtempSync(path.join(os.tmpdir(), 'leakls-second-'));
fs.copyFileSync(path.join(ws, 'leaky.js'), path.join(second, 'leaky.js'));
fs.writeFileSync(path.join(second, 'leakls.json'), JSON.stringify({ rules: { LK002: 'hint' } }));

const fake = createFake({ workspaceFolders: [ws, second], settings: { 'leakls.path': bin } });
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? fake.vscode : load.call(this, request, ...rest);
};
const ext = require('../out/extension.js');
const { vscode, state } = fake;

const context = { subscriptions: [], extensionPath: path.resolve(__dirname, '..') };
const code = (d) => (typeof d.code === 'object' ? d.code.value : d.code);
const lk002 = (doc) => vscode.languages.getDiagnostics(doc.uri).filter((d) => code(d) === 'LK002');
const key = (dir) => vscode.Uri.file(dir).toString();

let api;

test('one server per workspace folder', async () => {
  api = await ext.activate(context);
  assert.deepEqual([...api.clients().keys()].sort(), [key(ws), key(second)].sort(), JSON.stringify(state.messages));
  await waitFor('two server processes', () => childrenRunning(bin).length === 2);
  for (const c of api.clients().values()) {
    assert.ok(c.isRunning());
  }
});

test("each document is analysed by its folder's server, with its folder's leakls.json", async () => {
  const first = await vscode.workspace.openTextDocument(path.join(ws, 'leaky.js'));
  const other = await vscode.workspace.openTextDocument(path.join(second, 'leaky.js'));
  const [a] = await waitFor('LK002 in the first folder', () => lk002(first).length && lk002(first));
  const [b] = await waitFor('LK002 in the second folder', () => lk002(other).length && lk002(other));
  assert.equal(a.range.start.line, 8);
  assert.equal(b.range.start.line, 8);
  assert.equal(a.severity, vscode.DiagnosticSeverity.Warning);
  assert.equal(b.severity, vscode.DiagnosticSeverity.Hint, 'the second folder reads its own leakls.json');
  // Each document went to one server only: one diagnostic each, not two.
  assert.equal(lk002(first).length, 1);
  assert.equal(lk002(other).length, 1);
});

test('the server commands go to the server of the active editor', async () => {
  const other = await vscode.workspace.openTextDocument(path.join(second, 'leaky.js'));
  vscode.window.activeTextEditor = { document: other, selection: new vscode.Range(0, 0, 0, 0) };
  assert.equal(api.client(), api.clients().get(key(second)));
  assert.ok(await vscode.commands.executeCommand('leakls.clearSnapshotFindings'));
  vscode.window.activeTextEditor = undefined;
});

test('removing a folder stops its server; adding it starts one again', async () => {
  const secondClient = api.clients().get(key(second));
  fake.setFolders([ws]);
  await waitFor('the second server to stop', () => !api.clients().has(key(second)) && !secondClient.isRunning());
  await waitFor('one server process', () => childrenRunning(bin).length === 1);
  fake.setFolders([ws, second]);
  await waitFor('the second server to start', () => api.clients().get(key(second))?.isRunning());
  await waitFor('two server processes', () => childrenRunning(bin).length === 2);
});

test('a nested folder is served by the server of the folder around it', async () => {
  const nested = path.join(ws, 'nested');
  fs.mkdirSync(nested, { recursive: true });
  fake.setFolders([ws, second, nested]);
  // Let the extension handle the event, then check that nothing started.
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual([...api.clients().keys()].sort(), [key(ws), key(second)].sort());
});

test('deactivate stops every server', async () => {
  const pids = childrenRunning(bin);
  await ext.deactivate();
  assert.equal(api.clients().size, 0);
  for (const pid of pids) {
    await waitFor(`server pid ${pid} to exit`, () => !running(pid), 10000);
  }
  for (const d of context.subscriptions) d.dispose();
  fs.rmSync(second, { recursive: true });
});
