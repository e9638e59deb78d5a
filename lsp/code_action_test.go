package lsp_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/config"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/lsp"
)

// codeActions asks for the code actions of diags in uri.
func (c *client) codeActions(uri string, r protocol.Range, diags []protocol.Diagnostic) []*protocol.CodeAction {
	c.t.Helper()
	var res []protocol.CommandOrCodeAction
	c.mustCall(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uriOf(uri)},
		Range:        r,
		Context:      protocol.CodeActionContext{Diagnostics: diags},
	}, &res)
	var out []*protocol.CodeAction
	for _, a := range res {
		ca, ok := a.(*protocol.CodeAction)
		if !ok {
			c.t.Fatalf("code action of type %T, want *protocol.CodeAction", a)
		}
		out = append(out, ca)
	}
	return out
}

// apply sends the edits of a code action for uri as the next version, the
// way an editor does after applying them: one change per edit, last edit
// first, so that positions stay valid.
func (c *client) apply(uri string, version int32, edit *protocol.WorkspaceEdit) {
	c.t.Helper()
	edits := slices.Clone(edit.Changes[uriOf(uri)])
	if len(edits) == 0 {
		c.t.Fatalf("the edit changes nothing in %s: %+v", uri, edit)
	}
	slices.SortFunc(edits, func(a, b protocol.TextEdit) int {
		if a.Range.Start.Line != b.Range.Start.Line {
			return int(b.Range.Start.Line) - int(a.Range.Start.Line)
		}
		return int(b.Range.Start.Character) - int(a.Range.Start.Character)
	})
	var changes []protocol.TextDocumentContentChangeEvent
	for _, e := range edits {
		changes = append(changes, &protocol.TextDocumentContentChangePartial{Range: e.Range, Text: e.NewText})
	}
	c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Version: version},
		ContentChanges: changes,
	})
}

// openLK006 opens text as the file name with a new client (see openFlagged)
// and returns the client, the file's URI and its LK006 diagnostic.
func openLK006(t *testing.T, name, text string) (*client, string, protocol.Diagnostic) {
	t.Helper()
	c, uri, p := openFlagged(t, name, text, "LK006")
	return c, uri, find(t, p, "LK006")
}

// actionTitled returns the code action for d in uri whose title starts
// with prefix, failing the test when there is none.
func (c *client) actionTitled(uri string, d protocol.Diagnostic, prefix string) *protocol.CodeAction {
	c.t.Helper()
	for _, a := range c.codeActions(uri, d.Range, []protocol.Diagnostic{d}) {
		if strings.HasPrefix(a.Title, prefix) {
			return a
		}
	}
	c.t.Fatalf("no code action titled %q…", prefix)
	return nil
}

// applyClears applies the edit of action to uri as version 2 and checks
// that the next diagnostics no longer report rule.
func (c *client) applyClears(uri string, action *protocol.CodeAction, rule string) {
	c.t.Helper()
	c.apply(uri, 2, action.Edit)
	p := c.waitDiagnostics(uri, func(p published) bool { return p.version == 2 })
	if hasRule(rule)(p) {
		c.t.Errorf("%s still reported after applying %q: %s", rule, action.Title, p.raw)
	}
}

// TestQuickFixFlow runs the flow open → diagnostic → code action → apply
// → diagnostic gone with a rule's own fix, on a line with CJK and emoji
// text before the flagged range, and checks that a diagnostic echoed with
// other columns (as Neovim 0.7 does) is still matched through its data.
func TestQuickFixFlow(t *testing.T) {
	c, uri, d := openLK006(t, "bus.js", "const EventEmitter = require('events');\nconst bus = new EventEmitter();\n/* 中😀 */ bus.setMaxListeners(0);\nmodule.exports = bus;\n")
	if d.Range.Start.Line != 2 || d.Range.Start.Character < 9 {
		t.Errorf("LK006 range %+v, want line 2 after the comment (UTF-16 character 9 or later)", d.Range)
	}
	if h := c.hoverAt(uri, d.Range.Start); !strings.Contains(h, "**LK006 ") || !strings.Contains(h, "docs/rules/LK006.md") {
		t.Errorf("hover on the finding:\n%s", h)
	}
	if h := c.hoverAt(uri, pos(0, 0)); h != "" {
		t.Errorf("hover away from findings: %q, want none", h)
	}
	echoed := d
	echoed.Range.Start.Character += 4 // byte columns instead of UTF-16, say
	echoed.Range.End.Character += 4
	actions := c.codeActions(uri, echoed.Range, []protocol.Diagnostic{echoed})
	var fix, ignore *protocol.CodeAction
	for _, a := range actions {
		switch {
		case strings.HasPrefix(a.Title, "Ignore LK006"):
			ignore = a
		case fix == nil:
			fix = a
		}
	}
	if fix == nil || ignore == nil {
		t.Fatalf("want a fix and an ignore action, got %d actions", len(actions))
	}
	if fix.Kind == nil || *fix.Kind != protocol.CodeActionKindQuickFix || fix.IsPreferred == nil || !*fix.IsPreferred {
		t.Errorf("fix %q: kind %v, preferred %v; want a preferred quickfix", fix.Title, fix.Kind, fix.IsPreferred)
	}
	if te := ignore.Edit.Changes[uriOf(uri)][0]; te.Range.Start != pos(2, 0) || !strings.HasPrefix(te.NewText, "// leakls-ignore LK006 ") {
		t.Errorf("ignore edit %+v, want a leakls-ignore comment inserted at 2:0", te)
	}
	c.applyClears(uri, fix, "LK006")
}

// TestIgnoreLineAction applies the suppression comment instead.
func TestIgnoreLineAction(t *testing.T) {
	c, uri, d := openLK006(t, "ignore.js", "const EventEmitter = require('events');\nfunction f() {\n\tconst bus = new EventEmitter();\n\tbus.setMaxListeners(0);\n\treturn bus;\n}\nmodule.exports = f;\n")
	ignore := c.actionTitled(uri, d, "Ignore LK006")
	if te := ignore.Edit.Changes[uriOf(uri)][0]; te.Range.Start != pos(3, 0) || !strings.HasPrefix(te.NewText, "\t// leakls-ignore LK006 ") {
		t.Errorf("edit %+v, want an indented leakls-ignore comment inserted at 3:0", te)
	}
	c.applyClears(uri, ignore, "LK006")
}

// TestIgnoreFileAction ignores a file in leakls.json: the edit rewrites the
// workspace's leakls.json (keeping its rules), and once the editor saved it
// the file's findings are gone. Without a leakls.json, the action creates
// one when the client can create files.
func TestIgnoreFileAction(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "leakls.json")
	writeFile(t, cfgPath, `{"rules": {"LK001": "error"}}`)
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, nil)
	c.waitLog("watching ")
	uri := "file://" + filepath.Join(dir, "src", "bus.js")
	c.open(uri, "javascript", "const EventEmitter = require('events');\nconst bus = new EventEmitter();\nbus.setMaxListeners(0);\nmodule.exports = bus;\n")
	d := find(t, c.waitDiagnostics(uri, hasRule("LK006")), "LK006")
	action := c.actionTitled(uri, d, "Ignore src/bus.js in leakls.json")
	edits := action.Edit.Changes[uriOf("file://"+cfgPath)]
	if len(edits) != 1 || edits[0].Range.Start != pos(0, 0) {
		t.Fatalf("edits of leakls.json: %+v", edits)
	}
	cfg, err := config.Parse([]byte(edits[0].NewText), cfgPath)
	if err != nil {
		t.Fatalf("the new leakls.json does not parse: %v\n%s", err, edits[0].NewText)
	}
	if cfg.Rules["LK001"].Severity != finding.SeverityError || !cfg.Ignored(filepath.Join(dir, "src", "bus.js")) {
		t.Errorf("the new leakls.json lost its rules or does not ignore the file:\n%s", edits[0].NewText)
	}
	writeFile(t, cfgPath, edits[0].NewText) // what the editor does when it saves the edit
	c.waitDiagnostics(uri, func(p published) bool { return p.raw == "[]" })
}

func TestIgnoreFileActionCreates(t *testing.T) {
	dir := t.TempDir()
	yes := true
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, &protocol.InitializeParams{
		Capabilities: protocol.ClientCapabilities{Workspace: &protocol.WorkspaceClientCapabilities{WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{
			DocumentChanges: &yes, ResourceOperations: []protocol.ResourceOperationKind{protocol.ResourceOperationKindCreate},
		}}},
	})
	uri := "file://" + filepath.Join(dir, "bus.js")
	c.open(uri, "javascript", "const EventEmitter = require('events');\nconst bus = new EventEmitter();\nbus.setMaxListeners(0);\n")
	d := find(t, c.waitDiagnostics(uri, hasRule("LK006")), "LK006")
	for _, a := range c.codeActions(uri, d.Range, []protocol.Diagnostic{d}) {
		if !strings.Contains(a.Title, "leakls.json") {
			continue
		}
		if len(a.Edit.DocumentChanges) != 2 {
			t.Fatalf("document changes %+v, want a file creation and its text", a.Edit.DocumentChanges)
		}
		create, ok := a.Edit.DocumentChanges[0].(*protocol.CreateFile)
		if !ok || string(create.URI) != "file://"+filepath.Join(dir, "leakls.json") {
			t.Errorf("first change %+v, want the creation of leakls.json", a.Edit.DocumentChanges[0])
		}
		edit, ok := a.Edit.DocumentChanges[1].(*protocol.TextDocumentEdit)
		if !ok || len(edit.Edits) != 1 {
			t.Fatalf("second change %+v, want one text edit", a.Edit.DocumentChanges[1])
		}
		te := edit.Edits[0].(*protocol.TextEdit)
		if cfg, err := config.Parse([]byte(te.NewText), filepath.Join(dir, "leakls.json")); err != nil || !cfg.Ignored(filepath.Join(dir, "bus.js")) {
			t.Errorf("created leakls.json %q: %v", te.NewText, err)
		}
		return
	}
	t.Fatal("no action creating leakls.json")
}

// TestCodeActionsNotRepeated asks for the code actions of the line where
// both LK002 and the LK102 evidence of the same listener are reported: the
// fixes the evidence shares with LK002 are offered once, for both
// diagnostics, and no two actions have the same title and edit.
func TestCodeActionsNotRepeated(t *testing.T) {
	dir := t.TempDir()
	c, uri := openProgram(t, dir, growingServer)
	if out, err := runNode(t, dir).CombinedOutput(); err != nil {
		t.Fatalf("node server.js: %v\n%s", err, out)
	}
	p := c.waitDiagnostics(uri, func(p published) bool {
		return hasRule(holders.RetainedByListener.ID)(p) && hasRule("LK002")(p)
	})
	static, evidence := find(t, p, "LK002"), find(t, p, holders.RetainedByListener.ID)
	if static.Range.Start.Line != evidence.Range.Start.Line {
		t.Fatalf("LK002 on line %d, LK102 on line %d: want both on the on() call", static.Range.Start.Line, evidence.Range.Start.Line)
	}
	actions := c.codeActions(uri, static.Range, []protocol.Diagnostic{static, evidence})
	seen := map[string]bool{}
	shared := 0
	for _, a := range actions {
		edit, err := json.Marshal(a.Edit)
		if err != nil {
			t.Fatal(err)
		}
		key := a.Title + "\x00" + string(edit)
		if seen[key] {
			t.Errorf("action %q offered twice", a.Title)
		}
		seen[key] = true
		if len(a.Diagnostics) == 2 {
			shared++
		}
	}
	if shared == 0 {
		t.Errorf("no action fixes both diagnostics; actions: %d", len(actions))
	}
}
