package analysis

import "fmt"

// The memory an analysis holds at its peak, per node and per edge of a
// snapshot, measured on snapshots written by Node 20 (the bigheap.js series
// from 50 MB to 5 GB, and real programs). A loaded snapshot takes 22 bytes
// per node (type, name, id, self size, detachedness, first edge, first
// retainer), 13 per edge (type, name, target, and the reverse edge) and
// its string table, about 10 bytes per node; the dominator tree's
// computation adds 24 bytes per node of scratch arrays at its peak. A
// fingerprint (the baseline and target of a three-snapshot diff) keeps ids
// and types, and the sizes of possible holders: on the 400 MB series the
// diff's live heap peaked 56 MB above the final's summary, 10 bytes per
// node of the baseline and target.
const (
	loadBytesPerNode        = 22 + 10 + 24
	loadBytesPerEdge        = 13
	fingerprintBytesPerNode = 12
)

// MemoryNeeded returns about how many bytes analysing the snapshot at path
// takes at its peak, from the node and edge counts in its header: loaded
// in full, with its dominator tree, when full is set, else read as a
// fingerprint (ReadFingerprint).
func MemoryNeeded(path string, full bool) (int64, error) {
	nodes, edges, err := readCounts(path)
	if err != nil {
		return 0, err
	}
	if !full {
		return nodes * fingerprintBytesPerNode, nil
	}
	return nodes*loadBytesPerNode + edges*loadBytesPerEdge, nil
}

// readCounts reads the node and edge counts from the header of the
// snapshot at path.
func readCounts(path string) (nodes, edges int64, err error) {
	f, size, err := open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	p := &parser{size: size, s: &Snapshot{}}
	if err := p.begin(f, LoadOptions{}); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	return p.declaredNodes, p.declaredEdges, nil
}
