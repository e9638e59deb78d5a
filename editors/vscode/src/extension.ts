// The leakls extension: starts `leakls serve` for JavaScript and TypeScript
// files and adds commands for heap-snapshot evidence. All analysis happens in
// the server; this file starts it, forwards settings and runs commands.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';

/** The server's executeCommand names (see docs/lsp.md). */
const ANALYZE = 'leakls.analyzeSnapshots';
const CAPTURE = 'leakls.captureSnapshots';

/** The languages leakls serves, on disk only (not untitled or virtual files). */
const SELECTOR = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'].map((language) => ({
  language,
  scheme: 'file',
}));

let client: LanguageClient | undefined;
let status: SnapshotStatus | undefined;

/** The extension's API, for other extensions and for tests. */
export interface LeaklsApi {
  /** The running language client, if any. */
  client(): LanguageClient | undefined;
}

/** activate registers the commands and starts the server. */
export async function activate(context: vscode.ExtensionContext): Promise<LeaklsApi> {
  status = new SnapshotStatus();
  context.subscriptions.push(
    status,
    // The server's own commands (leakls.analyzeSnapshots, …) are registered
    // by the language client under their names, so these use others.
    vscode.commands.registerCommand('leakls.pickSnapshots', analyzeSnapshots),
    vscode.commands.registerCommand('leakls.compareSnapshots', compareSnapshots),
    vscode.commands.registerCommand('leakls.captureRunningProgram', captureSnapshots),
    vscode.commands.registerCommand('leakls.showRetainerPath', showRetainerPath),
    vscode.commands.registerCommand('leakls.restart', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('leakls.path')) {
        void restart(context);
      } else if (e.affectsConfiguration('leakls')) {
        // The server answers by asking for the settings (workspace/configuration).
        void client?.sendNotification('workspace/didChangeConfiguration', { settings: { leakls: serverSettings() } });
      }
    }),
  );
  await start(context);
  return { client: () => client };
}

/** deactivate stops the server (shutdown and exit). */
export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    await c.stop();
  }
}

/**
 * serverPath finds the leakls binary: the leakls.path setting, else the
 * binary bundled in the extension, else leakls on PATH.
 */
function serverPath(extensionPath: string): string | undefined {
  const configured = vscode.workspace.getConfiguration('leakls').get<string>('path');
  if (configured) {
    return configured;
  }
  const bundled = path.join(extensionPath, 'bin', process.platform === 'win32' ? 'leakls.exe' : 'leakls');
  if (isExecutable(bundled)) {
    return bundled;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'leakls');
    if (dir && isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The settings the server reads (leakls.path and leakls.trace are the client's). */
const SERVER_KEYS = ['rules', 'ignore', 'snapshots'];

/** serverSettings is the leakls settings object the server accepts. */
function serverSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration('leakls');
  const out: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const value = cfg.get(key);
    if (value !== undefined && value !== null) {
      out[key] = value;
    }
  }
  return out;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = serverPath(context.extensionPath);
  if (!command) {
    void vscode.window.showErrorMessage(
      'leakls: the leakls binary was not found. Set "leakls.path" to its location, or install it with `go install github.com/leakls/leakls/cmd/leakls@latest` so that it is on PATH.',
    );
    return;
  }
  const serverOptions: ServerOptions = { command, args: ['serve'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    initializationOptions: serverSettings(),
    middleware: {
      workspace: {
        // Answer the "leakls" section with the server's keys only.
        configuration: (params) =>
          params.items.map((item) => (item.section === 'leakls' ? serverSettings() : null)),
      },
    },
  };
  const c = new LanguageClient('leakls', 'leakls', serverOptions, clientOptions);
  try {
    await c.start();
  } catch (err) {
    void vscode.window.showErrorMessage(`leakls: could not start ${command} serve: ${String(err)}`);
    return;
  }
  client = c;
  // Snapshot analyses report work-done progress: show it in the status bar.
  c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    const done = c.onProgress(WorkDoneProgress.type, token, (value) => {
      status?.update(token, value);
      if (value.kind === 'end') {
        done.dispose();
      }
    });
  });
  const commands = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  await vscode.commands.executeCommand('setContext', 'leakls.canCapture', commands.includes(CAPTURE));
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await deactivate();
  await start(context);
}

/** execute runs a server command; errors are shown, not thrown. */
async function execute(command: string, args: unknown[]): Promise<boolean> {
  if (!client) {
    void vscode.window.showErrorMessage('leakls: the server is not running (see the "leakls" output).');
    return false;
  }
  try {
    await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
    return true;
  } catch (err) {
    void vscode.window.showErrorMessage(`leakls: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

/**
 * orderSnapshots puts snapshots in the order they were taken: names that
 * say baseline, target and final first, else by modification time.
 */
function orderSnapshots(files: string[]): string[] {
  const role = (f: string) => {
    const name = path.basename(f).toLowerCase();
    return ['baseline', 'target', 'final'].findIndex((r) => name.includes(r));
  };
  const roles = files.map(role);
  if (roles.every((r) => r >= 0) && new Set(roles).size === roles.length) {
    return [...files].sort((a, b) => role(a) - role(b));
  }
  return [...files].sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
}

const SNAPSHOT_FILTER = { 'Heap snapshots': ['heapsnapshot'] };

/**
 * analyzeSnapshots: pick 2 or 3 snapshots (baseline, target[, final]), or
 * one alone (written near the heap limit, say) for its biggest holders.
 */
async function analyzeSnapshots(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    filters: SNAPSHOT_FILTER,
    openLabel: 'Analyze',
    title: 'Heap snapshots: baseline, target and (optionally) final, or a single snapshot',
  });
  if (!picked || picked.length === 0) {
    return;
  }
  if (picked.length > 3) {
    void vscode.window.showErrorMessage(
      `leakls: pick 1 snapshot, 2 (baseline, target) or 3 (baseline, target, final), not ${picked.length}.`,
    );
    return;
  }
  await execute(ANALYZE, orderSnapshots(picked.map((u) => u.fsPath)));
}

/** compareSnapshots: pick a baseline, then a target. */
async function compareSnapshots(): Promise<void> {
  const files: string[] = [];
  for (const which of ['baseline (taken first)', 'target (taken later)']) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: SNAPSHOT_FILTER,
      openLabel: 'Select',
      title: `Heap snapshot: ${which}`,
    });
    if (!picked || picked.length === 0) {
      return;
    }
    files.push(picked[0].fsPath);
  }
  await execute(ANALYZE, files);
}

/** captureSnapshots asks the server to capture snapshots of a running program. */
async function captureSnapshots(): Promise<void> {
  const commands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!commands.includes(CAPTURE)) {
    void vscode.window.showErrorMessage(
      'leakls: this leakls server cannot capture snapshots. Take them with `leakls capture` or v8.writeHeapSnapshot() and run "leakls: Analyze heap snapshots…".',
    );
    return;
  }
  const target = await vscode.window.showInputBox({
    prompt: 'Inspector of the running program (start it with node --inspect)',
    value: '127.0.0.1:9229',
  });
  if (target) {
    await execute(CAPTURE, [target]);
  }
}

/**
 * showRetainerPath lists the retainer path of the snapshot evidence at the
 * cursor (else the first in the file), the holder first, and opens the hop
 * picked.
 */
async function showRetainerPath(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showErrorMessage('leakls: open the file that holds the snapshot evidence first.');
    return;
  }
  const evidence = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.source === 'leakls' && /^LK1/.test(String(typeof d.code === 'object' ? d.code.value : d.code)));
  if (evidence.length === 0) {
    void vscode.window.showInformationMessage(
      'leakls: no heap-snapshot evidence in this file. Analyze snapshots first ("leakls: Analyze heap snapshots…").',
    );
    return;
  }
  const d = evidence.find((e) => e.range.contains(editor.selection.active)) ?? evidence[0];
  const hops = [
    { label: d.message.split('\n')[0], location: new vscode.Location(editor.document.uri, d.range) },
    ...(d.relatedInformation ?? []).map((r) => ({ label: r.message, location: r.location })),
  ];
  const items = hops.map((h, i) => ({
    label: `${i === 0 ? '$(pin)' : '$(arrow-right)'} ${h.label}`,
    description: `${vscode.workspace.asRelativePath(h.location.uri)}:${h.location.range.start.line + 1}`,
    location: h.location,
  }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Retainer path (the holder first)' });
  if (pick) {
    await vscode.window.showTextDocument(pick.location.uri, { selection: pick.location.range });
  }
}

/** SnapshotStatus is the status bar item shown while snapshots are analysed. */
class SnapshotStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left);
  private readonly active = new Map<string | number, string>();

  update(token: string | number, value: { kind: string; title?: string; message?: string; percentage?: number }) {
    if (value.kind === 'end') {
      this.active.delete(token);
    } else {
      const title = value.kind === 'begin' ? value.title ?? 'analysing' : this.active.get(token) ?? 'analysing';
      const pct = value.percentage !== undefined ? ` ${value.percentage}%` : '';
      this.active.set(token, title);
      this.item.text = `$(sync~spin) leakls: ${title}${pct}`;
      this.item.tooltip = value.message ?? title;
    }
    if (this.active.size > 0) {
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  dispose() {
    this.item.dispose();
  }
}
