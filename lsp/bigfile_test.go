package lsp_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
	"github.com/leakls/leakls/staticcheck"
	"go.lsp.dev/protocol"
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

// TestServeMaxFileSize runs the real leakls binary on a document of 2.2
// MiB, between the default size limit and 4 MiB: by default it is not
// analysed (the log says it is too large, and its diagnostics are empty);
// with --max-file-size 4194304 its findings are published.
func TestServeMaxFileSize(t *testing.T) {
	bin := testenv.BuildLeakls(t)
	text := leakyFile(50_000)
	if n := len(text); n <= staticcheck.MaxFileSize || n >= 4<<20 {
		t.Fatalf("the document has %d bytes, not between 2 and 4 MiB", n)
	}
	tooLarge := fmt.Sprintf("bundle.js: it is %d bytes, larger than the %d-byte limit", len(text), staticcheck.MaxFileSize)
	for _, tc := range []struct {
		flags []string
		want  func(*client, string)
	}{
		{nil, func(c *client, uri string) {
			c.waitFor("the log line saying the document is too large", func() bool {
				return slices.ContainsFunc(c.logs, func(l string) bool { return strings.Contains(l, tooLarge) })
			})
			if p := c.waitDiagnostics(uri, func(published) bool { return true }); p.raw != "[]" {
				t.Errorf("without --max-file-size: published %s, want []", p.raw)
			}
		}},
		{[]string{"--max-file-size", "4194304"}, func(c *client, uri string) {
			c.waitDiagnostics(uri, hasRule("LK000"))
		}},
	} {
		srv := startServe(t, bin, tc.flags...)
		c := dialProcess(t, srv.stdin, srv.stdout)
		c.initialize(nil)
		uri := "file://" + filepath.Join(t.TempDir(), "bundle.js")
		c.open(uri, "javascript", text)
		tc.want(c, uri)
		c.mustCall(protocol.MethodShutdown, nil, nil)
		c.notify(protocol.MethodExit, nil)
		if code, err := srv.exit(t); code != 0 {
			t.Errorf("serve %q: exit code %d (%v), want 0", tc.flags, code, err)
		}
	}
}
