package analysis

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync/atomic"
)

// The memory an analysis holds at its peak, per node and per edge of a
// snapshot, measured on snapshots written by Node 20 (the bigheap.js series
// from 50 MB to 5 GB, and real programs). A loaded snapshot takes 18 bytes
// per node (type, name, id, self size, detachedness, first edge), 9 per
// edge (type, name, target) and its string table, no more than the bytes
// of the file's "strings" section (about 10 bytes per node in the
// snapshots of most programs, but most of the file in a heap of long
// texts); the dominator tree's computation adds 20 bytes per node and 4
// per retaining edge at its peak (its results reuse those arrays).
// Reading a fingerprint takes 25 bytes per node of scratch (id, type, self
// size, edge count, and the entries and bytes of a possible holder); the
// fingerprint kept (ids and types, and the sizes of possible holders) takes
// about 12 bytes per node, and its id set alone 4.
const (
	loadedBytesPerNode        = 18
	stringBytesPerNode        = 10 // when the strings section cannot be found
	dominatorBytesPerNode     = 20
	dominatorBytesPerEdge     = 4
	loadBytesPerEdge          = 9
	fingerprintScratchPerNode = 25
	fingerprintBytesPerNode   = 12
	idBytesPerNode            = 4
)

// MemoryNeeded returns about how many bytes loading the snapshot at path
// in full, with its dominator tree, takes at its peak, from the node and
// edge counts in its header and the size of its strings section.
func MemoryNeeded(path string) (int64, error) {
	c, err := readCounts(path)
	if err != nil {
		return 0, err
	}
	return c.dominated(), nil
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
		c, err := readCounts(path)
		if err != nil {
			return 0, err
		}
		nodes[i], sum = c.nodes, sum+c.nodes
	}
	slices.Sort(nodes)
	var reading int64
	for _, n := range nodes[max(len(nodes)-runtime.GOMAXPROCS(0), 0):] {
		reading += n * (fingerprintScratchPerNode - fingerprintBytesPerNode)
	}
	reading += sum * fingerprintBytesPerNode
	c, err := readCounts(final)
	if err != nil {
		return 0, err
	}
	return max(reading, c.loaded()+sum*fingerprintBytesPerNode, c.dominated()+sum*idBytesPerNode), nil
}

// counts are the measures of a snapshot file its memory is estimated
// from.
type counts struct {
	nodes, edges int64
	strings      int64 // bytes of the strings section, -1 when not found
}

// loaded returns about how many bytes the snapshot takes once loaded.
func (c counts) loaded() int64 {
	strs := c.strings
	if strs < 0 {
		strs = c.nodes * stringBytesPerNode
	}
	return c.nodes*loadedBytesPerNode + c.edges*loadBytesPerEdge + strs
}

// dominated returns the bytes a loaded snapshot takes while its dominator
// tree is computed (see the constants above).
func (c counts) dominated() int64 {
	return c.loaded() + c.nodes*dominatorBytesPerNode + c.edges*dominatorBytesPerEdge
}

// readCounts reads the node and edge counts from the header of the
// snapshot at path, and finds its strings section the way the loader does
// (searching backward from the end, where V8 writes it) in the last
// quarter of the file.
func readCounts(path string) (counts, error) {
	f, size, err := open(path)
	if err != nil {
		return counts{}, err
	}
	defer f.Close()
	p := &parser{size: size, s: &Snapshot{}}
	if err := p.begin(f, LoadOptions{}); err != nil {
		return counts{}, fmt.Errorf("%s: %w", path, err)
	}
	c := counts{nodes: p.declaredNodes, edges: p.declaredEdges, strings: -1}
	// A section of more than a quarter of the file is bounded instead of
	// searched through: by the bytes the nodes and edges arrays leave, at
	// least two a number (a digit and a comma).
	tail := size / 4
	var stop atomic.Bool
	if at := findKeyBackward(io.NewSectionReader(f, size-tail, tail), tail, "strings", &stop); at >= 0 {
		c.strings = tail - at
	} else if rest := size - c.nodes*2*int64(p.lay.nodeFields) - c.edges*2*int64(p.lay.edgeFields); rest > tail {
		c.strings = rest
	}
	return c, nil
}
