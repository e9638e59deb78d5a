package lsp

import (
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/finding"
)

func TestMapRange(t *testing.T) {
	// The range is [10, 20) in every case.
	for _, tc := range []struct {
		name   string
		edit   byteEdit
		a, b   int
		mapped bool
	}{
		{"insertion before", byteEdit{2, 2, 3}, 13, 23, true},
		{"deletion ending at its start", byteEdit{5, 10, 0}, 5, 15, true},
		{"insertion at its start", byteEdit{10, 10, 1}, 11, 21, true},
		{"insertion at its end", byteEdit{20, 20, 1}, 10, 20, true},
		{"replacement after", byteEdit{25, 30, 1}, 10, 20, true},
		{"typing inside", byteEdit{12, 12, 4}, 10, 24, true},
		{"replacement inside", byteEdit{12, 18, 1}, 10, 15, true},
		{"replacement of all of it", byteEdit{10, 20, 3}, 10, 13, true},
		{"deletion of all of it", byteEdit{10, 20, 0}, 0, 0, false},
		{"across its start", byteEdit{8, 12, 0}, 0, 0, false},
		{"across its end", byteEdit{18, 22, 5}, 0, 0, false},
		{"around it", byteEdit{5, 25, 1}, 0, 0, false},
	} {
		a, b, ok := tc.edit.mapRange(10, 20)
		if ok != tc.mapped || ok && (a != tc.a || b != tc.b) {
			t.Errorf("%s: mapRange = %d, %d, %v; want %d, %d, %v", tc.name, a, b, ok, tc.a, tc.b, tc.mapped)
		}
	}
}

// TestEvidenceFollowsAndComesBack moves evidence through edits: an edit
// before it moves it (with its fix), one across it drops it, and undoing
// the edits to the text the snapshots describe brings it back.
func TestEvidenceFollowsAndComesBack(t *testing.T) {
	disk := newDocument("file:///w/a.js", "javascript", 0, "const a = 1;\nbus.on('x', f);\n")
	found := []finding.Finding{{
		Rule: "LK102", File: "/w/a.js",
		Range: finding.Range{Start: finding.Pos{Offset: -1, Line: 1, Col: 0}, End: finding.Pos{Offset: -1, Line: 1, Col: 14}},
		Fixes: []finding.Fix{{Message: "Use once()", Edits: []finding.Edit{{Start: 17, End: 19, NewText: "once"}}}},
	}}
	ev := newFileEvidence("/w/a.js", disk, found)
	if r := ev.findings[0].Range; r.Start.Offset != 13 || r.End.Offset != 27 {
		t.Fatalf("range resolved to %+v, want bytes 13 to 27", r)
	}
	edit := func(doc *document, version int32, change protocol.TextDocumentContentChangeEvent) *document {
		t.Helper()
		next, err := doc.withChanges(version, []protocol.TextDocumentContentChangeEvent{change}, utf16)
		if err != nil {
			t.Fatal(err)
		}
		ev = ev.follow("/w/a.js", next, next.edits)
		return next
	}
	at := func(l1, c1, l2, c2 uint32) protocol.Range {
		return protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
	}
	doc := edit(disk, 1, &protocol.TextDocumentContentChangePartial{Range: at(0, 0, 0, 0), Text: "\n"})
	if len(ev.findings) != 1 || ev.findings[0].Range.Start.Line != 2 || ev.findings[0].Fixes[0].Edits[0].Start != 18 {
		t.Fatalf("after a line inserted above: %+v, want the finding on line 2 and its fix at byte 18", ev.findings)
	}
	doc = edit(doc, 2, &protocol.TextDocumentContentChangePartial{Range: at(1, 5, 2, 3), Text: ""})
	if len(ev.findings) != 0 {
		t.Fatalf("after an edit across its start: %+v, want the finding dropped", ev.findings)
	}
	edit(doc, 3, &protocol.TextDocumentContentChangeWholeDocument{Text: disk.text})
	if len(ev.findings) != 1 || ev.findings[0].Range.Start.Line != 1 {
		t.Fatalf("after undoing to the disk's text: %+v, want the finding back on line 1", ev.findings)
	}
}
