// The leakls extension: starts `leakls serve` for JavaScript and TypeScript
// files and adds commands for heap-snapshot evidence. All analysis happens in
// the server; this file starts it, forwards settings and runs commands.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DocumentSelector,
  DynamicFeature,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  StaticFeature,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';

/** The server's executeCommand names (see docs/lsp.md). */
const ANALYZE = 'leakls.analyzeSnapshots';
const CAPTURE = 'leakls.captureSnapshots';
const CLEAR = 'leakls.clearSnapshotFindings';

/**
 * FolderClient is a LanguageClient that leaves the server's commands to the
 * extension. With a server per workspace folder every client would register
 * the same command names, which VS Code refuses, and a command must go to
 * the server of the folder in use (see execute).
 */
class FolderClient extends LanguageClient {
  registerFeature(feature: StaticFeature | DynamicFeature<unknown>): void {
    if ('registrationType' in feature && feature.registrationType.method === ExecuteCommandRequest.method) {
      return;
    }
    super.registerFeature(feature);
  }
}

/** The languages leakls serves, on disk only (not untitled or virtual files). */
const LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

/**
 * selector is the document selector of the server for folder: the files of
 * the languages leakls serves under it, or anywhere when no folder is open.
 */
function selector(folder: vscode.WorkspaceFolder | undefined): DocumentSelector {
  // Glob patterns take forward slashes, also on Windows.
  const pattern = folder ? `${folder.uri.fsPath.replace(/\\/g, '/')}/**/*` : undefined;
  return LANGUAGES.map((language) => ({ language, scheme: 'file', ...(pattern ? { pattern } : {}) }));
}

/**
 * The running servers: one per outermost workspace folder (each reads its
 * folder's leakls.json, module graph and snapshots), keyed by the folder's
 * URI, or one under "" when no folder is open.
 */
const clients = new Map<string, LanguageClient>();
let status: SnapshotStatus | undefined;

/** The extension's API, for other extensions and for tests. */
export interface LeaklsApi {
  /** The language client of the active editor's folder, else the first one, if any. */
  client(): LanguageClient | undefined;
  /** All running language clients, by workspace folder URI ("" without a folder). */
  clients(): ReadonlyMap<string, LanguageClient>;
}

/** activate registers the commands and starts the server. */
export async function activate(context: vscode.ExtensionContext): Promise<LeaklsApi> {
  status = new SnapshotStatus();
  context.subscriptions.push(
    status,
    // The server's own commands, for other extensions and keybindings:
    // run by the server of the active editor's folder.
    ...[ANALYZE, CAPTURE, CLEAR].map((command) =>
      vscode.commands.registerCommand(command, (...args: unknown[]) => execute(command, args)),
    ),
    vscode.commands.registerCommand('leakls.pickSnapshots', analyzeSnapshots),
    vscode.commands.registerCommand('leakls.compareSnapshots', compareSnapshots),
    vscode.commands.registerCommand('leakls.captureRunningProgram', captureSnapshots),
    vscode.commands.registerCommand('leakls.showRetainerPath', showRetainerPath),
    vscode.commands.registerCommand('leakls.restart', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('leakls.path')) {
        void restart(context);
      } else if (e.affectsConfiguration('leakls')) {
        // The servers answer by asking for the settings (workspace/configuration).
        for (const c of clients.values()) {
          void c.sendNotification('workspace/didChangeConfiguration', {
            settings: { leakls: serverSettings(c.clientOptions.workspaceFolder?.uri) },
          });
        }
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void syncFolders(context)),
  );
  await syncFolders(context);
  return { client: activeClient, clients: () => clients };
}

/** deactivate stops the servers (shutdown and exit). */
export async function deactivate(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.stop()));
}

/** within reports whether folder inner is outer or lies under it. */
function within(inner: vscode.WorkspaceFolder, outer: vscode.WorkspaceFolder): boolean {
  return (inner.uri.fsPath + path.sep).startsWith(outer.uri.fsPath + path.sep);
}

/**
 * outermostFolders returns the workspace folders not nested in another one:
 * a nested folder's files belong to the server of the folder around it.
 */
function outermostFolders(): vscode.WorkspaceFolder[] {
  const folders = [...(vscode.workspace.workspaceFolders ?? [])].filter((f) => f.uri.scheme === 'file');
  return folders.filter((f) => !folders.some((o) => o !== f && within(f, o)));
}

/**
 * syncFolders starts a server for every outermost workspace folder that has
 * none and stops the servers of folders no longer open (or the folder-less
 * one once a folder is open).
 */
let syncing = Promise.resolve();
function syncFolders(context: vscode.ExtensionContext): Promise<void> {
  syncing = syncing.then(async () => {
    const folders = outermostFolders();
    const wanted = new Map<string, vscode.WorkspaceFolder | undefined>(
      folders.length > 0 ? folders.map((f) => [f.uri.toString(), f]) : [['', undefined]],
    );
    for (const [key, c] of [...clients]) {
      if (!wanted.has(key)) {
        clients.delete(key);
        await c.stop();
      }
    }
    for (const [key, folder] of wanted) {
      if (!clients.has(key) && !(await start(context, key, folder))) {
        return; // the binary is missing: reported once
      }
    }
  });
  return syncing;
}

/** activeClient returns the client of the active editor's folder, else the first. */
function activeClient(): LanguageClient | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
  if (folder) {
    const outer = outermostFolders().find((o) => within(folder, o));
    const c = outer && clients.get(outer.uri.toString());
    if (c) {
      return c;
    }
  }
  return clients.values().next().value;
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
const SERVER_KEYS = ['rules', 'ignore', 'snapshots', 'semantics', 'run'];

/** serverSettings is the leakls settings object the server accepts, for a folder's files. */
function serverSettings(scope: vscode.Uri | undefined): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration('leakls', scope);
  const out: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const value = cfg.get(key);
    if (value !== undefined && value !== null) {
      out[key] = value;
    }
  }
  return out;
}

/**
 * start starts the server for folder (undefined: no folder open) and records
 * it under key. It returns false when the binary is missing.
 */
async function start(context: vscode.ExtensionContext, key: string, folder: vscode.WorkspaceFolder | undefined): Promise<boolean> {
  const command = serverPath(context.extensionPath);
  if (!command) {
    void vscode.window.showErrorMessage(
      'leakls: the leakls binary was not found. Set "leakls.path" to its location, or install it with `npm install -g leakls` so that it is on PATH.',
    );
    return false;
  }
  const serverOptions: ServerOptions = { command, args: ['serve'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector(folder),
    workspaceFolder: folder,
    initializationOptions: serverSettings(folder?.uri),
    middleware: {
      workspace: {
        // Answer the "leakls" section with the server's keys only.
        configuration: (params) =>
          params.items.map((item) =>
            item.section === 'leakls'
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : folder?.uri)
              : null,
          ),
      },
    },
  };
  const name = folder ? `leakls (${folder.name})` : 'leakls';
  const c = new FolderClient('leakls', name, serverOptions, clientOptions);
  try {
    await c.start();
  } catch (err) {
    void vscode.window.showErrorMessage(`leakls: could not start ${command} serve: ${String(err)}`);
    return true;
  }
  clients.set(key, c);
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
  return true;
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await deactivate();
  await syncFolders(context);
}

/** execute runs a server command on the active folder's server; errors are shown, not thrown. */
async function execute(command: string, args: unknown[]): Promise<boolean> {
  const client = activeClient();
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

/** RunSetting is the leakls.run setting: the program the server starts and its scenario. */
interface RunSetting {
  command: string[];
  scenario: string;
  iterations?: number;
}

/**
 * captureSnapshots asks the server to capture snapshots: of the configured
 * run (leakls.run), when one is set and picked, or of a running program
 * through its inspector address.
 */
async function captureSnapshots(): Promise<void> {
  const client = activeClient();
  const commands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!commands.includes(CAPTURE)) {
    void vscode.window.showErrorMessage(
      'leakls: this leakls server cannot capture snapshots. Take them with `leakls capture` or v8.writeHeapSnapshot() and run "leakls: Analyze heap snapshots…".',
    );
    return;
  }
  const run = vscode.workspace.getConfiguration('leakls', client?.clientOptions.workspaceFolder?.uri).get<RunSetting | null>('run');
  if (run && Array.isArray(run.command)) {
    const items = [
      { label: 'Run the configured scenario', description: `${run.command.join(' ')}, driven by ${run.scenario}`, run: true },
      { label: 'Attach to an inspector address', description: 'a program started with node --inspect', run: false },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'leakls: capture heap snapshots' });
    if (!pick) {
      return;
    }
    if (pick.run) {
      await execute(CAPTURE, [{ run }]);
      return;
    }
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
 * cursor (else the first in the file): the finding (the statement that
 * grows the holder), then its related locations (the holder's declaration,
 * allocation and growth sites, the hops), and opens the one picked.
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
  const pick = await vscode.window.showQuickPick(items, { title: 'Retainer path (the finding first, then the holder)' });
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
