package analysis

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/leakls/leakls/internal/units"
)

// Snapshots that do not belong together.
//
// Every comparison of snapshots rests on V8's object ids, and ids mean
// something only between snapshots of one process, taken in order. Given
// snapshots of two processes, or the same file twice, or the files in the
// wrong order, the id arithmetic still produces numbers — wrong ones. The
// checks here catch those mistakes from what is cheap to read (the header,
// the nodes and edges arrays and a few strings, not the locations):
//
//   - the same file given twice: same path, or the same file through
//     another name (os.SameFile);
//   - copies of one snapshot: identical format and identical id sets;
//   - different V8 versions: the meta (node and edge fields and types)
//     differs, so the snapshots cannot come from one process;
//   - different programs: the scripts of the program (its files, not
//     Node's own) share no name, although the later snapshot holds one
//     that predates the earlier snapshot (see scripts.go). This holds
//     even when the ids happen to agree, as they do for two small
//     programs run with node --predictable;
//   - different processes: V8 numbers objects as it first sees them, so two
//     runs of one program give many of the same ids to different objects.
//     Within one process an id always names the same object, whose type
//     never changes; measured on two runs of one Node 20 program, 949 of
//     39,087 shared JS ids (2.4%) named objects of a different type, and
//     none between snapshots of one run. More than 1 in 200 shared ids of
//     a different type (and at least 5), or no shared id at all, means two
//     processes;
//   - the wrong order: a later snapshot's newest JS object id (odd ids;
//     native objects get huge even ids unrelated to time) is never lower.

// Fingerprint is what the series checks read of one snapshot: its format,
// its node ids, per JS object its type and the size measures that tell a
// growing holder (see FindGrowth), and the scripts of the program.
type Fingerprint struct {
	// Path is the file the fingerprint was read from ("" for a snapshot
	// loaded by other means).
	Path string
	// IDs is the snapshot's id set (the same set ReadIDs returns).
	IDs *IDSet

	info   os.FileInfo // nil when not read from a file
	format string      // meta field and type lists, for comparison
	maxJS  uint32      // the largest odd id, 0 when none
	// js are the snapshot's JS object ids (odd) in ascending order, and
	// jsType the node type of each.
	js     []uint32
	jsType []NodeType
	// held are the ids of the JS objects of type object (the holders
	// FindGrowth follows), ascending; entries and bytes hold, for each of
	// them, its element count and its size with its backing stores (see
	// holderSize; sizes beyond 4 GiB saturate).
	held    []uint32
	entries []uint32
	bytes   []uint32
	// scripts are the program's scripts (see programScript), by ascending
	// id.
	scripts []script
}

// ReadFingerprint reads the fingerprint of the snapshot in the file at
// path: its header, nodes and edges, and of the strings only the names of
// the Script objects (it stops reading after the last of them), not the
// locations. It keeps 5 bytes per JS object, 12 more per object of type
// object (the holders FindGrowth follows), and the id set.
func ReadFingerprint(path string, opts LoadOptions) (*Fingerprint, error) {
	f, info, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := info.Size()
	var m nodeMeasures
	var scan scriptScan
	var edgesLeft uint32 // edges of node m.cur not yet seen
	p, err := readNodes(f, size, opts, func(lay *layout, rec []uint32) {
		if m.ids == nil {
			m.presize(lay.nodeCount)
		}
		t := lay.nodeType(rec[lay.nType])
		scan.node(len(m.ids), t, rec[lay.nName])
		m.ids = append(m.ids, rec[lay.nID])
		m.types = append(m.types, t)
		m.self = append(m.self, rec[lay.nSelf])
		m.edges = append(m.edges, rec[lay.nEdges])
	}, func(lay *layout, rec []uint32) {
		if m.entries == nil {
			m.entries, m.bytes = make([]uint32, len(m.ids)), make([]uint64, len(m.ids))
			m.cur, edgesLeft = -1, 0
		}
		for edgesLeft == 0 {
			if m.cur+1 >= len(m.edges) {
				return // more edges than the nodes count: nothing to attribute them to
			}
			m.cur++
			edgesLeft = m.edges[m.cur]
		}
		edgesLeft--
		to := rec[lay.eTo] / uint32(lay.nodeFields)
		if int(to) >= len(m.ids) {
			return // the full parser reports such edges; here they add nothing
		}
		t := lay.edgeType(rec[lay.eType])
		entry, store := holderEdge(t, m.types[to])
		if entry {
			m.entries[m.cur]++
		}
		if store {
			m.bytes[m.cur] += uint64(m.self[to])
		}
		if m.types[m.cur] == NodeCode {
			scan.edge(m.cur, m.ids[m.cur], t, rec[lay.eName], m.types[to])
		}
	})
	var strs []string
	want := scan.wanted()
	if err == nil && len(want) > 0 {
		strs, err = p.pickStrings(want)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.entries == nil { // a snapshot without edges
		m.entries, m.bytes = make([]uint32, len(m.ids)), make([]uint64, len(m.ids))
	}
	for i, self := range m.self {
		m.bytes[i] += uint64(self)
	}
	fp := newFingerprint(p.s.meta, m.ids, m.types, func(n int) (uint32, uint64) { return m.entries[n], m.bytes[n] })
	fp.Path, fp.info = path, info
	if strs != nil { // else the scripts are unknown, and not compared
		fp.scripts = scan.resolve(want, strs)
	}
	return fp, nil
}

// nodeMeasures are per-node columns gathered for a fingerprint.
type nodeMeasures struct {
	ids     []uint32
	types   []NodeType
	self    []uint32
	edges   []uint32
	entries []uint32
	bytes   []uint64
	cur     int // the node whose edges are being read
}

// presize gives the node columns room for n nodes, so that appending the
// nodes of a big snapshot does not copy them over and over.
func (m *nodeMeasures) presize(n int) {
	m.ids, m.types = make([]uint32, 0, n), make([]NodeType, 0, n)
	m.self, m.edges = make([]uint32, 0, n), make([]uint32, 0, n)
}

// holderEdge classifies an edge of a possible holder: an element (an
// array's or a listener list's entry), or a backing store whose size is
// part of the holder's (a Map's hash table, an array's elements, a
// dictionary object's properties: internal edges to V8 arrays).
func holderEdge(t EdgeType, to NodeType) (entry, store bool) {
	return t == EdgeElement, t == EdgeInternal && to == NodeArray
}

// holderSize returns node n's element count and its size with its backing
// stores (see holderEdge).
func (s *Snapshot) holderSize(n int) (entries uint32, bytes uint64) {
	bytes = uint64(s.selfSize[n])
	first, end := s.EdgeRange(n)
	for e := first; e < end; e++ {
		to := s.EdgeTo(e)
		entry, store := holderEdge(s.edgeType[e], s.nodeType[to])
		if entry {
			entries++
		}
		if store {
			bytes += uint64(s.selfSize[to])
		}
	}
	return entries, bytes
}

// Fingerprint returns the fingerprint of a loaded snapshot, for checking
// it against snapshots read with ReadFingerprint.
func (s *Snapshot) Fingerprint() *Fingerprint { return s.fingerprint(s.holderSize) }

// fingerprint returns the fingerprint of the snapshot with the holders'
// measures, or without them when measure is nil: what CheckSeries compares
// of the final snapshot of a series, whose holders FindGrowth measures on
// the snapshot itself (12 bytes per JS object of type object less, which
// a diff would hold beside the earlier snapshots' fingerprints).
func (s *Snapshot) fingerprint(measure func(n int) (uint32, uint64)) *Fingerprint {
	fp := newFingerprint(s.meta, s.nodeID, s.nodeType, measure)
	fp.scripts = s.scripts()
	return fp
}

// newFingerprint builds a fingerprint from the ids and types of a
// snapshot's nodes (which it only reads) and measure, which returns a
// node's element count and its size with its backing stores (see
// holderSize); measure is called for the JS objects of type object only,
// and when it is nil the fingerprint holds no holders.
func newFingerprint(meta Meta, ids []uint32, types []NodeType, measure func(n int) (uint32, uint64)) *Fingerprint {
	fp := &Fingerprint{format: formatKey(meta)}
	var native []uint32
	// order holds each JS node as its id (high half) and its index (low
	// half): sorting the plain integers sorts the nodes by id, several
	// times faster than sorting indices through a comparison function.
	order := make([]uint64, 0, len(ids))
	for i, id := range ids {
		if tracked(id) {
			order = append(order, uint64(id)<<32|uint64(i))
		} else {
			native = append(native, id)
		}
	}
	slices.Sort(order)
	k, objects := len(order), 0
	fp.js, fp.jsType = make([]uint32, k), make([]NodeType, k)
	for i, packed := range order {
		o := int(uint32(packed))
		fp.js[i], fp.jsType[i] = ids[o], types[o]
		if types[o] == NodeObject {
			objects++
		}
	}
	if measure == nil {
		objects = 0
	}
	fp.held, fp.entries, fp.bytes = make([]uint32, 0, objects), make([]uint32, 0, objects), make([]uint32, 0, objects)
	for _, packed := range order {
		if o := int(uint32(packed)); measure != nil && types[o] == NodeObject {
			entries, bytes := measure(o)
			fp.held = append(fp.held, ids[o])
			fp.entries = append(fp.entries, entries)
			fp.bytes = append(fp.bytes, uint32(min(bytes, math.MaxUint32)))
		}
	}
	if k > 0 {
		fp.maxJS = fp.js[k-1]
	}
	fp.IDs = newIDSet(append(native, fp.js...))
	return fp
}

// keepCommonHolders drops from each fingerprint of a series the holders
// that are not in all of them: FindGrowth follows only those, and a
// target, most of whose objects are newer than the baseline, then keeps
// its holders' measures for the few that are.
func keepCommonHolders(series []*Fingerprint) {
	if len(series) < 2 {
		return
	}
	common := slices.Clone(series[0].held)
	for _, f := range series[1:] {
		common = slices.DeleteFunc(common, func(id uint32) bool {
			_, ok := slices.BinarySearch(f.held, id)
			return !ok
		})
	}
	for _, f := range series {
		held, entries, bytes := make([]uint32, 0, len(common)), make([]uint32, 0, len(common)), make([]uint32, 0, len(common))
		for i, k := 0, 0; i < len(f.held) && k < len(common); i++ {
			if f.held[i] == common[k] {
				held, entries, bytes = append(held, f.held[i]), append(entries, f.entries[i]), append(bytes, f.bytes[i])
				k++
			}
		}
		f.held, f.entries, f.bytes = held, entries, bytes
	}
}

// holder returns the element count and the size of the JS object id, of
// type object; ok is false when the snapshot does not hold it.
func (f *Fingerprint) holder(id uint32) (entries uint32, bytes uint64, ok bool) {
	i, ok := slices.BinarySearch(f.held, id)
	if !ok {
		return 0, 0, false
	}
	return f.entries[i], uint64(f.bytes[i]), true
}

// formatKey condenses the parts of the meta that differ between V8
// versions.
func formatKey(m Meta) string {
	return strings.Join([]string{
		strings.Join(m.NodeFields, ","), strings.Join(m.NodeTypes, ","),
		strings.Join(m.EdgeFields, ","), strings.Join(m.EdgeTypes, ","),
	}, ";")
}

// MismatchKind classifies why snapshots do not belong together.
type MismatchKind int

// The kinds of mismatch, in the order CheckSeries looks for them.
const (
	// SameFile: one file was given twice.
	SameFile MismatchKind = iota + 1
	// SameContent: two files hold the same snapshot (a copy).
	SameContent
	// DifferentFormat: the snapshots were written by different V8
	// versions.
	DifferentFormat
	// DifferentProgram: the snapshots hold no script of the program in
	// common: they come from different programs.
	DifferentProgram
	// DifferentProcess: the snapshots come from different processes.
	DifferentProcess
	// WrongOrder: a snapshot was taken before the one given before it.
	WrongOrder
)

// MismatchError says which two snapshots of a series do not belong
// together, why, and what to do.
type MismatchError struct {
	Kind MismatchKind
	// First and Second are the paths (or positions, for snapshots not
	// read from files) of the two snapshots, in the order given.
	First, Second string
	// Detail is the evidence ("1,023 of 39,087 shared object ids name
	// objects of another type").
	Detail string
}

// Error implements error.
func (e *MismatchError) Error() string {
	const series = "give the snapshots in the order BASELINE TARGET FINAL (or BASELINE TARGET), all from one process"
	switch e.Kind {
	case SameFile:
		if e.First == e.Second {
			return fmt.Sprintf("%s is given twice: %s", e.First, series)
		}
		return fmt.Sprintf("%s is given twice (also as %s): %s", e.First, e.Second, series)
	case SameContent:
		return fmt.Sprintf("%s and %s hold the same snapshot (%s): one is a copy of the other; %s", e.First, e.Second, e.Detail, series)
	case DifferentFormat:
		return fmt.Sprintf("%s and %s were written by different V8 versions (%s), so they come from different processes; %s", e.First, e.Second, e.Detail, series)
	case DifferentProgram:
		return fmt.Sprintf("%s and %s come from different programs: they hold no script in common (%s); object ids can only be compared within one process; %s", e.First, e.Second, e.Detail, series)
	case DifferentProcess:
		return fmt.Sprintf("%s and %s come from different processes (%s): object ids can only be compared within one process; %s", e.First, e.Second, e.Detail, series)
	case WrongOrder:
		return fmt.Sprintf("%s was taken after %s (%s): %s", e.First, e.Second, e.Detail, series)
	}
	return fmt.Sprintf("%s and %s do not belong together", e.First, e.Second)
}

// CheckSeries checks that snapshots, given oldest first, form a series:
// distinct snapshots of one process in the order they were taken (see the
// comment at the top of this file). It returns nil or a *MismatchError
// about the first pair that does not belong together.
func CheckSeries(series ...*Fingerprint) error {
	name := func(i int) string {
		if series[i].Path != "" {
			return series[i].Path
		}
		return fmt.Sprintf("snapshot %d", i+1)
	}
	for i := range series {
		for j := i + 1; j < len(series); j++ {
			if err := checkPair(series[i], series[j]); err != nil {
				err.First, err.Second = name(i), name(j)
				return err
			}
		}
	}
	return nil
}

// checkPair checks that b is a later snapshot than a of the same process.
func checkPair(a, b *Fingerprint) *MismatchError {
	switch {
	case a.Path != "" && a.Path == b.Path, a.info != nil && b.info != nil && os.SameFile(a.info, b.info):
		return &MismatchError{Kind: SameFile}
	case a.format != b.format:
		return &MismatchError{Kind: DifferentFormat, Detail: formatDiff(a.format, b.format)}
	case a.IDs.Len() == b.IDs.Len() && slices.Equal(a.js, b.js) && sameIDs(a.IDs, b.IDs):
		return &MismatchError{Kind: SameContent, Detail: fmt.Sprintf("the same %s object ids", units.Count(a.IDs.Len()))}
	}
	if scripts := programMismatch(a, b); scripts != "" {
		return &MismatchError{Kind: DifferentProgram, Detail: scripts}
	}
	shared, differ := 0, 0
	for i, k := 0, 0; i < len(a.js) && k < len(b.js); {
		switch {
		case a.js[i] < b.js[k]:
			i++
		case a.js[i] > b.js[k]:
			k++
		default:
			shared++
			if a.jsType[i] != b.jsType[k] {
				differ++
			}
			i++
			k++
		}
	}
	if len(a.js) > 0 && len(b.js) > 0 && shared == 0 {
		return &MismatchError{Kind: DifferentProcess, Detail: "they share no object id"}
	}
	if differ >= minTypeChanges && differ > shared/typeChangeRatio {
		return &MismatchError{Kind: DifferentProcess, Detail: fmt.Sprintf("%s of %s shared object ids name objects of another type", units.Count(differ), units.Count(shared))}
	}
	if a.maxJS > b.maxJS {
		return &MismatchError{Kind: WrongOrder, Detail: fmt.Sprintf("its newest object id is @%d, the other's @%d", a.maxJS, b.maxJS)}
	}
	return nil
}

// The different-process threshold: at least minTypeChanges shared ids, and
// more than 1 in typeChangeRatio, name objects of another type.
const (
	minTypeChanges  = 5
	typeChangeRatio = 200
)

// sameIDs reports whether two id sets of equal length hold the same ids.
func sameIDs(a, b *IDSet) bool {
	if a.dense != b.dense || !slices.Equal(a.bitmap, b.bitmap) {
		return a.n == b.n && a.n == 0
	}
	return slices.Equal(a.sparse, b.sparse)
}

// formatDiff names the first list of the meta that differs.
func formatDiff(a, b string) string {
	names := []string{"node fields", "node types", "edge fields", "edge types"}
	as, bs := strings.Split(a, ";"), strings.Split(b, ";")
	for i, n := range names {
		if i < len(as) && i < len(bs) && as[i] != bs[i] {
			return fmt.Sprintf("%s %s vs %s", n, as[i], bs[i])
		}
	}
	return "different snapshot meta"
}

// readNodes reads a snapshot's header and nodes array, handing nodeFn
// every node record (its fields in meta order); when edgeFn is not nil it
// goes on to the edges array (which V8 writes right after the nodes) and
// hands edgeFn every edge record. It stops there and returns the parser,
// whose snapshot holds the meta, for reading on (see pickStrings).
func readNodes(r io.Reader, size int64, opts LoadOptions, nodeFn, edgeFn func(lay *layout, rec []uint32)) (*parser, error) {
	p := &parser{size: size, s: &Snapshot{}}
	if err := p.begin(r, opts); err != nil {
		return nil, err
	}
	records := func(fields int, declared int64, what string, fn func(*layout, []uint32)) error {
		count := int64(0)
		start := p.sc.offset()
		err := p.sc.uints(fields, func(v []uint32) error {
			if len(v)%fields != 0 {
				return p.sc.errorf("the %s array length is not a multiple of the %d fields of a record", what, fields)
			}
			for r := 0; r < len(v); r += fields {
				if count++; count > declared {
					return p.sc.errorf("the %s array holds more than the %d %s the header declares", what, declared, what)
				}
				fn(&p.lay, v[r:r+fields])
			}
			return nil
		})
		if err == nil && count != declared {
			err = p.sc.errorAt(start, "the header declares %d %s, the %s array holds %d", declared, what, what, count)
		}
		return err
	}
	err := p.sections(func(name string, _ int64) error {
		switch {
		case name == "nodes" && !p.haveNodes:
			if err := records(p.lay.nodeFields, p.declaredNodes, "nodes", nodeFn); err != nil {
				return err
			}
			p.haveNodes = true
			if edgeFn == nil {
				return errDone
			}
			return nil
		case name == "edges" && edgeFn != nil:
			if !p.haveNodes {
				return p.sc.errorf("the edges section comes before the nodes")
			}
			if err := records(p.lay.edgeFields, p.declaredEdges, "edges", edgeFn); err != nil {
				return err
			}
			p.haveEdges = true
			return errDone
		}
		return p.sc.skip()
	})
	if errors.Is(err, errDone) {
		err = nil
	}
	if err == nil && (!p.haveNodes || edgeFn != nil && !p.haveEdges) {
		missing := "nodes"
		if p.haveNodes {
			missing = "edges"
		}
		err = &ParseError{Stage: "snapshot", Offset: p.sc.offset(), Err: fmt.Errorf("the file has no %s section", missing)}
	}
	return p, err
}

// pickStrings reads on from where readNodes stopped to the strings
// section and returns the strings at the ascending indices want, reading
// the section only up to the last of them. It returns nil when the file
// has no strings section after the edges (V8 writes it last; Load also
// takes it elsewhere), and fails when the table has fewer strings.
func (p *parser) pickStrings(want []uint32) ([]string, error) {
	strs := make([]string, len(want))
	found := false
	err := p.sections(func(name string, _ int64) error {
		if name != "strings" {
			return p.sc.skip()
		}
		found = true
		return p.sc.pickStrs(want, strs)
	})
	switch {
	case errors.Is(err, errDone):
		return strs, nil
	case err != nil || !found:
		return nil, err
	}
	return nil, p.sc.errorf("the string table ends before string %d, which a node or edge names (truncated snapshot?)", want[len(want)-1])
}

// nodeType maps a node record's type field to the enumeration.
func (lay *layout) nodeType(i uint32) NodeType {
	if int(i) < len(lay.nodeTypes) {
		return lay.nodeTypes[i]
	}
	return NodeUnknown
}

// edgeType maps an edge record's type field to the enumeration.
func (lay *layout) edgeType(i uint32) EdgeType {
	if int(i) < len(lay.edgeTypes) {
		return lay.edgeTypes[i]
	}
	return EdgeUnknown
}
