package lsp_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

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

// TestQuickFixFlow runs the flow open → diagnostic → code action → apply
// → diagnostic gone with a rule's own fix, on a line with CJK and emoji
// text before the flagged range, and checks that a diagnostic echoed with
// other columns (as Neovim 0.7 does) is still matched through its data.
func TestQuickFixFlow(t *testing.T) {
	c := newClient(t, lsp.Options{})
	c.initialize(nil)
	uri := "file://" + filepath.Join(t.TempDir(), "bus.js")
	c.open(uri, "javascript", "const EventEmitter = require('events');\nconst bus = new EventEmitter();\n/* 中😀 */ bus.setMaxListeners(0);\nmodule.exports = bus;\n")
	d := find(t, c.waitDiagnostics(uri, hasRule("LK006")), "LK006")
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
	c.apply(uri, 2, fix.Edit)
	p := c.waitDiagnostics(uri, func(p published) bool { return p.version == 2 })
	if hasRule("LK006")(p) {
		t.Errorf("LK006 still reported after applying %q: %s", fix.Title, p.raw)
	}
}

// TestIgnoreLineAction applies the suppression comment instead.
func TestIgnoreLineAction(t *testing.T) {
	c := newClient(t, lsp.Options{})
	c.initialize(nil)
	uri := "file://" + filepath.Join(t.TempDir(), "ignore.js")
	c.open(uri, "javascript", "const EventEmitter = require('events');\nfunction f() {\n\tconst bus = new EventEmitter();\n\tbus.setMaxListeners(0);\n\treturn bus;\n}\nmodule.exports = f;\n")
	d := find(t, c.waitDiagnostics(uri, hasRule("LK006")), "LK006")
	var ignore *protocol.CodeAction
	for _, a := range c.codeActions(uri, d.Range, []protocol.Diagnostic{d}) {
		if strings.HasPrefix(a.Title, "Ignore LK006") {
			ignore = a
		}
	}
	if ignore == nil {
		t.Fatal("no ignore action")
	}
	if te := ignore.Edit.Changes[uriOf(uri)][0]; te.Range.Start != pos(3, 0) || !strings.HasPrefix(te.NewText, "\t// leakls-ignore LK006 ") {
		t.Errorf("edit %+v, want an indented leakls-ignore comment inserted at 3:0", te)
	}
	c.apply(uri, 2, ignore.Edit)
	p := c.waitDiagnostics(uri, func(p published) bool { return p.version == 2 })
	if hasRule("LK006")(p) {
		t.Errorf("LK006 still reported after the ignore action: %s", p.raw)
	}
}
