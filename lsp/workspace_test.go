package lsp_test

import (
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// writeFile writes a file, creating its directory.
func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWorkspaceFiles checks the background analysis of files that are not
// open and the watching of changes made outside the editor: files present
// at start, new files, new directories, edits and deletions, while
// node_modules and .gitignored trees are left alone.
func TestWorkspaceFiles(t *testing.T) {
	dir := t.TempDir()
	bad := "// leakls-ignore\n"
	writeFile(t, filepath.Join(dir, "src", "present.js"), bad)
	writeFile(t, filepath.Join(dir, "node_modules", "dep", "index.js"), bad)
	writeFile(t, filepath.Join(dir, "dist", "bundle.js"), bad)
	writeFile(t, filepath.Join(dir, ".gitignore"), "dist/\n")
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, nil)

	present := "file://" + filepath.Join(dir, "src", "present.js")
	c.waitDiagnostics(present, hasRule("LK000"))
	c.waitLog("watching ")

	added := filepath.Join(dir, "src", "added.ts")
	writeFile(t, added, bad)
	c.waitDiagnostics("file://"+added, hasRule("LK000"))

	nested := filepath.Join(dir, "src", "new", "deeper", "nested.mjs")
	writeFile(t, nested, bad)
	c.waitDiagnostics("file://"+nested, hasRule("LK000"))

	writeFile(t, filepath.Join(dir, "src", "present.js"), "export const ok = 1;\n")
	c.waitDiagnostics(present, func(p published) bool { return p.raw == "[]" })

	if err := os.Remove(added); err != nil {
		t.Fatal(err)
	}
	c.waitDiagnostics("file://"+added, func(p published) bool { return p.raw == "[]" })

	c.mu.Lock()
	defer c.mu.Unlock()
	for _, skipped := range []string{filepath.Join(dir, "node_modules", "dep", "index.js"), filepath.Join(dir, "dist", "bundle.js")} {
		if got := c.diags["file://"+skipped]; len(got) > 0 {
			t.Errorf("%s was analysed: %s", skipped, got[0].raw)
		}
	}
}

// TestCrossFile checks that a file is judged with the files that import it,
// with their editor text: a Map exported by store.js and evicted in
// janitor.js is not flagged; when the eviction is edited away in the
// editor (not saved), store.js is re-analysed and flagged.
func TestCrossFile(t *testing.T) {
	dir := t.TempDir()
	store := "const pending = new Map();\nfunction track(job) {\n  pending.set(job.id, job);\n}\nmodule.exports = { pending, track };\n"
	janitor := "const { pending } = require('./store');\nfunction finish(id) {\n  pending.delete(id);\n}\nmodule.exports = { finish };\n"
	writeFile(t, filepath.Join(dir, "store.js"), store)
	writeFile(t, filepath.Join(dir, "janitor.js"), janitor)
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, nil)
	storeURI, janitorURI := "file://"+filepath.Join(dir, "store.js"), "file://"+filepath.Join(dir, "janitor.js")
	c.open(janitorURI, "javascript", janitor)
	c.open(storeURI, "javascript", store)
	// Once the module graph is loaded, store.js is judged with janitor.js.
	c.waitDiagnostics(storeURI, func(p published) bool { return p.raw == "[]" })
	c.change(janitorURI, 2, rng(2, 10, 2, 16), "get")
	d := find(t, c.waitDiagnostics(storeURI, hasRule("LK001")), "LK001")
	if d.Range.Start.Line != 2 {
		t.Errorf("LK001 at %+v, want the set on line 2", d.Range)
	}
}

// TestSecondWorkspaceFolder checks what docs/lsp.md says of multi-root
// workspaces: the first folder is the root (its files are scanned in the
// background), and a file of another folder, opened in the editor, gets
// the findings of its own text.
func TestSecondWorkspaceFolder(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	bad := "// leakls-ignore\n"
	writeFile(t, filepath.Join(first, "a.js"), bad)
	writeFile(t, filepath.Join(second, "b.js"), bad)
	c := newClient(t, lsp.Options{})
	c.initialize(&protocol.InitializeParams{
		WorkspaceFoldersInitializeParams: protocol.WorkspaceFoldersInitializeParams{
			WorkspaceFolders: protocol.NewNullable([]protocol.WorkspaceFolder{
				{URI: uriOf("file://" + first), Name: "first"},
				{URI: uriOf("file://" + second), Name: "second"},
			}),
		},
	})
	c.waitDiagnostics("file://"+filepath.Join(first, "a.js"), hasRule("LK000"))
	opened := "file://" + filepath.Join(second, "b.js")
	c.open(opened, "javascript", bad)
	c.waitDiagnostics(opened, hasRule("LK000"))
}
