package lsp_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// TestOutOfRangeChange sends didChange with ranges that are not ranges of
// valid positions. The protocol's decoder would read each as a change of
// the whole document; the server must refuse it with a log line and keep
// the document, so that a valid edit after it applies to the old text.
func TestOutOfRangeChange(t *testing.T) {
	for name, rangeJSON := range map[string]string{
		"negative line":      `{"start":{"line":-1,"character":0},"end":{"line":0,"character":1}}`,
		"negative character": `{"start":{"line":0,"character":-3},"end":{"line":0,"character":1}}`,
		"line 2^32":          `{"start":{"line":0,"character":0},"end":{"line":4294967296,"character":0}}`,
		"fractional line":    `{"start":{"line":0.5,"character":0},"end":{"line":1,"character":0}}`,
		"null range":         `null`,
		"empty range":        `{}`,
		"no end":             `{"start":{"line":0,"character":0}}`,
		"no character":       `{"start":{"line":0},"end":{"line":0,"character":0}}`,
		"names in capitals":  `{"Start":{"line":0,"character":0},"End":{"line":0,"character":1}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, lsp.Options{})
			c.initialize(nil)
			uri := "file://" + filepath.Join(t.TempDir(), "doc.js")
			c.open(uri, "javascript", "let x = 1;\n// leakls-ignore\nx++;\n")
			c.waitDiagnostics(uri, hasRule("LK000"))
			c.notify(protocol.MethodTextDocumentDidChange, json.RawMessage(fmt.Sprintf(
				`{"textDocument":{"uri":%q,"version":2},"contentChanges":[{"range":%s,"text":"let y;"}]}`, uri, rangeJSON)))
			c.waitLog("textDocument/didChange: invalid params: change 0 of version 2 has the range")
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
