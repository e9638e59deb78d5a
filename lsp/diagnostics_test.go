package lsp_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// code returns a diagnostic's rule ID.
func code(d protocol.Diagnostic) string {
	s, _ := d.Code.(protocol.String)
	return string(s)
}

// hasRule reports whether a publication holds a diagnostic of rule.
func hasRule(rule string) func(published) bool {
	return func(p published) bool {
		for _, d := range p.diagnostics {
			if code(d) == rule {
				return true
			}
		}
		return false
	}
}

// find returns the first diagnostic of rule.
func find(t *testing.T, p published, rule string) protocol.Diagnostic {
	t.Helper()
	for _, d := range p.diagnostics {
		if code(d) == rule {
			return d
		}
	}
	t.Fatalf("no %s diagnostic in %s", rule, p.raw)
	return protocol.Diagnostic{}
}

// openFlagged opens text as the JavaScript file name in a new temporary
// directory, with a new client, and waits for diagnostics that include
// rule; it returns the client, the file's URI and those diagnostics.
func openFlagged(t *testing.T, name, text, rule string) (*client, string, published) {
	t.Helper()
	c := newClient(t, lsp.Options{})
	c.initialize(nil)
	uri := "file://" + filepath.Join(t.TempDir(), name)
	c.open(uri, "javascript", text)
	return c, uri, c.waitDiagnostics(uri, hasRule(rule))
}

// change sends one incremental edit.
func (c *client) change(uri string, version int32, r protocol.Range, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Version: version},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: r, Text: text}},
	})
}

func pos(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }

func rng(l1, c1, l2, c2 uint32) protocol.Range {
	return protocol.Range{Start: pos(l1, c1), End: pos(l2, c2)}
}

// TestDiagnosticFields checks what a published diagnostic carries: source,
// code, documentation link, a stable id in data, and the version.
func TestDiagnosticFields(t *testing.T) {
	_, _, p := openFlagged(t, "bad.js", "let x = 1;\n// leakls-ignore\nx++;\n", "LK000")
	d := find(t, p, "LK000")
	if src, _ := d.Source.Get(); src != "leakls" {
		t.Errorf("source = %q, want leakls", src)
	}
	if !strings.HasSuffix(string(d.CodeDescription.Href), "/docs/rules/LK000.md") {
		t.Errorf("codeDescription.href = %q, want the LK000 doc page", d.CodeDescription.Href)
	}
	if !strings.Contains(string(d.Data), `"id":"LK000-`) {
		t.Errorf("data = %s, want a stable finding id", d.Data)
	}
	if d.Range.Start.Line != 1 {
		t.Errorf("range %+v, want line 1", d.Range)
	}
	if !p.hasVersion || p.version != 1 {
		t.Errorf("published for version %d (set: %v), want 1", p.version, p.hasVersion)
	}
}

// TestOrderedChanges sends 500 edits whose effect depends on their order:
// edit k inserts a line at line k-1, which exists only once the edits
// before it were applied. Out of order, a line would be inserted past the
// end of the text and the flagged comment would not end on line 500.
func TestOrderedChanges(t *testing.T) {
	c, uri, _ := openFlagged(t, "ordered.js", "// leakls-ignore\n", "LK000")
	const n = 500
	for k := uint32(1); k <= n; k++ {
		c.change(uri, int32(k+1), rng(k-1, 0, k-1, 0), fmt.Sprintf("v%d;\n", k))
	}
	p := c.waitDiagnostics(uri, func(p published) bool { return p.version == n+1 })
	if d := find(t, p, "LK000"); d.Range.Start.Line != n {
		t.Errorf("after %d ordered edits the comment is on line %d, want %d", n, d.Range.Start.Line, n)
	}
}

// TestBurstOfEditsCoalesced sends 50 edits in a burst, each of which moves
// the finding: only the first (analysed at once, if it finishes before the
// next arrives) and the last version may be published, not one per edit.
func TestBurstOfEditsCoalesced(t *testing.T) {
	// A debounce far longer than sending 50 notifications over a pipe takes,
	// even on a loaded machine.
	c := newClient(t, lsp.Options{Debounce: time.Second})
	c.initialize(nil)
	uri := "file://" + filepath.Join(t.TempDir(), "burst.js")
	c.open(uri, "javascript", "// leakls-ignore\n")
	c.waitDiagnostics(uri, hasRule("LK000"))
	const n = 50
	for k := range int32(n) {
		c.change(uri, k+2, rng(0, 0, 0, 0), "\n")
	}
	p := c.waitDiagnostics(uri, func(p published) bool { return p.version == n+1 })
	if d := find(t, p, "LK000"); d.Range.Start.Line != n {
		t.Errorf("after %d edits the comment is on line %d, want %d", n, d.Range.Start.Line, n)
	}
	c.mu.Lock()
	var versions []int32
	for _, p := range c.diags[uri][1:] {
		versions = append(versions, p.version)
	}
	c.mu.Unlock()
	if len(versions) > 2 {
		t.Errorf("a burst of %d edits was published %d times (versions %v), want at most 2", n, len(versions), versions)
	}
}

// TestPositionsNonASCII checks ranges after and around CJK and emoji text
// in each negotiable position encoding.
func TestPositionsNonASCII(t *testing.T) {
	// "const s = '" is 11 units; 中 is 1 UTF-16 unit (3 bytes), 😀 2 units
	// (4 bytes, one code point); "'; " 3 more: the comment starts at UTF-16
	// character 17, byte 21, code point 16. The emoji inside the comment
	// (an unknown rule name) ends the flagged range.
	text := "const s = '中😀'; // leakls-ignore 😀\n"
	for _, tc := range []struct {
		enc        protocol.PositionEncodingKind
		start, end uint32
	}{
		{protocol.PositionEncodingKindUTF16, 17, 17 + 17 + 2},
		{protocol.PositionEncodingKindUTF8, 21, 21 + 17 + 4},
		{protocol.PositionEncodingKindUTF32, 16, 16 + 17 + 1},
	} {
		t.Run(string(tc.enc), func(t *testing.T) {
			c := newClient(t, lsp.Options{})
			c.initialize(&protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
				General: &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{tc.enc}},
			}})
			uri := "file://" + filepath.Join(t.TempDir(), "emoji.js")
			c.open(uri, "javascript", text)
			d := find(t, c.waitDiagnostics(uri, hasRule("LK000")), "LK000")
			if want := rng(0, tc.start, 0, tc.end); d.Range != want {
				t.Errorf("range %+v, want %+v", d.Range, want)
			}
			// An edit addressed in the same encoding, just after the emoji
			// before the comment, shifts the comment by one character.
			c.change(uri, 2, rng(0, tc.start-3, 0, tc.start-3), "x")
			d = find(t, c.waitDiagnostics(uri, func(p published) bool { return p.version == 2 }), "LK000")
			if d.Range.Start.Character != tc.start+1 {
				t.Errorf("after inserting before the comment: start %d, want %d", d.Range.Start.Character, tc.start+1)
			}
		})
	}
}

// TestURIsEchoed checks that diagnostics come back under the client's own
// spelling of the URI, for file URIs with characters that canonical forms
// escape and for non-file schemes.
func TestURIsEchoed(t *testing.T) {
	c := newClient(t, lsp.Options{})
	c.initialize(nil)
	for _, uri := range []string{
		"file://" + filepath.Join(t.TempDir(), "at@sign", "a b.js"),     // Neovim leaves @ and spaces alone
		"file://" + filepath.Join(t.TempDir(), "at%40sign", "a%20b.js"), // VS Code escapes them
		"untitled:Untitled-1",
	} {
		c.open(uri, "javascript", "// leakls-ignore\n")
		c.waitDiagnostics(uri, hasRule("LK000"))
	}
}

// TestCleanFileIsEmptyArray checks that fixing the last problem publishes
// an empty array, not null, and that an unchanged result is not published
// again.
func TestCleanFileIsEmptyArray(t *testing.T) {
	c, uri, _ := openFlagged(t, "clean.js", "// leakls-ignore\n", "LK000")
	c.change(uri, 2, rng(0, 0, 1, 0), "")
	p := c.waitDiagnostics(uri, func(p published) bool { return p.version == 2 })
	if p.raw != "[]" {
		t.Errorf("clean file published %s, want []", p.raw)
	}
	// Edits that keep the file clean publish nothing new.
	c.change(uri, 3, rng(0, 0, 0, 0), "let a = 1;\n")
	c.change(uri, 4, rng(0, 0, 0, 0), "\n")
	c.open("untitled:sync", "javascript", "// leakls-ignore\n") // a later publication to wait for
	c.waitDiagnostics("untitled:sync", hasRule("LK000"))
	c.mu.Lock()
	n := len(c.diags[uri])
	c.mu.Unlock()
	if n != 2 {
		t.Errorf("%d publications for %s, want 2 (the finding, then [])", n, uri)
	}
}
