package lsp_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// streamingServer is growingServer where each request's listener is a
// closure that holds the request's response, a new emitter (line 5), as
// the price stream of examples/service is.
var streamingServer = strings.Replace(growingServer,
	"function onTick() {}\nfunction handle() { bus.on('tick', onTick); }",
	"function handle(res = new (require('events'))()) { bus.on('tick', (tick) => res.emit('data', tick)); }", 1)

// TestEvidenceFixesFollowEdits applies, as an editor does (the code
// action's edit, then didChange), every fix offered on the line where the
// LK102 evidence of real snapshots and LK002 meet, one after the other,
// starting with each of the fixes offered first in turn (undoing all
// edits in between). After each, the document must parse without errors,
// the evidence must be gone or still on the on() call, never twice, and
// no fix applied before may be offered again with the same edit: a fix
// whose text changed is not offered. The undo brings the evidence back.
func TestEvidenceFixesFollowEdits(t *testing.T) {
	if !strings.Contains(streamingServer, "res.emit") {
		t.Fatalf("growingServer no longer has the handler streamingServer replaces:\n%s", growingServer)
	}
	dir := t.TempDir()
	c, uri := openProgram(t, dir, streamingServer)
	if out, err := runNode(t, dir).CombinedOutput(); err != nil {
		t.Fatalf("node server.js: %v\n%s", err, out)
	}
	both := func(p published) bool {
		for _, d := range p.diagnostics {
			if code(d) == holders.RetainedByListener.ID && strings.Contains(messageOf(d), "→ 4,040") {
				return hasRule("LK002")(p)
			}
		}
		return false
	}
	p := c.waitDiagnostics(uri, both)
	if static, ev := find(t, p, "LK002"), find(t, p, holders.RetainedByListener.ID); static.Range.Start.Line != ev.Range.Start.Line {
		t.Fatalf("LK002 on line %d, LK102 on line %d: want both on the on() call", static.Range.Start.Line, ev.Range.Start.Line)
	}
	checkAfterFix(t, "nothing", streamingServer, p)
	version := int32(1)
	fixes := offeredFixes(t, c, uri, p, nil)
	if !slices.ContainsFunc(fixes, func(a *protocol.CodeAction) bool { return a.Title == "Remove the listener when res closes" }) {
		t.Fatalf("%d fixes offered, none removes the listener when res closes (the fix that broke the code)", len(fixes))
	}
	offered := len(fixes)
	for first := range offered {
		if first > 0 {
			version++
			c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Version: version},
				ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: streamingServer}},
			})
			v := version
			p = c.waitDiagnostics(uri, func(p published) bool { return p.version == v })
			if !both(p) {
				t.Fatalf("after undoing every fix, the evidence did not come back: %s", p.raw)
			}
		}
		p, version = applyFixes(t, c, uri, p, version, first)
	}
}

// applyFixes applies the fix offered first-th for the diagnostics p of
// uri at version, then the first fix offered that was not applied, until
// none is left, checking the text and the diagnostics after each. It
// returns the last diagnostics and version.
func applyFixes(t *testing.T, c *client, uri string, p published, version int32, first int) (published, int32) {
	t.Helper()
	text := streamingServer
	applied := map[string]string{} // title and edit of the fixes applied → the text before
	for round := 0; ; round++ {
		if round == 10 {
			t.Fatalf("still offered fixes after %d rounds", round)
		}
		fixes := offeredFixes(t, c, uri, p, applied)
		if len(fixes) == 0 {
			return p, version
		}
		a := fixes[0]
		if round == 0 {
			a = fixes[first]
		}
		version++
		title := a.Title
		applied[actionKey(t, a)] = text
		text = applyEdits(t, text, a.Edit.Changes[uriOf(uri)])
		c.apply(uri, version, a.Edit)
		v := version
		p = c.waitDiagnostics(uri, func(p published) bool { return p.version == v })
		checkAfterFix(t, title, text, p)
	}
}

// offeredFixes returns the code actions for the diagnostics p that edit
// only uri and were not applied, failing the test when one applied
// before is offered again with the same edit.
func offeredFixes(t *testing.T, c *client, uri string, p published, applied map[string]string) []*protocol.CodeAction {
	t.Helper()
	if len(p.diagnostics) == 0 {
		return nil
	}
	var out []*protocol.CodeAction
	for _, a := range c.codeActions(uri, p.diagnostics[0].Range, p.diagnostics) {
		if a.Edit == nil || len(a.Edit.Changes) != 1 || a.Edit.Changes[uriOf(uri)] == nil {
			continue // the one that ignores the file in leakls.json
		}
		if before, ok := applied[actionKey(t, a)]; ok {
			t.Errorf("%q is offered again with the edit it made on\n%s", a.Title, before)
			continue
		}
		out = append(out, a)
	}
	return out
}

// checkAfterFix checks the document text after applying the fix titled
// title, and its diagnostics p.
func checkAfterFix(t *testing.T, title, text string, p published) {
	t.Helper()
	tree, err := syntax.Parse(context.Background(), syntax.JavaScript, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if tree.HasError {
		t.Errorf("after %q the program does not parse:\n%s", title, text)
	}
	n := 0
	for _, d := range p.diagnostics {
		if code(d) != holders.RetainedByListener.ID {
			continue
		}
		n++
		lo, hi := byteOffset(t, text, d.Range.Start), byteOffset(t, text, d.Range.End)
		if at := text[lo:hi]; !strings.HasPrefix(at, "bus.") {
			t.Errorf("after %q the evidence is at %q, want the on() call", title, at)
		}
		if confirmed := strings.Contains(messageOf(d), "confirmed: the static rule"); confirmed != hasRule("LK002")(p) || confirmed != (d.Severity == protocol.DiagnosticSeverityError) {
			t.Errorf("after %q the evidence says confirmed %v, is an error %v, and LK002 is reported %v: want all three the same", title, confirmed, d.Severity == protocol.DiagnosticSeverityError, hasRule("LK002")(p))
		}
	}
	if n > 1 {
		t.Errorf("after %q the evidence is reported %d times: %s", title, n, p.raw)
	}
}

// actionKey identifies a code action by its title and edit.
func actionKey(t *testing.T, a *protocol.CodeAction) string {
	edit, err := json.Marshal(a.Edit)
	if err != nil {
		t.Fatal(err)
	}
	return a.Title + "\x00" + string(edit)
}

// applyEdits applies the text edits of one document (non-overlapping, in
// an ASCII text) to text.
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit) string {
	t.Helper()
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b protocol.TextEdit) int {
		return byteOffset(t, text, b.Range.Start) - byteOffset(t, text, a.Range.Start)
	})
	for _, e := range edits {
		lo, hi := byteOffset(t, text, e.Range.Start), byteOffset(t, text, e.Range.End)
		text = text[:lo] + e.NewText + text[hi:]
	}
	return text
}

// byteOffset returns the offset of p in an ASCII text.
func byteOffset(t *testing.T, text string, p protocol.Position) int {
	t.Helper()
	off := 0
	for range p.Line {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			t.Fatalf("position %+v is past the end of the text", p)
		}
		off += i + 1
	}
	return off + int(p.Character)
}
