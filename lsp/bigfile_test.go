package lsp_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/leakls/leakls/lsp"
	"github.com/leakls/leakls/staticcheck"
)

// TestBigDocumentsDoNotBlock opens as many big documents as the machine
// has processors and holds their analysis (a hook in the check waits until
// the test releases it, as the analysis of a bundle of megabytes takes
// seconds): the edits of a small document opened meanwhile must still get
// their diagnostics, version after version, and an edit of the big
// document being analysed must cancel that analysis.
func TestBigDocumentsDoNotBlock(t *testing.T) {
	checker := staticcheck.NewChecker(16 << 20)
	started := make(chan string, 16)   // paths of the held analyses, as they start
	cancelled := make(chan string, 16) // paths of the held analyses cancelled
	release := make(chan struct{})
	check := func(ctx context.Context, req staticcheck.Request) (*staticcheck.Result, error) {
		path := req.Files[0].Path
		if strings.HasPrefix(filepath.Base(path), "bundle") {
			started <- path
			select {
			case <-release:
			case <-ctx.Done():
				cancelled <- path
				return nil, ctx.Err()
			}
		}
		return checker.Check(ctx, req)
	}
	c := newClient(t, lsp.Options{Check: check})
	c.initialize(nil)
	dir := t.TempDir()
	big := leakyFile(10_000)
	if len(big) < 256<<10 {
		t.Fatalf("the big document has %d bytes, fewer than the server's threshold", len(big))
	}
	var bundles []string
	for i := range runtime.GOMAXPROCS(0) {
		uri := "file://" + filepath.Join(dir, fmt.Sprintf("bundle%d.js", i))
		bundles = append(bundles, uri)
		c.open(uri, "javascript", big)
	}
	running := "file://" + <-started

	small := "file://" + filepath.Join(dir, "small.js")
	c.open(small, "javascript", "let x = 1;\n// leakls-ignore\nx++;\n")
	c.waitDiagnostics(small, hasRule("LK000"))
	for v := int32(2); v <= 4; v++ {
		c.change(small, v, rng(0, 0, 0, 0), "\n")
		c.waitDiagnostics(small, func(p published) bool { return p.version == v && hasRule("LK000")(p) })
	}

	c.change(running, 2, rng(0, 0, 0, 0), "\n")
	if got := "file://" + <-cancelled; got != running {
		t.Errorf("the edit of %s cancelled the analysis of %s", running, got)
	}
	close(release)
	for _, uri := range bundles {
		c.waitDiagnostics(uri, hasRule("LK000"))
	}
}
