package lsp_test

import (
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// writeFile writes a file, creating its directory.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// initWorkspace initializes c with dir as its workspace folder.
func initWorkspace(c *client, dir string) {
	c.initialize(&protocol.InitializeParams{
		WorkspaceFoldersInitializeParams: protocol.WorkspaceFoldersInitializeParams{
			WorkspaceFolders: protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uriOf("file://" + dir), Name: "ws"}}),
		},
	})
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
	initWorkspace(c, dir)

	present := "file://" + filepath.Join(dir, "src", "present.js")
	c.waitDiagnostics(present, hasRule("LK000"))

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
