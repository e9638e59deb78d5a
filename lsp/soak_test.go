package lsp_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// rssBytes returns the resident set size of this process (the server runs
// in it), from /proc; 0 where /proc is missing.
func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// heapInUse returns the bytes of the Go heap in use (call after settle).
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// settle collects garbage and returns memory to the OS, so that RSS shows
// what is still held (Go heap and C memory from tree-sitter alike).
func settle() (rss int64, goroutines int) {
	runtime.GC()
	debug.FreeOSMemory()
	return rssBytes(), runtime.NumGoroutine()
}

// leakyFile returns a JavaScript file of n lines with a flagged comment
// every 100 lines.
func leakyFile(n int) string {
	var b strings.Builder
	for i := range n {
		if i%100 == 0 {
			b.WriteString("// leakls-ignore\n")
			continue
		}
		fmt.Fprintf(&b, "const v%d = compute(%d, 'value %d');\n", i, i, i)
	}
	return b.String()
}

// TestSoak makes 10,000 edits on a 2,000-line file, waiting for the
// diagnostics every 100 edits so that analyses run (and are cancelled)
// throughout, and checks that memory and goroutines stay flat: a leak
// detector that leaks (tree-sitter trees not closed, analyses not
// cancelled, timers piling up) fails here.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak test takes several seconds")
	}
	c := newClient(t, lsp.Options{Log: discard{}})
	c.initialize(nil)
	uri := "file://" + filepath.Join(t.TempDir(), "soak.js")
	const lines, edits = 2000, 10_000
	c.open(uri, "javascript", leakyFile(lines))
	c.waitDiagnostics(uri, hasRule("LK000"))
	rnd := rand.New(rand.NewPCG(1, 2))
	version, line := int32(1), uint32(0)
	run := func(n int) {
		for range n {
			version++
			// Insert a line at a random place, then delete it again, so that
			// the file keeps its size while its findings move.
			if version%2 == 0 {
				line = uint32(1 + rnd.IntN(lines-2))
				c.change(uri, version, rng(line, 0, line, 0), "x\n")
			} else {
				c.change(uri, version, rng(line, 0, line+1, 0), "")
			}
			if version%100 == 0 {
				c.hoverAt(uri, pos(0, 3)) // waits for the analysis of the latest version
				c.forgetHistory()
			}
		}
	}
	run(1000) // warm up: pools, caches, the heap's working size
	rss0, g0 := settle()
	heap0 := heapInUse()
	run(edits - 1000)
	rss1, g1 := settle()
	heap1 := heapInUse()
	// RSS includes C malloc's arenas, one per thread that parsed (Go runs
	// C calls on any of its threads), which grow to a high-water mark:
	// measured over 40,000 edits, RSS levels off at about 65 MB after
	// 15,000, while the Go heap in use stays at 3-4 MB throughout.
	t.Logf("after %d edits on %d lines: RSS %.1f MB -> %.1f MB, Go heap in use %.1f MB -> %.1f MB, goroutines %d -> %d",
		edits, lines, float64(rss0)/1e6, float64(rss1)/1e6, float64(heap0)/1e6, float64(heap1)/1e6, g0, g1)
	if heap1 > heap0+16<<20 {
		t.Errorf("the Go heap in use grew from %d MB to %d MB", heap0>>20, heap1>>20)
	}
	if g1 > g0+20 {
		t.Errorf("goroutines grew from %d to %d", g0, g1)
	}
	if rss0 > 0 && rss1 > rss0+150<<20 {
		t.Errorf("RSS grew from %d MB to %d MB", rss0>>20, rss1>>20)
	}
}

// forgetHistory drops what the client recorded but the last publication
// per document: in a long run, so that the test measures the server's
// memory, not the client's records (the two share the process).
func (c *client) forgetHistory() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for uri, list := range c.diags {
		if len(list) > 1 {
			c.diags[uri] = append([]published(nil), list[len(list)-1])
		}
	}
	c.logs, c.sent, c.progress = nil, nil, nil
}

// hoverAt asks for the hover at p and returns its markdown ("" for none).
func (c *client) hoverAt(uri string, p protocol.Position) string {
	c.t.Helper()
	var h *protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Position: p,
	}}, &h)
	if h == nil {
		return ""
	}
	m, ok := h.Contents.(*protocol.MarkupContent)
	if !ok {
		c.t.Fatalf("hover contents of type %T, want markup", h.Contents)
	}
	return m.Value
}

// discard is a log sink for long runs.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
