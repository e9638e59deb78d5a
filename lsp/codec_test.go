package lsp_test

import (
	"bytes"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// TestCodecOwnsStrings decodes code actions, then overwrites the message
// as the connection does with the next one: the decoded strings must not
// change.
func TestCodecOwnsStrings(t *testing.T) {
	data := []byte(`[{"title":"Use once()","kind":"quickfix","edit":{"changes":{"file:///a.js":[{"range":{"start":{"line":0,"character":4},"end":{"line":0,"character":6}},"newText":"once"}]}}}]`)
	var actions []protocol.CommandOrCodeAction
	if err := (lsp.Codec{}).Unmarshal(data, &actions); err != nil {
		t.Fatal(err)
	}
	copy(data, bytes.Repeat([]byte("Q"), len(data)))
	a, ok := actions[0].(*protocol.CodeAction)
	if !ok {
		t.Fatalf("decoded %T, want a code action", actions[0])
	}
	if a.Title != "Use once()" || a.Edit.Changes["file:///a.js"][0].NewText != "once" {
		t.Errorf("after the buffer was reused: title %q, new text %q", a.Title, a.Edit.Changes["file:///a.js"][0].NewText)
	}
}
