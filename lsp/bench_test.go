package lsp_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
	"github.com/leakls/leakls/staticcheck"
)

// BenchmarkDidChangeToDiagnostics measures the latency from a didChange to
// the publishDiagnostics of that version, on a 5,000-line file, with the
// server's default debounce. Each edit is sent once the previous one's
// diagnostics arrived, as single keystrokes come (a burst of edits is
// debounced: TestBurstOfEditsCoalesced).
// Each edit inserts or removes a line at the top, which moves every finding,
// so every version is published. It reports the p50 and p95 latencies.
//
// "alone" is a file without imports; "neighbours" is the same file in a
// workspace where it imports eight 1,000-line modules and two modules
// import it, all of which are analysed with it on every edit.
func BenchmarkDidChangeToDiagnostics(b *testing.B) {
	b.Run("alone", func(b *testing.B) {
		c := newClient(b, lsp.Options{Log: discard{}})
		c.initialize(nil)
		uri := "file://" + filepath.Join(b.TempDir(), "big.js")
		text := leakyFile(5000)
		c.open(uri, "javascript", text)
		c.waitDiagnostics(uri, hasRule("LK000"))
		benchEdits(b, c, uri, text)
	})
	b.Run("neighbours", func(b *testing.B) {
		dir := b.TempDir()
		var imports strings.Builder
		for i := range 8 {
			fmt.Fprintf(&imports, "const m%d = require('./lib%d');\n", i, i)
			writeFile(b, filepath.Join(dir, fmt.Sprintf("lib%d.js", i)), leakyFile(1000)+"module.exports = { v1 };\n")
		}
		for i := range 2 {
			writeFile(b, filepath.Join(dir, fmt.Sprintf("user%d.js", i)), "const { pending } = require('./big');\nfunction done(id) { pending.delete(id); }\n"+leakyFile(1000))
		}
		text := imports.String() + "const pending = new Map();\nfunction track(job) { pending.set(job.id, job); }\nmodule.exports = { pending, track };\n" + leakyFile(5000)
		path := filepath.Join(dir, "big.js")
		writeFile(b, path, text)
		c := newClient(b, lsp.Options{Log: discard{}})
		c.initializeIn(dir, nil)
		uri := "file://" + path
		c.open(uri, "javascript", text)
		// Without its importers, the Map would be flagged (LK001): once it
		// is not, the module graph is loaded and the neighbours analysed.
		c.waitDiagnostics(uri, func(p published) bool { return hasRule("LK000")(p) && !hasRule("LK001")(p) })
		benchEdits(b, c, uri, text)
	})
}

// benchEdits runs b.N single-line edits at the top of the open document at
// uri, waiting for each version's diagnostics, and reports the latencies.
func benchEdits(b *testing.B, c *client, uri, text string) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var lat []time.Duration
	version := int32(1)
	b.ResetTimer()
	for range b.N {
		version++
		start := time.Now()
		if version%2 == 0 {
			c.change(uri, version, rng(0, 0, 0, 0), "\n")
		} else {
			c.change(uri, version, rng(0, 0, 1, 0), "")
		}
		v := version
		c.waitFor("the diagnostics of the edit", func() bool {
			list := c.diags[uri]
			return list[len(list)-1].version == v
		})
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkEditBesideBigDocument measures the latency from a didChange to
// the publishDiagnostics of that version on a small open document (200
// lines), alone and while a big one is analysed again and again in the
// background: another goroutine edits the big document each time its
// diagnostics arrive. The big document is a generated file just under the
// default size limit (staticcheck.MaxFileSize), or a real bundle of 3.9 MB
// (typescriptBundle), the size of the one in issue 17, under a 4 MiB limit
// (Options.MaxFileSize, `leakls serve --max-file-size 4194304`). It
// reports the p50 and p95 latencies of the small document and, beside the
// big one, the time to the big document's first diagnostics, how many of
// its analyses finished meanwhile and their mean latency (big-edit-ms).
func BenchmarkEditBesideBigDocument(b *testing.B) {
	b.Run("alone", func(b *testing.B) {
		c := newClient(b, lsp.Options{Log: discard{}})
		c.initialize(nil)
		benchSmall(b, c, b.TempDir())
	})
	b.Run("beside-2MiB", func(b *testing.B) {
		big := leakyFile(staticcheck.MaxFileSize / 38)
		big = big[:strings.LastIndexByte(big[:staticcheck.MaxFileSize], '\n')+1]
		benchBesideBig(b, lsp.Options{Log: discard{}}, big)
	})
	b.Run("beside-3.9MB", func(b *testing.B) {
		benchBesideBig(b, lsp.Options{Log: discard{}, MaxFileSize: 4 << 20}, typescriptBundle(b, 3_900_000))
	})
}

// benchBesideBig measures the edits of a small document while the document
// big is edited and analysed over and over, on a server configured by
// opts. Each analysis of big must publish LK000 at its top.
func benchBesideBig(b *testing.B, opts lsp.Options, big string) {
	c := newClient(b, opts)
	c.initialize(nil)
	dir := b.TempDir()
	bigURI := "file://" + filepath.Join(dir, "bundle.js")
	start := time.Now()
	c.open(bigURI, "javascript", big)
	c.waitDiagnostics(bigURI, hasRule("LK000"))
	first := time.Since(start)

	stop := make(chan struct{})
	var analyses int
	var mean time.Duration
	done := make(chan struct{})
	go func() {
		analyses, mean = editUntil(c, bigURI, stop)
		close(done)
	}()
	benchSmall(b, c, dir)
	close(stop)
	<-done
	b.ReportMetric(float64(first.Milliseconds()), "big-first-ms")
	b.ReportMetric(float64(analyses), "big-analyses")
	b.ReportMetric(float64(mean.Milliseconds()), "big-edit-ms")
}

// typescriptBundle returns a real bundle of at most size bytes: the
// TypeScript compiler as its npm package ships it (typescript/lib/_tsc.js,
// one 6.2 MB esbuild bundle, from the npm tools the tests install), its
// modules (the sections esbuild heads with a "// src/…" comment) in order
// up to the first that does not fit, without the type checker (one 2.1 MB
// function, the only module over 1 MiB). It starts with a leakls-ignore
// comment without a rule (LK000), so that an edit at the top moves a
// finding and each version is published.
func typescriptBundle(b *testing.B, size int) string {
	b.Helper()
	path := filepath.Join(testenv.NPMModules(b, filepath.Join(testenv.RepoRoot(b), "testdata", "npm")), "typescript", "lib", "_tsc.js")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	const head = "\n// src/"
	modules := strings.Split(string(data), head)
	var out strings.Builder
	out.WriteString("// leakls-ignore\n" + modules[0])
	for _, m := range modules[1:] {
		if len(m) > 1<<20 {
			continue
		}
		if out.Len()+len(head)+len(m) > size {
			break
		}
		out.WriteString(head + m)
	}
	if out.Len() < size*9/10 {
		b.Fatalf("%s gave a bundle of %d bytes, want about %d", path, out.Len(), size)
	}
	return out.String()
}

// benchSmall opens a small document in dir and measures its edits.
func benchSmall(b *testing.B, c *client, dir string) {
	small := "file://" + filepath.Join(dir, "small.js")
	text := leakyFile(200)
	c.open(small, "javascript", text)
	c.waitDiagnostics(small, hasRule("LK000"))
	benchEdits(b, c, small, text)
}

// editUntil edits the open document uri each time the diagnostics of its
// previous version arrive, until stop is closed, and returns how many
// versions were published and their mean latency, from the edit to its
// diagnostics.
func editUntil(c *client, uri string, stop <-chan struct{}) (int, time.Duration) {
	published := 0
	var total time.Duration
	for v := int32(2); ; v++ {
		start := time.Now()
		if v%2 == 0 {
			c.change(uri, v, rng(0, 0, 0, 0), "\n")
		} else {
			c.change(uri, v, rng(0, 0, 1, 0), "")
		}
		for {
			c.mu.Lock()
			list := c.diags[uri]
			done := len(list) > 0 && list[len(list)-1].version == v
			ch := c.changed
			c.mu.Unlock()
			if done {
				published++
				total += time.Since(start)
				break
			}
			select {
			case <-ch:
			case <-stop:
				return published, total / time.Duration(max(published, 1))
			}
		}
	}
}
