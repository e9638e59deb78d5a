package syntax

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// rssKiB returns the resident set size of this process in KiB (Linux).
func rssKiB(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				t.Fatalf("parsing VmRSS %q: %v", rest, err)
			}
			return kb
		}
	}
	t.Skip("VmRSS not found")
	return 0
}

// TestParseMemoryFlat parses the same sources 20,000 times and requires the
// resident set to stay flat: every tree-sitter parser, tree and cursor is
// freed. A leak of the C tree alone (kilobytes per parse of this source)
// would add well over the limit.
func TestParseMemoryFlat(t *testing.T) {
	src := []byte(strings.Repeat(`
import { EventEmitter } from 'node:events';
export const bus = new EventEmitter();
export function handler(req, res) {
  const onTick = (t) => res.write(String(t));
  bus.on('tick', onTick);
  res.on('close', () => bus.off('tick', onTick));
}
`, 2) + "broken(( ;\n")
	langs := []Lang{JavaScript, TypeScript, TSX}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	parse := func(i int) {
		c := context.Background()
		if i%2 == 0 {
			c = ctx // a cancellable context: the cancellation watch too
		}
		tr, err := Parse(c, langs[i%len(langs)], src)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Len() == 0 {
			t.Fatal("empty tree")
		}
	}
	rssFlat(t, parse, 2000, 20000, "parses", "tree-sitter objects are leaking")
}

// rssFlat calls parse warm times (grammars, allocator arenas, the Go heap
// warm up), then n times, and fails t with the message leaking when the
// process's RSS grew by more than 32 MiB over those n calls.
func rssFlat(t *testing.T, parse func(i int), warm, n int, what, leaking string) {
	t.Helper()
	settle := func() int {
		runtime.GC()
		debug.FreeOSMemory()
		return rssKiB(t)
	}
	for i := range warm {
		parse(i)
	}
	before := settle()
	for i := range n {
		parse(i)
	}
	after := settle()
	growth := after - before
	t.Logf("RSS %d KiB before, %d KiB after %d %s (%+d KiB)", before, after, n, what, growth)
	if growth > 32<<10 {
		t.Errorf("RSS grew by %d KiB over %d %s: %s", growth, n, what, leaking)
	}
}
