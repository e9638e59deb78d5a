package analysis

import (
	"fmt"
	"runtime"
	"slices"
)

// The memory an analysis holds at its peak, per node and per edge of a
// snapshot, measured on snapshots written by Node 20 (the bigheap.js series
// from 50 MB to 5 GB, and real programs). A loaded snapshot takes 22 bytes
// per node (type, name, id, self size, detachedness, first edge, first
// retainer), 13 per edge (type, name, target, and the reverse edge) and
// its string table, about 10 bytes per node; the dominator tree's
// computation adds 24 bytes per node of scratch arrays at its peak.
// Reading a fingerprint takes 25 bytes per node of scratch (id, type, self
// size, edge count, and the entries and bytes of a possible holder); the
// fingerprint kept (ids and types, and the sizes of possible holders) takes
// about 12 bytes per node, and its id set alone 4.
const (
	loadedBytesPerNode        = 22 + 10
	dominatorBytesPerNode     = 24
	loadBytesPerEdge          = 13
	fingerprintScratchPerNode = 25
	fingerprintBytesPerNode   = 12
	idBytesPerNode            = 4
)

// MemoryNeeded returns about how many bytes loading the snapshot at path
// in full, with its dominator tree, takes at its peak, from the node and
// edge counts in its header.
func MemoryNeeded(path string) (int64, error) {
	nodes, edges, err := readCounts(path)
	if err != nil {
		return 0, err
	}
	return nodes*(loadedBytesPerNode+dominatorBytesPerNode) + edges*loadBytesPerEdge, nil
}

// SeriesMemoryNeeded returns about how many bytes DiffSeries takes at its
// peak on the snapshots earlier (the baseline, the steps and, unless it is
// the final, the target) and final, from the counts in their headers: the
// largest of the reading of the earlier snapshots' fingerprints (as many
// at a time as there are cores), the final's load beside those
// fingerprints, and its dominator tree beside their id sets.
func SeriesMemoryNeeded(earlier []string, final string) (int64, error) {
	nodes := make([]int64, len(earlier))
	var sum int64
	for i, path := range earlier {
		n, _, err := readCounts(path)
		if err != nil {
			return 0, err
		}
		nodes[i], sum = n, sum+n
	}
	slices.Sort(nodes)
	var reading int64
	for _, n := range nodes[max(len(nodes)-runtime.GOMAXPROCS(0), 0):] {
		reading += n * (fingerprintScratchPerNode - fingerprintBytesPerNode)
	}
	reading += sum * fingerprintBytesPerNode
	n, e, err := readCounts(final)
	if err != nil {
		return 0, err
	}
	loaded := n*loadedBytesPerNode + e*loadBytesPerEdge
	return max(reading, loaded+sum*fingerprintBytesPerNode, loaded+n*dominatorBytesPerNode+sum*idBytesPerNode), nil
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
