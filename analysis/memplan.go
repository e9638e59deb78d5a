package analysis

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync/atomic"
	"time"
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
	h, err := ReadHeader(path)
	if err != nil {
		return 0, err
	}
	return h.MemoryNeeded(), nil
}

// MemoryNeeded returns about how many bytes loading the snapshot h
// describes in full, with its dominator tree, takes at its peak.
func (h *Header) MemoryNeeded() int64 { return h.dominated() }

// SeriesMemoryNeeded returns about how many bytes DiffSeries takes at its
// peak on the snapshots earlier (the baseline, the steps and, unless it is
// the final, the target) and final, from the counts in their headers: the
// largest of the reading of the earlier snapshots' fingerprints (as many
// at a time as there are cores), the final's load beside those
// fingerprints, and its dominator tree beside their id sets.
func SeriesMemoryNeeded(earlier []*Header, final *Header) int64 {
	nodes := make([]int64, len(earlier))
	var sum int64
	for i, h := range earlier {
		nodes[i], sum = h.nodes, sum+h.nodes
	}
	slices.Sort(nodes)
	var reading int64
	for _, n := range nodes[max(len(nodes)-runtime.GOMAXPROCS(0), 0):] {
		reading += n * (fingerprintScratchPerNode - fingerprintBytesPerNode)
	}
	reading += sum * fingerprintBytesPerNode
	return max(reading, final.loaded()+sum*fingerprintBytesPerNode, final.dominated()+sum*idBytesPerNode)
}

// Header is what ReadHeader learns of a snapshot file before it is
// loaded: the node and edge counts its header declares, and where its
// strings section starts. Given to Load (LoadOptions.Header), it spares
// the loader a second search for that section.
type Header struct {
	size    int64
	modTime time.Time
	nodes   int64
	edges   int64
	// stringsAt is the offset of the "strings" key, -1 when it is not in
	// the last quarter of the file.
	stringsAt int64
	strings   int64 // bytes of the strings section, -1 when not known
}

// loaded returns about how many bytes the snapshot takes once loaded.
func (h *Header) loaded() int64 {
	strs := h.strings
	if strs < 0 {
		strs = h.nodes * stringBytesPerNode
	}
	return h.nodes*loadedBytesPerNode + h.edges*loadBytesPerEdge + strs
}

// dominated returns the bytes a loaded snapshot takes while its dominator
// tree is computed (see the constants above).
func (h *Header) dominated() int64 {
	return h.loaded() + h.nodes*dominatorBytesPerNode + h.edges*dominatorBytesPerEdge
}

// ReadHeader reads the node and edge counts from the header of the
// snapshot at path, and finds its strings section the way the loader does
// in the last quarter of the file (V8 writes it last).
func ReadHeader(path string) (*Header, error) {
	f, info, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := info.Size()
	p := &parser{size: size, s: &Snapshot{}}
	if err := p.begin(f, LoadOptions{}); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h := &Header{size: size, modTime: info.ModTime(), nodes: p.declaredNodes, edges: p.declaredEdges, stringsAt: -1, strings: -1}
	// A section of more than a quarter of the file is bounded instead of
	// searched through: by the bytes the nodes and edges arrays leave.
	tail := size / 4
	var stop atomic.Bool
	if at := findKey(f, size-tail, size, "strings", &stop); at >= 0 {
		h.stringsAt, h.strings = at, size-at
	} else if rest := size - p.arraysBytes(); rest > tail {
		h.strings = rest
	}
	return h, nil
}

// stringsKey returns the offset of the strings section's key in the file
// f, whose Stat is info, that h describes, or -1 when h does not know it,
// or describes another file or an earlier version of this one (its size or
// modification time differ, or the key is not at the offset).
func (h *Header) stringsKey(f *os.File, info os.FileInfo) int64 {
	size := info.Size()
	if h == nil || h.stringsAt < 0 || h.size != size || !info.ModTime().Equal(h.modTime) {
		return -1
	}
	key := []byte(`"strings"`)
	buf := make([]byte, min(64, size-h.stringsAt))
	if _, err := f.ReadAt(buf, h.stringsAt); err != nil || !bytes.HasPrefix(buf, key) || !followedByArray(buf[len(key):]) {
		return -1
	}
	return h.stringsAt
}
