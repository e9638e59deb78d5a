package analysis

import (
	"os/exec"
	"path/filepath"
	"testing"

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
