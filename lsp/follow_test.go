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

// streamingServer adds, on every request, a listener to a long-lived bus
// that holds the request's response (line 6), as the price stream of
// examples/service does; it writes baseline, target and final snapshots.
const streamingServer = `const v8 = require('v8');
const fs = require('fs');
const path = require('path');
const { EventEmitter } = require('events');
const bus = new EventEmitter();
bus.setMaxListeners(0);
function stream(res) { bus.on('tick', (tick) => res.emit('data', tick)); }
function snap(name) {
  const tmp = path.join(__dirname, name + '.tmp');
  v8.writeHeapSnapshot(tmp);
  fs.renameSync(tmp, path.join(__dirname, name + '.heapsnapshot'));
}
for (let n = 0; n < 40; n++) stream(new EventEmitter());
snap('baseline');
for (let n = 0; n < 2000; n++) stream(new EventEmitter());
snap('target');
for (let n = 0; n < 2000; n++) stream(new EventEmitter());
snap('final');
`

// TestEvidenceFixesFollowEdits applies, as an editor does (the code
// action's edit, then didChange), every fix offered on the line where the
// LK102 evidence of real snapshots and LK002 meet, one after the other.
// After each, the document must parse without errors, the evidence must
// be gone or still on the on() call, never twice, and no fix applied
// before may be offered again with the same edit: a fix whose text
// changed is not offered.
func TestEvidenceFixesFollowEdits(t *testing.T) {
	dir := t.TempDir()
	c, uri := openProgram(t, dir, streamingServer)
	if out, err := runNode(t, dir).CombinedOutput(); err != nil {
		t.Fatalf("node server.js: %v\n%s", err, out)
	}
	p := c.waitDiagnostics(uri, func(p published) bool {
		for _, d := range p.diagnostics {
			if code(d) == holders.RetainedByListener.ID && strings.Contains(messageOf(d), "→ 4,040") {
				return hasRule("LK002")(p)
			}
		}
		return false
	})
	if static, ev := find(t, p, "LK002"), find(t, p, holders.RetainedByListener.ID); static.Range.Start.Line != ev.Range.Start.Line {
		t.Fatalf("LK002 on line %d, LK102 on line %d: want both on the on() call", static.Range.Start.Line, ev.Range.Start.Line)
	}
	text, version := streamingServer, int32(1)
	applied := map[string]string{} // title and edit of the fixes applied → the text before
	for round := 0; ; round++ {
		if round == 10 {
			t.Fatalf("still offered fixes after %d rounds", round)
		}
		a := nextFix(t, c, uri, p, applied)
		if a == nil {
			break
		}
		version++
		title := strings.Clone(a.Title)
		t.Logf("applying %q", title)
		applied[actionKey(t, a)] = text
		text = applyEdits(t, text, a.Edit.Changes[uriOf(uri)])
		c.apply(uri, version, a.Edit)
		v := version
		p = c.waitDiagnostics(uri, func(p published) bool { return p.version == v })
		checkAfterFix(t, title, text, p)
	}
	t.Logf("after the fixes:\n%s\n%s", text, p.raw)
	if len(applied) < 2 {
		t.Errorf("applied %d fixes, want the fixes of LK002 and the evidence and the ignore comment", len(applied))
	}
}

// nextFix returns the first code action for the diagnostics p that edits
// only uri and was not applied, failing the test when one applied before
// is offered again with the same edit.
func nextFix(t *testing.T, c *client, uri string, p published, applied map[string]string) *protocol.CodeAction {
	t.Helper()
	if len(p.diagnostics) == 0 {
		return nil
	}
	var next *protocol.CodeAction
	for _, a := range c.codeActions(uri, p.diagnostics[0].Range, p.diagnostics) {
		if a.Edit == nil || len(a.Edit.Changes) != 1 || a.Edit.Changes[uriOf(uri)] == nil {
			continue // the one that ignores the file in leakls.json
		}
		if before, ok := applied[actionKey(t, a)]; ok {
			t.Errorf("%q is offered again with the edit it made on\n%s", a.Title, before)
			continue
		}
		if next == nil {
			next = a
		}
	}
	return next
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
