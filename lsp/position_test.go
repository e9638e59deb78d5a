package lsp

import (
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/finding"
)

func TestPositionConversion(t *testing.T) {
	// "é" is 2 bytes / 1 UTF-16 unit, "中" 3 bytes / 1 unit, "😀" 4 bytes /
	// 2 units (a surrogate pair) / 1 code point.
	text := "const é = '中😀';\r\nx😀y\n\nlast"
	li := newLineIndex(text)
	for _, tc := range []struct {
		off  int
		enc  encoding
		want protocol.Position
	}{
		{0, utf16, protocol.Position{Line: 0, Character: 0}},
		{6, utf16, protocol.Position{Line: 0, Character: 6}},   // start of é
		{8, utf16, protocol.Position{Line: 0, Character: 7}},   // after é
		{12, utf16, protocol.Position{Line: 0, Character: 11}}, // start of 中
		{15, utf16, protocol.Position{Line: 0, Character: 12}}, // start of 😀
		{19, utf16, protocol.Position{Line: 0, Character: 14}}, // after 😀
		{19, utf32, protocol.Position{Line: 0, Character: 13}},
		{19, utf8Enc, protocol.Position{Line: 0, Character: 19}},
		{21, utf16, protocol.Position{Line: 0, Character: 16}}, // end of line 0, before \r\n
		{23, utf16, protocol.Position{Line: 1, Character: 0}},
		{28, utf16, protocol.Position{Line: 1, Character: 3}}, // y, after x😀
		{30, utf16, protocol.Position{Line: 2, Character: 0}}, // the empty line
		{31, utf16, protocol.Position{Line: 3, Character: 0}},
		{len(text), utf16, protocol.Position{Line: 3, Character: 4}},
		{len(text) + 10, utf16, protocol.Position{Line: 3, Character: 4}}, // clamped
	} {
		got := li.position(text, tc.off, tc.enc)
		if got != tc.want {
			t.Errorf("position(%d, %v) = %+v, want %+v", tc.off, tc.enc, got, tc.want)
		}
		if tc.off <= len(text) {
			if back := li.offset(text, got, tc.enc); back != tc.off {
				t.Errorf("offset(%+v, %v) = %d, want %d", got, tc.enc, back, tc.off)
			}
		}
	}
	for _, tc := range []struct {
		p    protocol.Position
		enc  encoding
		want int
	}{
		{protocol.Position{Line: 0, Character: 13}, utf16, 15},       // inside the surrogate pair: start of 😀
		{protocol.Position{Line: 0, Character: 99}, utf16, 21},       // past the end of the line: before \r\n
		{protocol.Position{Line: 9, Character: 0}, utf16, len(text)}, // past the last line
		{protocol.Position{Line: 1, Character: 2}, utf32, 28},
	} {
		if got := li.offset(text, tc.p, tc.enc); got != tc.want {
			t.Errorf("offset(%+v, %v) = %d, want %d", tc.p, tc.enc, got, tc.want)
		}
	}
}

func TestFindingPositions(t *testing.T) {
	text := "a\n中中 = 1;\n"
	li := newLineIndex(text)
	// A snapshot location knows only line and byte column.
	r := li.protocolRange(text, finding.Range{
		Start: finding.Pos{Offset: -1, Line: 1, Col: 3},
		End:   finding.Pos{Offset: -1, Line: 1, Col: 99},
	}, utf16)
	want := protocol.Range{Start: protocol.Position{Line: 1, Character: 1}, End: protocol.Position{Line: 1, Character: 7}}
	if r != want {
		t.Errorf("snapshot range = %+v, want %+v", r, want)
	}
	// A static finding knows the offset.
	r = li.protocolRange(text, finding.Range{
		Start: finding.Pos{Offset: 2, Line: 1, Col: 0},
		End:   finding.Pos{Offset: 8, Line: 1, Col: 6},
	}, utf16)
	want = protocol.Range{Start: protocol.Position{Line: 1, Character: 0}, End: protocol.Position{Line: 1, Character: 2}}
	if r != want {
		t.Errorf("static range = %+v, want %+v", r, want)
	}
}

func TestIncrementalChanges(t *testing.T) {
	doc := newDocument("untitled:Untitled-1", "javascript", 1, "let s = '😀';\nfoo();\n")
	changes := []protocol.TextDocumentContentChangeEvent{
		// Replace "foo" (line 1) with "bar", then insert after the emoji on
		// line 0, in UTF-16 units: the emoji spans characters 9-10.
		&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: protocol.Position{Line: 1, Character: 0}, End: protocol.Position{Line: 1, Character: 3}}, Text: "bar"},
		&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: protocol.Position{Line: 0, Character: 11}, End: protocol.Position{Line: 0, Character: 11}}, Text: "中"},
	}
	got, err := doc.withChanges(2, changes, utf16)
	if err != nil {
		t.Fatal(err)
	}
	if want := "let s = '😀中';\nbar();\n"; got.text != want {
		t.Errorf("text = %q, want %q", got.text, want)
	}
	if doc.text != "let s = '😀';\nfoo();\n" {
		t.Errorf("the old version changed: %q", doc.text)
	}
	whole, err := got.withChanges(3, []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: "x"}}, utf16)
	if err != nil || whole.text != "x" || whole.version != 3 {
		t.Errorf("whole-document change = %q v%d, %v", whole.text, whole.version, err)
	}
	_, err = got.withChanges(4, []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: protocol.Position{Line: 1, Character: 2}, End: protocol.Position{Line: 0, Character: 0}}}}, utf16)
	if err == nil {
		t.Error("a range whose end is before its start was accepted")
	}
}
