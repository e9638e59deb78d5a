package analysis

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
)

// IDSet is the set of node ids of a snapshot, for telling which objects of
// a later snapshot of the same process already existed. It is immutable.
type IDSet struct {
	// V8 numbers JS objects densely from 1 but gives native objects huge
	// ids, so ids below dense go into a bitmap (at most 4 bytes per id of
	// the set) and the rest into a sorted slice.
	dense  uint32
	bitmap []uint64
	sparse []uint32
	maxID  uint32
	n      int
}

// Has reports whether id is in the set.
func (s *IDSet) Has(id uint32) bool {
	if id < s.dense {
		return s.bitmap[id>>6]&(1<<(id&63)) != 0
	}
	_, ok := slices.BinarySearch(s.sparse, id)
	return ok
}

// tracked reports whether id names the same object in every snapshot of a
// process. V8 numbers heap objects, and embedder objects that expose their
// native address, from one counter in steps of two, so these ids are odd.
// The other embedder nodes ("Node / std::basic_string", ...) get an even id
// made from the address of a graph node V8 builds anew for each snapshot: a
// later snapshot may give the same id to another object, or the same
// object another id, so an even id says nothing about when an object was
// allocated.
func tracked(id uint32) bool { return id&1 == 1 }

// MaxID returns the largest id in the set (0 when empty). Objects with a
// larger odd id were allocated after the snapshot was taken.
func (s *IDSet) MaxID() uint32 { return s.maxID }

// Len returns the number of distinct ids.
func (s *IDSet) Len() int { return s.n }

// newIDSet builds a set from ids, which it may reorder.
func newIDSet(ids []uint32) *IDSet {
	set := &IDSet{dense: uint32(min(32*uint64(len(ids))+64, 1<<32-64) &^ 63)}
	set.bitmap = make([]uint64, set.dense/64)
	var sparse []uint32
	for _, id := range ids {
		set.maxID = max(set.maxID, id)
		if id < set.dense {
			set.bitmap[id>>6] |= 1 << (id & 63)
		} else {
			sparse = append(sparse, id)
		}
	}
	slices.Sort(sparse)
	set.sparse = slices.Compact(sparse)
	set.n = len(set.sparse)
	for _, w := range set.bitmap {
		set.n += bits.OnesCount64(w)
	}
	return set
}

// errDone stops a walk over the sections once it has what it reads.
var errDone = errors.New("done")

// IDs returns the set of node ids of the snapshot.
func (s *Snapshot) IDs() *IDSet { return newIDSet(slices.Clone(s.nodeID)) }

// ReadIDs reads only the node ids of the snapshot in the file at path:
// enough to serve as the baseline or target of a leak search, at a fraction
// of Load's time and memory (it stops reading after the nodes array).
func ReadIDs(path string, opts LoadOptions) (*IDSet, error) {
	f, info, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	set, err := readIDs(f, info.Size(), opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return set, nil
}

func readIDs(r io.Reader, size int64, opts LoadOptions) (*IDSet, error) {
	var ids []uint32
	_, err := readNodes(r, size, opts, func(lay *layout, rec []uint32) { ids = append(ids, rec[lay.nID]) }, nil)
	if err != nil {
		return nil, err
	}
	return newIDSet(ids), nil
}
