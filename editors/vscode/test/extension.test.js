// Loads the real bundled extension (out/extension.js) with the real
// vscode-languageclient against the real leakls server; only the `vscode`
// module is replaced (test/fake-vscode.js). Run by editors/vscode_test.go
// after `npm run bundle`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');
const os = require('node:os');
const fs = require('node:fs');
const path = require('node:path');
const { createFake } = require('./fake-vscode');
const { inputs, waitFor, running, childrenRunning, writeSnapshots } = require('./helpers');

const { bin, ws } = inputs();
const fake = createFake({
  workspaceFolder: ws,
  settings: { 'leakls.path': bin, 'leakls.rules': { LK002: 'error' }, 'leakls.trace.server': 'off' },
});
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? fake.vscode : load.call(this, request, ...rest);
};
const ext = require('../out/extension.js');
const { vscode, state } = fake;

const token = new vscode.CancellationTokenSource().token;
const context = { subscriptions: [], extensionPath: path.resolve(__dirname, '..') };
const code = (d) => (typeof d.code === 'object' ? d.code.value : d.code);
const diagnostics = (doc, rule) => vscode.languages.getDiagnostics(doc.uri).filter((d) => code(d) === rule);
const changeSettings = (values) => {
  Object.assign(state.settings, values);
  const keys = Object.keys(values);
  fake.events.config.fire({ affectsConfiguration: (s) => keys.some((k) => k === s || k.startsWith(s + '.')) });
};

const serverCommandsOf = (client) => client.initializeResult.capabilities.executeCommandProvider.commands.map((c) => c.replace(/^leakls\./, ''));

let api;
let leaky;
let server;

test('activation starts the server and registers the commands', async () => {
  api = await ext.activate(context);
  const client = api.client();
  assert.ok(client, `no client; messages: ${JSON.stringify(state.messages)}`);
  assert.ok(client.isRunning());
  assert.equal(client.initializeResult.serverInfo.name, 'leakls');
  for (const id of ['pickSnapshots', 'compareSnapshots', 'captureRunningProgram', 'showRetainerPath', 'restart', ...serverCommandsOf(client)]) {
    assert.ok(state.commands.has(`leakls.${id}`), `command leakls.${id} is not registered`);
  }
  const serverCommands = serverCommandsOf(client);
  assert.equal(state.contexts['leakls.canCapture'], serverCommands.includes('captureSnapshots'));
  assert.deepEqual(childrenRunning(bin).length, 1, 'one server process');
});

test('diagnostics: LK002 on the line that adds the listener, with the configured severity', async () => {
  leaky = await vscode.workspace.openTextDocument(path.join(ws, 'leaky.js'));
  const [d] = await waitFor('LK002', () => diagnostics(leaky, 'LK002').length && diagnostics(leaky, 'LK002'));
  assert.equal(d.range.start.line, 8);
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  assert.equal(d.source, 'leakls');
  assert.match(d.code.target.toString(), /LK002/);
  assert.match(d.message, /listener for "tick"/);
});

test('configuration: a changed rule severity applies without a restart', async () => {
  changeSettings({ 'leakls.rules': { LK002: 'hint' } });
  await waitFor('LK002 as a hint', () => diagnostics(leaky, 'LK002')[0]?.severity === vscode.DiagnosticSeverity.Hint);
  changeSettings({ 'leakls.rules': { LK002: 'off' } });
  await waitFor('LK002 off', () => diagnostics(leaky, 'LK002').length === 0);
  changeSettings({ 'leakls.rules': { LK002: 'warning' } });
  await waitFor('LK002 back as a warning', () => diagnostics(leaky, 'LK002')[0]?.severity === vscode.DiagnosticSeverity.Warning);
});

test('configuration: the retained-size semantics and the configured run reach the server', async () => {
  const run = { command: ['node', 'server.js'], scenario: 'leak.scenario.mjs', iterations: 5 };
  changeSettings({ 'leakls.semantics': 'devtools', 'leakls.run': run });
  const { configuration } = api.client().clientOptions.middleware.workspace;
  const [section] = await configuration({ items: [{ section: 'leakls' }] }, token, () => []);
  assert.equal(section.semantics, 'devtools');
  assert.deepEqual(section.run, run);
  changeSettings({ 'leakls.semantics': 'node', 'leakls.run': null });
  const [reset] = await configuration({ items: [{ section: 'leakls' }] }, token, () => []);
  assert.equal(reset.semantics, 'node');
  assert.ok(!('run' in reset), 'a null run is not sent');
});

test('hover on the finding explains it', async () => {
  const [d] = diagnostics(leaky, 'LK002');
  const [provider] = state.providers.Hover;
  const hover = await provider.provideHover(leaky, d.range.start, token);
  const text = hover.contents.map((c) => c.value ?? c).join('\n');
  assert.match(text, /LK002/);
  assert.match(text, /listener/);
});

test('code actions: the once() fix removes the finding', async () => {
  const [d] = diagnostics(leaky, 'LK002');
  const [provider] = state.providers.CodeActions;
  const actions = await provider.provideCodeActions(leaky, d.range, { diagnostics: [d], triggerKind: 1, only: undefined }, token);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.some((t) => /Ignore LK002 on this line/.test(t)), titles.join('\n'));
  const once = actions.find((a) => /once\(\)/.test(a.title));
  assert.ok(once && once.edit, `no once() action with an edit in:\n${titles.join('\n')}`);
  assert.ok(await vscode.workspace.applyEdit(once.edit));
  assert.match(leaky.lineAt(8).text, /bus\.once\('tick'/);
  await waitFor('LK002 to go', () => diagnostics(leaky, 'LK002').length === 0);
});

test('snapshot evidence: status bar, commands, definition and retainer path', async () => {
  const [baseline, target, final] = writeSnapshots(ws);
  server = await vscode.workspace.openTextDocument(path.join(ws, 'server.js'));
  const [e] = await waitFor('LK101 found in the workspace', () => diagnostics(server, 'LK101').length && diagnostics(server, 'LK101'), 60000);
  assert.equal(e.range.start.line, 9, 'the evidence is on the statement that adds to sessions');

  // Definition lands on the holder, the declaration of sessions.
  const [defs] = state.providers.Definition;
  const locs = await defs.provideDefinition(server, e.range.start, token);
  assert.equal(locs[0].uri.fsPath, server.uri.fsPath);
  assert.equal(locs[0].range.start.line, 6);

  // Clear, then analyse the files picked (in any order) again.
  await vscode.commands.executeCommand('leakls.clearSnapshotFindings');
  await waitFor('the evidence to be cleared', () => diagnostics(server, 'LK101').length === 0);
  state.statusHistory.length = 0;
  state.openDialogAnswers.push([final, baseline, target].map((p) => vscode.Uri.file(p)));
  await vscode.commands.executeCommand('leakls.pickSnapshots');
  await waitFor('LK101 after Analyze heap snapshots', () => diagnostics(server, 'LK101').length);
  assert.ok(
    state.statusHistory.some((s) => s.visible && /leakls/.test(s.text)),
    `the status bar showed no analysis: ${JSON.stringify(state.statusHistory)}`,
  );
  await waitFor('the status bar item to hide', () => state.statusItems.every((i) => !i.visible));

  // Compare two snapshots: a baseline, then a target.
  await vscode.commands.executeCommand('leakls.clearSnapshotFindings');
  await waitFor('the evidence to be cleared', () => diagnostics(server, 'LK101').length === 0);
  state.openDialogAnswers.push([vscode.Uri.file(baseline)], [vscode.Uri.file(target)]);
  await vscode.commands.executeCommand('leakls.compareSnapshots');
  const [pair] = await waitFor('LK101 after Compare two heap snapshots', () => diagnostics(server, 'LK101').length && diagnostics(server, 'LK101'));
  assert.equal(pair.range.start.line, 9);

  // Show retainer path: the finding first, then its related locations (the
  // holder's declaration, the hops that have a source position); picking one
  // opens it.
  vscode.window.activeTextEditor = { document: server, selection: { active: pair.range.start } };
  await vscode.commands.executeCommand('leakls.showRetainerPath');
  assert.equal(state.quickPickItems.length, 1 + (pair.relatedInformation ?? []).length, JSON.stringify(state.quickPickItems));
  assert.match(state.quickPickItems[0].description, /server\.js:10$/);
  const shown = state.shownDocuments.at(-1);
  assert.equal(shown.uri.fsPath, server.uri.fsPath);
  assert.equal(shown.selection.start.line, 9);

  // Analyze a single snapshot: its biggest holder, as information.
  await vscode.commands.executeCommand('leakls.clearSnapshotFindings');
  await waitFor('the evidence to be cleared', () => diagnostics(server, 'LK101').length === 0);
  state.openDialogAnswers.push([vscode.Uri.file(final)]);
  await vscode.commands.executeCommand('leakls.pickSnapshots');
  const [single] = await waitFor('LK101 after analysing one snapshot', () => diagnostics(server, 'LK101').length && diagnostics(server, 'LK101'));
  assert.equal(single.range.start.line, 9);
  assert.equal(single.severity, vscode.DiagnosticSeverity.Information);
  assert.match(single.message, /sessions holds a Map retaining .* of the .* heap/);

  assert.ok(!state.messages.some((m) => m.level === 'error'), JSON.stringify(state.messages));
});

test('capture: the command captures a program running with node --inspect', async () => {
  assert.ok(state.contexts['leakls.canCapture'], 'the server offers no capture although a folder is open');
  const prog = require('node:child_process').spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000)']);
  try {
    let stderr = '';
    prog.stderr.on('data', (b) => (stderr += b));
    const inspector = await waitFor('node --inspect to print its inspector', () => (stderr.match(/ws:\/\/\S+/) || [])[0]);
    // The address typed into the input box goes to the server as a bare string.
    state.inputBoxAnswers.push(inspector);
    await vscode.commands.executeCommand('leakls.captureRunningProgram');
  } finally {
    prog.kill();
  }
  assert.ok(!state.messages.some((m) => m.level === 'error'), JSON.stringify(state.messages));
  const dirs = fs.readdirSync(path.join(ws, '.leakls', 'snapshots'));
  assert.equal(dirs.length, 1, `captures: ${dirs}`);
  assert.deepEqual(fs.readdirSync(path.join(ws, '.leakls', 'snapshots', dirs[0])).sort(), ['baseline.heapsnapshot', 'final.heapsnapshot', 'target.heapsnapshot']);
});

test('capture: the command runs the configured scenario when it is picked', async () => {
  // The HTTP server and the scenario of the capture package's tests.
  const fixtures = path.join(__dirname, '..', '..', '..', 'capture', 'testdata');
  fs.copyFileSync(path.join(fixtures, 'leaky.js'), path.join(ws, 'app.js'));
  fs.copyFileSync(path.join(fixtures, 'scenario.mjs'), path.join(ws, 'app.scenario.mjs'));
  changeSettings({ 'leakls.run': { command: ['node', 'app.js'], scenario: 'app.scenario.mjs', iterations: 4 } });
  state.quickPickAnswer = (items) => items.find((i) => i.label === 'Run the configured scenario');
  try {
    await vscode.commands.executeCommand('leakls.captureRunningProgram');
  } finally {
    state.quickPickAnswer = (items) => items[0];
    changeSettings({ 'leakls.run': null });
  }
  assert.deepEqual(
    state.quickPickItems.map((i) => i.label),
    ['Run the configured scenario', 'Attach to an inspector address'],
  );
  assert.ok(!state.messages.some((m) => m.level === 'error'), JSON.stringify(state.messages));
  assert.equal(fs.readdirSync(path.join(ws, '.leakls', 'snapshots')).length, 2, 'the run wrote no second capture');
  const app = await vscode.workspace.openTextDocument(path.join(ws, 'app.js'));
  const evidence = () => vscode.languages.getDiagnostics(app.uri).filter((d) => /^LK1/.test(code(d)));
  const [d] = await waitFor('the evidence of the run in app.js', () => evidence().length && evidence());
  assert.match(app.getText().split('\n')[d.range.start.line], /sessions\.push/);
});

test('stop: deactivate shuts the server down', async () => {
  const [pid] = childrenRunning(bin);
  assert.ok(pid, 'the server process is running');
  await ext.deactivate();
  assert.equal(api.client(), undefined);
  await waitFor(`server pid ${pid} to exit`, () => !running(pid), 10000);
});

test('a missing server binary is reported with the setting to fix', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leakls-ext-'));
  const savedPath = process.env.PATH;
  context.extensionPath = empty; // no bundled bin/leakls
  process.env.PATH = empty; // no leakls on PATH
  state.settings['leakls.path'] = '';
  try {
    await vscode.commands.executeCommand('leakls.restart');
  } finally {
    process.env.PATH = savedPath;
    fs.rmSync(empty, { recursive: true });
  }
  assert.equal(api.client(), undefined);
  assert.match(state.messages.at(-1).text, /binary was not found.*leakls\.path/);
  for (const d of context.subscriptions) d.dispose();
});
