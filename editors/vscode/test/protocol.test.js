// Drives the real leakls server with the real vscode-languageserver-protocol
// client (the protocol library under vscode-languageclient), as VS Code
// speaks it: UTF-16 positions, workspace/configuration, work-done progress.
// Run by editors/vscode_test.go.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const lsp = require('vscode-languageserver-protocol/node');
const { inputs, waitFor, writeSnapshots } = require('./helpers');

const { bin, ws } = inputs();
const uri = (name) => pathToFileURL(path.join(ws, name)).href;

const proc = spawn(bin, ['serve'], { cwd: ws, stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
const conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(proc.stdout), new lsp.StreamMessageWriter(proc.stdin));
const published = new Map();
const progress = [];
conn.onNotification(lsp.PublishDiagnosticsNotification.type, (p) => published.set(p.uri, p.diagnostics));
conn.onRequest(lsp.ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'leakls' ? { rules: { LK002: 'warning' } } : null)));
conn.onRequest(lsp.WorkDoneProgressCreateRequest.type, () => null);
conn.onNotification('$/progress', (p) => progress.push(p.value.kind));
conn.onNotification(lsp.LogMessageNotification.type, () => {});
conn.listen();

const rule = (u, id) => (published.get(u) ?? []).filter((d) => d.code === id);

/** applyEdits applies LSP text edits (UTF-16 positions) to a string. */
function applyEdits(text, edits) {
  const lines = text.split('\n');
  const offset = (p) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

// The flagged line with CJK and an emoji (two UTF-16 code units) before the
// call: the range must count UTF-16 code units, not bytes.
const prefix = '  /* 漏れ🙂 */ ';
const source = fs
  .readFileSync(path.join(ws, 'leaky.js'), 'utf8')
  .replace("  bus.on('tick'", `${prefix}bus.on('tick'`);

test('initialize negotiates UTF-16 and advertises the features', async () => {
  const res = await conn.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(ws).href,
    workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
    capabilities: {
      general: { positionEncodings: ['utf-16'] },
      window: { workDoneProgress: true },
      workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
      textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
    },
  });
  const caps = res.capabilities;
  assert.equal(caps.positionEncoding, 'utf-16');
  assert.ok(caps.hoverProvider && caps.definitionProvider);
  assert.ok(caps.executeCommandProvider.commands.includes('leakls.analyzeSnapshots'));
  await conn.sendNotification(lsp.InitializedNotification.type, {});
});

test('diagnostics use UTF-16 columns and the configured severity', async () => {
  await conn.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uri('leaky.js'), languageId: 'javascript', version: 1, text: source },
  });
  const [d] = await waitFor('LK002', () => rule(uri('leaky.js'), 'LK002').length && rule(uri('leaky.js'), 'LK002'));
  assert.deepEqual(d.range.start, { line: 8, character: prefix.length });
  assert.equal(d.severity, lsp.DiagnosticSeverity.Warning, 'workspace/configuration set LK002 to warning');
  assert.ok(d.data !== undefined, 'a stable id in data');
});

test('hover, code action and the edit that clears the finding', async () => {
  const [d] = rule(uri('leaky.js'), 'LK002');
  const hover = await conn.sendRequest(lsp.HoverRequest.type, { textDocument: { uri: uri('leaky.js') }, position: d.range.start });
  assert.match(hover.contents.value, /LK002/);

  const actions = await conn.sendRequest(lsp.CodeActionRequest.type, {
    textDocument: { uri: uri('leaky.js') },
    range: d.range,
    context: { diagnostics: [d], only: ['quickfix'] },
  });
  const once = actions.find((a) => /once\(\)/.test(a.title));
  assert.ok(once, actions.map((a) => a.title).join('\n'));
  const edits = once.edit.changes?.[uri('leaky.js')] ?? once.edit.documentChanges.flatMap((c) => c.edits);
  const fixed = applyEdits(source, edits);
  assert.ok(fixed.includes(`${prefix}bus.once('tick'`), fixed);
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: uri('leaky.js'), version: 2 },
    contentChanges: [{ text: fixed }],
  });
  await waitFor('LK002 to go', () => published.has(uri('leaky.js')) && rule(uri('leaky.js'), 'LK002').length === 0);
});

test('executeCommand analyses snapshots, with progress; definition lands on the holder', async () => {
  // Outside the workspace: only the command analyses them.
  const files = writeSnapshots(ws, fs.mkdtempSync(path.join(os.tmpdir(), 'leakls-snapshots-')));
  await conn.sendRequest(lsp.ExecuteCommandRequest.type, { command: 'leakls.analyzeSnapshots', arguments: files });
  const [e] = await waitFor('LK101', () => rule(uri('server.js'), 'LK101').length && rule(uri('server.js'), 'LK101'));
  assert.equal(e.range.start.line, 9);
  assert.ok(progress.includes('begin') && progress.includes('end'), `progress: ${progress}`);
  await conn.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uri('server.js'), languageId: 'javascript', version: 1, text: fs.readFileSync(path.join(ws, 'server.js'), 'utf8') },
  });
  const locs = await conn.sendRequest(lsp.DefinitionRequest.type, { textDocument: { uri: uri('server.js') }, position: e.range.start });
  assert.equal(locs[0].uri, uri('server.js'));
  assert.equal(locs[0].range.start.line, 6);

  await assert.rejects(
    conn.sendRequest(lsp.ExecuteCommandRequest.type, { command: 'leakls.analyzeSnapshots', arguments: [...files, files[0]] }),
    (err) => err.code === lsp.ErrorCodes.InvalidParams && /got 4 snapshot paths; pass 1 \(a single snapshot\), 2 \(baseline, target\) or 3/.test(err.message),
  );
  fs.rmSync(path.dirname(files[0]), { recursive: true });
});

test('shutdown and exit end the server with status 0', async () => {
  await conn.sendRequest(lsp.ShutdownRequest.type);
  await conn.sendNotification(lsp.ExitNotification.type);
  // Like vscode-languageclient, end the stream after exit.
  conn.end();
  proc.stdin.end();
  assert.equal(await exited, 0);
  conn.dispose();
});
