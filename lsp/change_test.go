package lsp_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"go.lsp.dev/protocol"
)

// TestOutOfRangeChange sends didChange with ranges that are not ranges of
// valid positions, and a change without text. The protocol's decoder would
// read the first as changes of the whole document, the last as a deletion;
// the server must refuse each with a log line and keep the document, so
// that a valid edit after it applies to the old text.
func TestOutOfRangeChange(t *testing.T) {
	for name, change := range map[string]string{
		"negative line":      `{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":1}},"text":"let y;"}`,
		"negative character": `{"range":{"start":{"line":0,"character":-3},"end":{"line":0,"character":1}},"text":"let y;"}`,
		"line 2^32":          `{"range":{"start":{"line":0,"character":0},"end":{"line":4294967296,"character":0}},"text":"let y;"}`,
		"fractional line":    `{"range":{"start":{"line":0.5,"character":0},"end":{"line":1,"character":0}},"text":"let y;"}`,
		"null range":         `{"range":null,"text":"let y;"}`,
		"empty range":        `{"range":{},"text":"let y;"}`,
		"no end":             `{"range":{"start":{"line":0,"character":0}},"text":"let y;"}`,
		"no character":       `{"range":{"start":{"line":0},"end":{"line":0,"character":0}},"text":"let y;"}`,
		"names in capitals":  `{"range":{"Start":{"line":0,"character":0},"End":{"line":0,"character":1}},"text":"let y;"}`,
		"no text":            `{"range":{"start":{"line":0,"character":0},"end":{"line":2,"character":0}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, uri, _ := openFlagged(t, "doc.js", "let x = 1;\n// leakls-ignore\nx++;\n", "LK000")
			c.notify(protocol.MethodTextDocumentDidChange, json.RawMessage(fmt.Sprintf(
				`{"textDocument":{"uri":%q,"version":2},"contentChanges":[%s]}`, uri, change)))
			c.waitLog("textDocument/didChange: invalid params: change 0 of version 2 has ")
			c.change(uri, 3, rng(0, 0, 0, 0), "\n")
			p := c.waitDiagnostics(uri, func(p published) bool { return p.version == 3 })
			if d := find(t, p, "LK000"); d.Range.Start.Line != 2 {
				t.Errorf("LK000 at line %d after the valid edit, want 2: the refused change was applied (%s)", d.Range.Start.Line, p.raw)
			}
			if c.hoverAt(uri, pos(2, 4)) == "" {
				t.Errorf("no hover on the LK000 finding of the kept text")
			}
		})
	}
}
