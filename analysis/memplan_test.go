package analysis

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// TestMemoryNeededStrings writes two snapshots with real node, the second
// after keeping 4,000 unique texts of 1,000 characters: the estimate of
// loading it grows by most of their 4 MB, which the string table holds,
// although they add only 4,000 nodes (about 0.2 MB at the bytes per node).
func TestMemoryNeededStrings(t *testing.T) {
	node := testenv.Node(t)
	dir := t.TempDir()
	const script = `
const v8 = require('v8');
v8.writeHeapSnapshot(process.argv[1] + '/plain.heapsnapshot');
globalThis.texts = Array.from({length: 4000}, (_, i) => ('text ' + i + ' ').padEnd(1000, 'abcdefghij'));
v8.writeHeapSnapshot(process.argv[1] + '/texts.heapsnapshot');
`
	if out, err := exec.Command(node, "-e", script, dir).CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	plain, err := MemoryNeeded(filepath.Join(dir, "plain.heapsnapshot"))
	if err != nil {
		t.Fatal(err)
	}
	texts, err := MemoryNeeded(filepath.Join(dir, "texts.heapsnapshot"))
	if err != nil {
		t.Fatal(err)
	}
	if texts-plain < 3000*1000 {
		t.Errorf("the estimate grew by %d bytes with 4 MB of text: %d, then %d", texts-plain, plain, texts)
	}
}

// textsSnapshot writes, with real node, a snapshot of more than 4 MB (the
// size from which the loader decodes the strings section on its own
// goroutine) that keeps 4,000 unique texts, and returns its path.
func textsSnapshot(t *testing.T) string {
	t.Helper()
	node := testenv.Node(t)
	path := filepath.Join(t.TempDir(), "texts.heapsnapshot")
	const script = `
globalThis.texts = Array.from({length: 4000}, (_, i) => ('text ' + i + ' ').padEnd(1000, 'abcdefghij'));
require('v8').writeHeapSnapshot(process.argv[1]);
`
	if out, err := exec.Command(node, "-e", script, path).CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	return path
}

// sameLoad checks that the snapshot at path loaded with header h is the
// one loaded without.
func sameLoad(t *testing.T, path string, h *Header, want *Snapshot) {
	t.Helper()
	got, err := Load(path, LoadOptions{Header: h})
	if err != nil {
		t.Fatal(err)
	}
	sameGraph(t, got, want)
}

// TestHeaderStringsUsed checks that ReadHeader finds the strings key
// where the loader's own search does, and that Load takes that offset
// from the header rather than searching again.
func TestHeaderStringsUsed(t *testing.T) {
	path := textsSnapshot(t)
	h, err := ReadHeader(path)
	if err != nil {
		t.Fatal(err)
	}
	f, info, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	size := info.Size()
	if size < minSpeculationSize {
		t.Fatalf("the snapshot has %d bytes, fewer than the %d from which the strings section is decoded apart", size, minSpeculationSize)
	}
	var stop atomic.Bool
	want := findKey(f, 0, size, "strings", &stop)
	if want < 0 || h.stringsAt != want {
		t.Fatalf("ReadHeader found the strings key at %d, the loader's search at %d", h.stringsAt, want)
	}
	if at := h.stringsKey(f, info); at != want {
		t.Errorf("the loader takes the strings key at %d from the header, want %d", at, want)
	}
	plain, err := Load(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameLoad(t, path, h, plain)
}

// TestHeaderStale checks that a header that no longer describes the file
// is not used: another offset, the file rewritten with another size, or
// with the same size and another modification time. Load then searches
// for the strings section again and reads the same snapshot.
func TestHeaderStale(t *testing.T) {
	path := textsSnapshot(t)
	plain, err := Load(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() *Header {
		h, err := ReadHeader(path)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	stale := func(what string, h *Header) {
		t.Helper()
		f, info, err := open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if at := h.stringsKey(f, info); at >= 0 {
			t.Errorf("%s: the loader takes the strings key at %d from a stale header", what, at)
		}
		sameLoad(t, path, h, plain)
	}

	moved := fresh()
	moved.stringsAt -= 100
	stale("another offset", moved)

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before := fresh()
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	stale("a longer file", before)

	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	before = fresh()
	later := before.modTime.Add(time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	stale("another modification time", before)
}
