package analysis

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// TestParallelMatchesSequential loads snapshots written by node with one
// goroutine and with several decoding the number arrays, and compares the
// results array by array: a plain one, and the final snapshot of a series
// taken with allocation tracking (trace node ids among the node fields).
func TestParallelMatchesSequential(t *testing.T) {
	_, _, traced := snapshotFiles(fixture(t, "orders.js"))
	for _, path := range []string{realSnapshot(t), traced} {
		one, err := Load(path, LoadOptions{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{0, 2, 3, 7} {
			many, err := Load(path, LoadOptions{Workers: workers})
			if err != nil {
				t.Fatalf("%d workers: %v", workers, err)
			}
			sameGraph(t, many, one)
			if !reflect.DeepEqual(many.traceNode, one.traceNode) {
				t.Errorf("%d workers: trace node ids differ", workers)
			}
		}
	}
}

// TestDecodeParallel splits the nodes and edges arrays of a real snapshot
// into ranges for several workers and checks that the records they
// deliver, put back in place, are the arrays the sequential decoder reads.
func TestDecodeParallel(t *testing.T) {
	data, err := os.ReadFile(realSnapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	ra := bytes.NewReader(data)
	for _, section := range []struct {
		key    string
		stride int
	}{{`"nodes":`, 7}, {`"edges":`, 3}} {
		open := int64(bytes.Index(data, []byte(section.key)) + len(section.key))
		if data[open] != '[' {
			t.Fatalf("%s is not followed by '['", section.key)
		}
		sc := newScanner(bytes.NewReader(data[open:]), open, int64(len(data))-open)
		var want []uint32
		if err := sc.uints(section.stride, func(v []uint32) error { want = append(want, v...); return nil }); err != nil {
			t.Fatal(err)
		}
		arr, found := scanArray(ra, int64(len(data)), open)
		if !found || arr.values() != int64(len(want)) {
			t.Fatalf("%s: the pre-scan counts %d values (found %v), the array holds %d", section.key, arr.values(), found, len(want))
		}
		for _, workers := range []int{2, 5, len(arr.commas) + 3} {
			got := make([]uint32, len(want))
			ok := decodeParallel(ra, &arr, section.stride, workers, func(first int, v []uint32) error {
				copy(got[first*section.stride:], v)
				return nil
			}, nil)
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("%s with %d workers: decoded %v, the values differ: %v", section.key, workers, ok, !reflect.DeepEqual(got, want))
			}
		}
	}
}
