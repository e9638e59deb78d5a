package analysis

import (
	"bytes"
	"io"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// onlyReader hides every method but Read, forcing the sequential parser.
type onlyReader struct{ io.Reader }

// sameGraph compares everything two loads of one file must agree on.
func sameGraph(t *testing.T, a, b *Snapshot) {
	t.Helper()
	aFirst, aRetainers := a.reverse()
	bFirst, bRetainers := b.reverse()
	for _, f := range []struct {
		name string
		x, y any
	}{
		{"meta", a.meta, b.meta}, {"node types", a.nodeType, b.nodeType}, {"node names", a.nodeName, b.nodeName},
		{"ids", a.nodeID, b.nodeID}, {"self sizes", a.selfSize, b.selfSize}, {"detachedness", a.detached, b.detached},
		{"first edges", a.firstEdge, b.firstEdge}, {"edge types", a.edgeType, b.edgeType}, {"edge names", a.edgeName, b.edgeName},
		{"edge targets", a.edgeTarget, b.edgeTarget}, {"retainers", aRetainers, bRetainers}, {"first retainers", aFirst, bFirst},
		{"strings", a.strs, b.strs}, {"string offsets", a.strOff, b.strOff}, {"locations", a.locations, b.locations},
		{"location nodes", a.locationNode, b.locationNode},
	} {
		if !reflect.DeepEqual(f.x, f.y) {
			t.Errorf("%s differ", f.name)
		}
	}
}

// TestSpeculationMatchesSequential loads a real snapshot with helpers
// (from a file) and without (from a plain reader).
func TestSpeculationMatchesSequential(t *testing.T) {
	path := realSnapshot(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < minSpeculationSize {
		t.Fatalf("the real snapshot (%d bytes) is too small to exercise the helpers", len(data))
	}
	fast := mustRead(t, Load, path)
	slow, err := LoadReader(onlyReader{bytes.NewReader(data)}, int64(len(data)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameGraph(t, fast, slow)
}

// TestSpeculationDecoys hides decoy "edges" and "strings" keys in unknown
// sections where the helpers find them first: the parser must notice and
// decode the real sections itself, and a broken real section must still be
// reported.
func TestSpeculationDecoys(t *testing.T) {
	valid := string(validSnapshot(t))
	pad := strings.Repeat(" ", minSpeculationSize)
	decoyEdges := `"x":{"edges":[0,0,0]},` + pad
	withDecoys := strings.Replace(valid, `"edges":`, decoyEdges+`"edges":`, 1)
	withDecoys = strings.TrimSuffix(strings.TrimSpace(withDecoys), "}") + `,"y":{"strings":["decoy"]}}`
	want, err := LoadReader(onlyReader{strings.NewReader(withDecoys)}, int64(len(withDecoys)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadReader(strings.NewReader(withDecoys), int64(len(withDecoys)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameGraph(t, got, want)

	// A real section the helpers decode, with an error in it.
	padded := strings.Replace(valid, `"edges":`, `"x":{},`+pad+`"edges":`, 1)
	broken := strings.Replace(padded, `,6,8,30`, `,6,8,31`, 1)
	_, err = LoadReader(strings.NewReader(broken), int64(len(broken)), LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "parsing edges at byte") || !strings.Contains(err.Error(), "nodes-array index 31") {
		t.Errorf("broken edges: %v", err)
	}
	if _, err := LoadReader(strings.NewReader(padded), int64(len(padded)), LoadOptions{}); err != nil {
		t.Errorf("padded: %v", err)
	}
}

// TestFindKeyBlocks places the strings key across, at and just before the
// boundaries of findKey's reads, after a "strings" that is not a key and
// before string values that look like one.
func TestFindKeyBlocks(t *testing.T) {
	const key = `"strings" : [`
	for _, at := range []int{0, 5, searchBlock - 20, searchBlock - 4, searchBlock - 1, searchBlock, searchBlock + 1, 2*searchBlock - 3} {
		input := []byte(strings.Repeat("1,", at/2+1)[:at] + key + `"\"strings\":[","strings",":"]}`)
		if at > 20 {
			copy(input[10:], `"strings",`)
		}
		for _, from := range []int64{0, int64(at)} {
			var stop atomic.Bool
			if got := findKey(bytes.NewReader(input), from, int64(len(input)), "strings", &stop); got != int64(at) {
				t.Errorf("key at %d, searched from %d: found at %d", at, from, got)
			}
		}
	}
	var stop atomic.Bool
	if got := findKey(strings.NewReader(`[1,"strings",2]`), 0, 15, "strings", &stop); got != -1 {
		t.Errorf("found a key at %d in an array without one", got)
	}
}
