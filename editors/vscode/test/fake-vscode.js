// A small stand-in for the `vscode` module, enough for the real bundled
// extension and the real vscode-languageclient to run in plain Node against
// the real server. It keeps documents, diagnostics, registered providers,
// commands, messages and the status bar in memory so that tests can drive
// and inspect them. Anything the extension or the client touches that is
// not here throws, naming the missing member, instead of failing silently.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL, fileURLToPath } = require('node:url');

class Disposable {
  constructor(fn) {
    this.fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((i) => i && i.dispose && i.dispose()));
  }
  dispose() {
    if (this.fn) this.fn();
    this.fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (fn, thisArg) => {
      const l = fn.bind(thisArg);
      this.listeners.add(l);
      return new Disposable(() => this.listeners.delete(l));
    };
  }
  fire(e) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

class Uri {
  constructor(scheme, p) {
    this.scheme = scheme;
    this.path = p;
    this.fsPath = scheme === 'file' ? p : p;
    this.authority = '';
    this.query = '';
    this.fragment = '';
  }
  static file(p) {
    return new Uri('file', path.resolve(p));
  }
  static parse(s) {
    if (s.startsWith('file:')) return new Uri('file', fileURLToPath(s));
    const i = s.indexOf(':');
    return new Uri(s.slice(0, i), s.slice(i + 1));
  }
  with(change) {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString() {
    return this.scheme === 'file' ? pathToFileURL(this.path).href : `${this.scheme}:${this.path}`;
  }
  toJSON() {
    return this.toString();
  }
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
  isBefore(o) {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  isAfter(o) {
    return o.isBefore(this);
  }
  isEqual(o) {
    return this.line === o.line && this.character === o.character;
  }
}

class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') {
      this.start = new Position(a, b);
      this.end = new Position(c, d);
    } else {
      this.start = a;
      this.end = b;
    }
  }
  get isEmpty() {
    return this.start.isEqual(this.end);
  }
  contains(p) {
    if (p instanceof Range) return this.contains(p.start) && this.contains(p.end);
    return !p.isBefore(this.start) && !this.end.isBefore(p);
  }
}

class Location {
  constructor(uri, range) {
    this.uri = uri;
    this.range = range instanceof Position ? new Range(range, range) : range;
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity ?? 0;
  }
}

class DiagnosticRelatedInformation {
  constructor(location, message) {
    this.location = location;
    this.message = message;
  }
}

class TextEdit {
  constructor(range, newText) {
    this.range = range;
    this.newText = newText;
  }
  static replace(range, text) {
    return new TextEdit(range, text);
  }
}

class WorkspaceEdit {
  constructor() {
    this.map = new Map();
  }
  _edits(uri) {
    const k = uri.toString();
    if (!this.map.has(k)) this.map.set(k, [uri, []]);
    return this.map.get(k)[1];
  }
  replace(uri, range, text) {
    this._edits(uri).push(new TextEdit(range, text));
  }
  insert(uri, pos, text) {
    this.replace(uri, new Range(pos, pos), text);
  }
  set(uri, edits) {
    this._edits(uri).push(...edits);
  }
  createFile(uri) {
    this._edits(uri);
  }
  entries() {
    return [...this.map.values()];
  }
}

class CodeActionKind {
  constructor(value) {
    this.value = value;
  }
  append(part) {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other) {
    return this.value === other.value || other.value.startsWith(this.value + '.');
  }
  intersects(other) {
    return this.contains(other) || other.contains(this);
  }
}
for (const [k, v] of Object.entries({
  Empty: '',
  QuickFix: 'quickfix',
  Refactor: 'refactor',
  RefactorExtract: 'refactor.extract',
  RefactorInline: 'refactor.inline',
  RefactorRewrite: 'refactor.rewrite',
  Source: 'source',
  SourceOrganizeImports: 'source.organizeImports',
  SourceFixAll: 'source.fixAll',
})) {
  CodeActionKind[k] = new CodeActionKind(v);
}

class CodeAction {
  constructor(title, kind) {
    this.title = title;
    this.kind = kind;
  }
}

class MarkdownString {
  constructor(value = '', supportThemeIcons = false) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(s) {
    this.value += s;
    return this;
  }
  appendCodeblock(code, lang = '') {
    this.value += `\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
    return this;
  }
}

class Hover {
  constructor(contents, range) {
    this.contents = Array.isArray(contents) ? contents : [contents];
    this.range = range;
  }
}

class CancellationError extends Error {}

class CancellationTokenSource {
  constructor() {
    const changed = new EventEmitter();
    this.token = { isCancellationRequested: false, onCancellationRequested: changed.event };
    this.changed = changed;
  }
  cancel() {
    this.token.isCancellationRequested = true;
    this.changed.fire();
  }
  dispose() {}
}

// Classes the client extends or constructs for features leakls does not use.
class Plain {
  constructor(...args) {
    this.args = args;
  }
}

/** TextDocument is an in-memory document with VS Code's UTF-16 positions. */
class TextDocument {
  constructor(uri, languageId, text) {
    this.uri = uri;
    this.fileName = uri.fsPath;
    this.languageId = languageId;
    this.version = 1;
    this.text = text;
    this.isClosed = false;
    this.isDirty = false;
    this.isUntitled = false;
    this.eol = 1;
  }
  get lineCount() {
    return this.text.split('\n').length;
  }
  getText(range) {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  lineAt(line) {
    const text = this.text.split('\n')[typeof line === 'number' ? line : line.line];
    return { text, range: new Range(line, 0, line, text.length) };
  }
  offsetAt(pos) {
    const lines = this.text.split('\n');
    let off = 0;
    for (let i = 0; i < pos.line && i < lines.length; i++) off += lines[i].length + 1;
    return off + pos.character;
  }
  positionAt(offset) {
    const before = this.text.slice(0, offset).split('\n');
    return new Position(before.length - 1, before[before.length - 1].length);
  }
  save() {
    fs.writeFileSync(this.fileName, this.text);
    return Promise.resolve(true);
  }
}

// matchesPattern implements the document-filter patterns the extension
// uses: "<folder>/**/*", every file under a folder.
function matchesPattern(pattern, file) {
  const suffix = '/**/*';
  if (!pattern.endsWith(suffix) || /[*?{[]/.test(pattern.slice(0, -suffix.length))) {
    throw new Error(`fake vscode: document filter pattern ${pattern} is not implemented`);
  }
  return file.startsWith(pattern.slice(0, -suffix.length) + '/');
}

/**
 * createFake returns a fresh vscode module and the state tests inspect. The
 * workspace has the folder workspaceFolder, or the folders
 * workspaceFolders; setFolders changes them as a user adding and removing
 * folders of a multi-root workspace does.
 */
function createFake({ workspaceFolder, workspaceFolders = [workspaceFolder], settings = {} }) {
  const ev = {
    config: new EventEmitter(),
    open: new EventEmitter(),
    close: new EventEmitter(),
    change: new EventEmitter(),
    save: new EventEmitter(),
    willSave: new EventEmitter(),
    folders: new EventEmitter(),
    activeEditor: new EventEmitter(),
    visibleEditors: new EventEmitter(),
  };
  const state = {
    settings: { ...settings },
    documents: [],
    collections: new Map(),
    providers: {},
    commands: new Map(),
    contexts: {},
    messages: [],
    statusHistory: [],
    statusItems: [],
    output: [],
    openDialogAnswers: [],
    inputBoxAnswers: [], // answers of showInputBox, in order; then the box's default value
    quickPickAnswer: (items) => items[0],
    quickPickItems: undefined,
    shownDocuments: [],
    folders: workspaceFolders.map((p) => ({ uri: Uri.file(p), name: path.basename(p) })),
  };
  const setFolders = (paths) => {
    const before = state.folders;
    state.folders = paths.map(
      (p) => before.find((f) => f.uri.fsPath === path.resolve(p)) ?? { uri: Uri.file(p), name: path.basename(p) },
    );
    ev.folders.fire({
      added: state.folders.filter((f) => !before.includes(f)),
      removed: before.filter((f) => !state.folders.includes(f)),
    });
  };

  const register = (kind) => (selector, provider) => {
    (state.providers[kind] ??= []).push(provider);
    return new Disposable(() => {
      state.providers[kind] = state.providers[kind].filter((p) => p !== provider);
    });
  };
  const message = (level) => (text, ...items) => {
    state.messages.push({ level, text: typeof text === 'string' ? text : String(text) });
    return Promise.resolve(undefined);
  };
  const outputChannel = (name) => ({
    name,
    append: (s) => state.output.push(s),
    appendLine: (s) => state.output.push(s + '\n'),
    replace: (s) => state.output.push(s),
    clear() {},
    show() {},
    hide() {},
    dispose() {},
  });

  const workspace = {
    get workspaceFolders() {
      state.folders.forEach((f, i) => (f.index = i));
      return state.folders;
    },
    get textDocuments() {
      return state.documents.filter((d) => !d.isClosed);
    },
    name: path.basename(workspaceFolders[0]),
    workspaceFile: undefined,
    notebookDocuments: [],
    getConfiguration(section) {
      const prefix = section ? section + '.' : '';
      return {
        get: (key, dflt) => {
          const v = state.settings[prefix + key];
          return v === undefined ? dflt : v;
        },
        has: (key) => prefix + key in state.settings,
        inspect: (key) => ({ key: prefix + key, globalValue: state.settings[prefix + key] }),
        update: async (key, value) => {
          state.settings[prefix + key] = value;
        },
      };
    },
    getWorkspaceFolder: (uri) =>
      workspace.workspaceFolders.find((f) => (uri.fsPath + path.sep).startsWith(f.uri.fsPath + path.sep)),
    asRelativePath: (p) => path.relative(workspaceFolders[0], typeof p === 'string' ? p : p.fsPath),
    onDidChangeConfiguration: ev.config.event,
    onDidOpenTextDocument: ev.open.event,
    onDidCloseTextDocument: ev.close.event,
    onDidChangeTextDocument: ev.change.event,
    onDidSaveTextDocument: ev.save.event,
    onWillSaveTextDocument: ev.willSave.event,
    onDidChangeWorkspaceFolders: ev.folders.event,
    onDidOpenNotebookDocument: new EventEmitter().event,
    onDidCloseNotebookDocument: new EventEmitter().event,
    onDidSaveNotebookDocument: new EventEmitter().event,
    onDidChangeNotebookDocument: new EventEmitter().event,
    onDidCreateFiles: new EventEmitter().event,
    onDidRenameFiles: new EventEmitter().event,
    onDidDeleteFiles: new EventEmitter().event,
    onWillCreateFiles: new EventEmitter().event,
    onWillRenameFiles: new EventEmitter().event,
    onWillDeleteFiles: new EventEmitter().event,
    createFileSystemWatcher() {
      const e = new EventEmitter();
      return { onDidCreate: e.event, onDidChange: e.event, onDidDelete: e.event, dispose() {} };
    },
    async openTextDocument(uri) {
      uri = typeof uri === 'string' ? Uri.file(uri) : uri;
      let doc = state.documents.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
      if (!doc) {
        const ext = path.extname(uri.fsPath);
        const languageId = /^\.[cm]?tsx?$/.test(ext) ? 'typescript' : 'javascript';
        doc = new TextDocument(uri, languageId, fs.readFileSync(uri.fsPath, 'utf8'));
        state.documents.push(doc);
        ev.open.fire(doc);
      }
      return doc;
    },
    // applyEdit applies the edit to the open documents as VS Code does,
    // one change event per document, edits in reverse order.
    async applyEdit(edit) {
      for (const [uri, edits] of edit.entries()) {
        const doc = await workspace.openTextDocument(uri);
        const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
        const contentChanges = [];
        for (const e of sorted) {
          const start = doc.offsetAt(e.range.start);
          const end = doc.offsetAt(e.range.end);
          contentChanges.push({ range: e.range, rangeOffset: start, rangeLength: end - start, text: e.newText });
          doc.text = doc.text.slice(0, start) + e.newText + doc.text.slice(end);
        }
        doc.version++;
        doc.isDirty = true;
        ev.change.fire({ document: doc, contentChanges, reason: undefined });
      }
      return true;
    },
  };

  const window = {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    tabGroups: { all: [], onDidChangeTabs: new EventEmitter().event, onDidChangeTabGroups: new EventEmitter().event },
    onDidChangeActiveTextEditor: ev.activeEditor.event,
    onDidChangeVisibleTextEditors: ev.visibleEditors.event,
    createOutputChannel: outputChannel,
    showErrorMessage: message('error'),
    showWarningMessage: message('warning'),
    showInformationMessage: message('info'),
    async showOpenDialog() {
      return state.openDialogAnswers.shift();
    },
    async showQuickPick(items) {
      state.quickPickItems = await items;
      return state.quickPickAnswer(state.quickPickItems);
    },
    async showInputBox(opts) {
      return state.inputBoxAnswers.length ? state.inputBoxAnswers.shift() : opts && opts.value;
    },
    async showTextDocument(uri, options) {
      const doc = await workspace.openTextDocument(uri);
      const selection = options && options.selection;
      state.shownDocuments.push({ uri: doc.uri, selection });
      return { document: doc, selection: { active: selection ? selection.start : new Position(0, 0) } };
    },
    withProgress: (opts, task) => task({ report() {} }, new CancellationTokenSource().token),
    createStatusBarItem(alignment, priority) {
      const item = {
        alignment,
        priority,
        text: '',
        tooltip: undefined,
        visible: false,
        show() {
          item.visible = true;
          state.statusHistory.push({ visible: true, text: item.text });
        },
        hide() {
          if (item.visible) state.statusHistory.push({ visible: false, text: item.text });
          item.visible = false;
        },
        dispose() {
          item.hide();
        },
      };
      state.statusItems.push(item);
      return item;
    },
  };

  const languages = {
    match(selector, doc) {
      const filters = Array.isArray(selector) ? selector : [selector];
      return filters.some((f) =>
        typeof f === 'string'
          ? f === doc.languageId
          : (!f.language || f.language === doc.languageId) &&
            (!f.scheme || f.scheme === doc.uri.scheme) &&
            (!f.pattern || matchesPattern(f.pattern, doc.uri.fsPath)),
      )
        ? 10
        : 0;
    },
    createDiagnosticCollection(name) {
      const map = new Map();
      const c = {
        name,
        set(uri, diags) {
          if (Array.isArray(uri)) {
            for (const [u, d] of uri) c.set(u, d);
            return;
          }
          map.set(uri.toString(), diags ? [...diags] : []);
        },
        get: (uri) => map.get(uri.toString()) ?? [],
        has: (uri) => map.has(uri.toString()),
        delete: (uri) => map.delete(uri.toString()),
        clear: () => map.clear(),
        forEach: (fn) => map.forEach((d, k) => fn(Uri.parse(k), d, c)),
        dispose: () => {
          map.clear();
          state.collections.delete(c);
        },
      };
      state.collections.set(c, c); // VS Code allows several collections of one name
      return c;
    },
    getDiagnostics(uri) {
      return [...state.collections.values()].flatMap((c) => c.get(uri));
    },
  };
  for (const kind of [
    'CodeActions', 'Hover', 'Definition', 'CompletionItem', 'SignatureHelp', 'Declaration', 'References',
    'DocumentHighlight', 'DocumentSymbol', 'WorkspaceSymbol', 'CodeLens', 'DocumentFormattingEdit',
    'DocumentRangeFormattingEdit', 'OnTypeFormattingEdit', 'Rename', 'DocumentLink', 'TypeDefinition',
    'Implementation', 'Color', 'FoldingRange', 'SelectionRange', 'CallHierarchy', 'TypeHierarchy',
    'InlayHints', 'InlineValues', 'InlineCompletionItem', 'LinkedEditingRange',
  ]) {
    languages[`register${kind}Provider`] = register(kind);
  }

  const commands = {
    registerCommand(id, fn) {
      if (state.commands.has(id)) throw new Error(`command ${id} already registered`);
      state.commands.set(id, fn);
      return new Disposable(() => state.commands.delete(id));
    },
    async executeCommand(id, ...args) {
      if (id === 'setContext') {
        state.contexts[args[0]] = args[1];
        return undefined;
      }
      const fn = state.commands.get(id);
      if (!fn) throw new Error(`command ${id} not found`);
      return fn(...args);
    },
    async getCommands() {
      return [...state.commands.keys()];
    },
  };

  const vscode = {
    version: '1.82.0',
    env: { appName: 'fake-vscode', language: 'en', machineId: 'test', uiKind: 1, openExternal: async () => true },
    Uri, Position, Range, Location, Diagnostic, DiagnosticRelatedInformation, TextEdit, WorkspaceEdit,
    CodeAction, CodeActionKind, MarkdownString, Hover, Disposable, EventEmitter, CancellationError,
    CancellationTokenSource,
    CodeLens: Plain, DocumentLink: Plain, CompletionItem: Plain, CallHierarchyItem: Plain,
    TypeHierarchyItem: Plain, SymbolInformation: Plain, WorkspaceSymbol: Plain, InlayHint: Plain,
    SnippetString: Plain, RelativePattern: Plain,
    TabInputText: Plain, TabInputTextDiff: Plain, TabInputCustom: Plain, TabInputNotebook: Plain,
    TabInputNotebookDiff: Plain, NotebookCellKind: { Markup: 1, Code: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
    EndOfLine: { LF: 1, CRLF: 2 },
    workspace, window, languages, commands,
    extensions: { getExtension: () => undefined, all: [] },
  };
  const strict = new Proxy(vscode, {
    get(target, prop) {
      if (prop in target || typeof prop === 'symbol' || prop === '__esModule' || prop === 'default' || prop === 'then') {
        return target[prop];
      }
      throw new Error(`fake vscode: ${String(prop)} is not implemented`);
    },
  });
  return { vscode: strict, state, events: ev, TextDocument, setFolders };
}

module.exports = { createFake };
