package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"slices"
	"strings"
	"sync/atomic"
)

// LoadOptions tunes Load, LoadReader and ReadIDs.
type LoadOptions struct {
	// Progress, when set, is called from the loading goroutine as the file
	// is read: stage names the work ("parse"), done and total are bytes
	// (total is -1 when the size is unknown).
	Progress func(stage string, done, total int64)
	// Workers is the number of goroutines that decode the nodes and edges
	// arrays of an input that can be read at any offset (a file, or an
	// io.ReaderAt given to LoadReader). 0 uses every processor
	// (GOMAXPROCS) for arrays of a megabyte or more and one goroutine for
	// smaller ones; 1 decodes them sequentially as the input streams by.
	// The result is the same whatever the number.
	Workers int
	// Header, when set, is what ReadHeader learned of the file before
	// (see MemoryNeeded): Load then starts decoding the strings section
	// where it found it instead of searching the file for it. A header of
	// another file, or of the file before it changed (another size or
	// modification time, no strings key at its offset), is not used.
	Header *Header
}

// Load reads the heap snapshot in the file at path.
func Load(path string, opts LoadOptions) (*Snapshot, error) {
	f, info, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := load(f, f, info.Size(), opts, opts.Header.stringsKey(f, info))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// LoadReader reads a heap snapshot from r. size is the number of bytes r
// will deliver, or -1 when unknown; it bounds what the parser believes of
// the counts in the header, so that a corrupt header cannot make it
// allocate more than the input could possibly describe. When r is also an
// io.ReaderAt and size is known, the snapshot is read from offset 0 of it,
// and large inputs are decoded on several cores (LoadOptions.Workers).
func LoadReader(r io.Reader, size int64, opts LoadOptions) (*Snapshot, error) {
	ra, _ := r.(io.ReaderAt)
	return load(r, ra, size, opts, -1)
}

// open opens a snapshot file and returns what its Stat says (size,
// modification time).
func open(path string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("%s is a directory, not a .heapsnapshot file", path)
	}
	return f, st, nil
}

// headerLimit bounds the "snapshot" header object: real ones are about 1 KB.
const headerLimit = 1 << 20

// header is the decoded "snapshot" object at the start of the file.
type header struct {
	Meta struct {
		NodeFields     []string          `json:"node_fields"`
		NodeTypes      []json.RawMessage `json:"node_types"`
		EdgeFields     []string          `json:"edge_fields"`
		EdgeTypes      []json.RawMessage `json:"edge_types"`
		LocationFields []string          `json:"location_fields"`
		// Decoded only when the snapshot has traces (newTraceLayout).
		TraceFuncFields json.RawMessage `json:"trace_function_info_fields"`
		TraceNodeFields json.RawMessage `json:"trace_node_fields"`
	} `json:"meta"`
	NodeCount          *int64 `json:"node_count"`
	EdgeCount          *int64 `json:"edge_count"`
	TraceFunctionCount int64  `json:"trace_function_count"`
}

// layout is where the fields the analysis needs sit in node, edge and
// location records, derived from the meta.
type layout struct {
	nodeFields, edgeFields, locFields int
	nType, nName, nID, nSelf, nEdges  int
	nDetached                         int // -1 when absent
	nTrace                            int // -1 when absent
	eType, eName, eTo                 int
	lNode, lScript, lLine, lCol       int
	nodeTypes                         []NodeType // meta type index → enum
	edgeTypes                         []EdgeType
	// hasTraces is set when the header announces allocation traces (a
	// trace_function_count and their fields); trace lays them out.
	hasTraces bool
	trace     traceLayout
	// nodeCount is the header's node count once checked against the
	// file's size (0 when the size is unknown): a capacity for per-node
	// columns that a damaged header cannot inflate.
	nodeCount int
	// nodeDiv is ⌈2⁶⁴ / nodeFields⌉, with which nodeOrdinal divides by a
	// multiplication (Lemire, Kaser and Kurz, "Faster remainder by direct
	// computation", 2019): exact for every 32-bit index, and several
	// times cheaper than a division by a variable.
	nodeDiv uint64
}

// nodeOrdinal returns the ordinal of the node whose record starts at
// nodes-array index i, and whether a record starts there.
func (lay *layout) nodeOrdinal(i uint32) (uint32, bool) {
	q, _ := bits.Mul64(lay.nodeDiv, uint64(i))
	return uint32(q), uint32(q)*uint32(lay.nodeFields) == i
}

// parser holds the state of one load.
type parser struct {
	sc   *scanner
	ra   io.ReaderAt // nil when the input can only be read in order
	size int64
	opts LoadOptions
	s    *Snapshot
	lay  layout

	haveHeader, haveNodes, haveEdges, haveStrings bool
	declaredNodes, declaredEdges                  int64
	// locs are the raw location records, (node ordinal, script, line, col).
	locs []uint32
}

// load reads a snapshot from r (and ra, when not nil, the same input read
// at any offset) of size bytes; stringsAt is the offset of its strings
// section's key when known, -1 to search for it.
func load(r io.Reader, ra io.ReaderAt, size int64, opts LoadOptions, stringsAt int64) (*Snapshot, error) {
	p := &parser{ra: ra, size: size, opts: opts, s: &Snapshot{}}
	if ra != nil && size >= 0 {
		// Read through a section reader so that the main scanner can skip
		// the sections a helper decoded.
		r = io.NewSectionReader(ra, 0, size)
	}
	if err := p.begin(r, opts); err != nil {
		return nil, err
	}
	// The string table follows the nodes and edges arrays.
	from := min(p.sc.offset()+p.arraysBytes(), size)
	strs := speculate(ra, size, "strings", func(stop *atomic.Bool) int64 {
		if stringsAt >= 0 {
			return stringsAt
		}
		return findKey(ra, from, size, "strings", stop)
	}, decodeStringTable(size))
	defer strs.cancel()
	if err := p.sections(func(name string, at int64) error {
		switch name {
		case "nodes":
			return p.nodes()
		case "edges":
			return p.edges()
		case "locations":
			return p.locations()
		case "trace_function_infos":
			if p.lay.hasTraces {
				return p.traceFunctionInfos()
			}
		case "trace_tree":
			if p.lay.hasTraces {
				return p.traceTree()
			}
		case "strings":
			if p.haveStrings {
				return p.sc.errorf("a second strings section")
			}
			used, end, err := strs.claim(at, p.s)
			if used {
				p.haveStrings = true
				p.sc.seek(end)
			}
			if used || err != nil {
				return err
			}
			install, err := decodeStringTable(p.size)(p.sc, nil)
			if err != nil {
				return err
			}
			install(p.s)
			p.haveStrings = true
			return nil
		}
		return p.sc.skip()
	}); err != nil {
		return nil, err
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return p.s, nil
}

// begin checks the file's first bytes and reads the header.
func (p *parser) begin(r io.Reader, opts LoadOptions) error {
	p.sc = newScanner(r, 0, p.size)
	p.sc.stage = "header"
	if opts.Progress != nil {
		size := p.size
		if size < 0 {
			size = -1
		}
		p.sc.onRefill = func(off int64) { opts.Progress("parse", off, size) }
	}
	sc := p.sc
	sc.fill(maxLookahead)
	if sc.rerr != nil {
		return sc.errorf("reading: %w", sc.rerr)
	}
	head := sc.buf[:sc.end]
	switch {
	case len(head) == 0:
		return sc.errorf("the file is empty")
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return sc.errorf("the file is gzip-compressed; gunzip it first")
	}
	if err := sc.expect('{', "'{' (a heap snapshot is a JSON object)"); err != nil {
		return err
	}
	name, _, err := sc.key()
	if err != nil {
		return err
	}
	if name != "snapshot" {
		return sc.errorf("the first key is %q, not \"snapshot\": this is not a V8 heap snapshot", name)
	}
	return p.header()
}

// sections walks the top-level keys after the header, handing each to fn
// with the offset of its key; fn consumes the key's value.
func (p *parser) sections(fn func(name string, at int64) error) error {
	sc := p.sc
	for {
		sc.stage = "top level"
		c, err := sc.peek("',' or '}'")
		if err != nil {
			return err
		}
		if c == '}' {
			sc.pos++
			if !sc.atEOF() {
				return sc.errorf("unexpected data after the snapshot object")
			}
			return nil
		}
		if c != ',' {
			return sc.errorf("expected ',' or '}', found %s", quoteByte(c))
		}
		sc.pos++
		name, at, err := sc.key()
		if err != nil {
			return err
		}
		sc.stage = name
		if err := fn(name, at); err != nil {
			return err
		}
	}
}

// header decodes the "snapshot" object and derives the layout.
func (p *parser) header() error {
	sc := p.sc
	at := sc.offset()
	raw, err := sc.capture(headerLimit)
	if err != nil {
		return err
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return sc.errorAt(at, "decoding the snapshot header: %v", err)
	}
	if h.NodeCount == nil || h.EdgeCount == nil || len(h.Meta.NodeFields) == 0 {
		return sc.errorAt(at, "the header has no meta, node_count or edge_count: this is not a V8 heap snapshot")
	}
	lay, meta, err := newLayout(&h)
	if err != nil {
		return sc.errorAt(at, "%v", err)
	}
	if *h.NodeCount < 0 || *h.EdgeCount < 0 {
		return sc.errorAt(at, "negative node_count or edge_count")
	}
	// Every number takes at least two bytes ("0,"), so counts beyond what the
	// file could hold are corrupt; checking before allocating keeps a
	// damaged header from asking for gigabytes.
	p.lay, p.s.meta = lay, meta
	p.declaredNodes, p.declaredEdges = *h.NodeCount, *h.EdgeCount
	if p.size >= 0 {
		if *h.NodeCount > p.size || *h.EdgeCount > p.size || p.arraysBytes() > p.size+4 {
			return sc.errorAt(at, "the header declares %d nodes and %d edges, more than a %d-byte file can hold: the file is truncated (a copy or download cut short?) or damaged", *h.NodeCount, *h.EdgeCount, p.size)
		}
		p.lay.nodeCount = int(*h.NodeCount)
	}
	p.s.meta.TraceFunctionCount = int(h.TraceFunctionCount)
	p.haveHeader = true
	return nil
}

// arraysBytes returns the fewest bytes the nodes and edges arrays the
// header declares can take: every number takes at least two ("0,").
func (p *parser) arraysBytes() int64 {
	return (p.declaredNodes*int64(p.lay.nodeFields) + p.declaredEdges*int64(p.lay.edgeFields)) * 2
}

// newLayout finds the fields the analysis uses in the meta's field lists.
func newLayout(h *header) (layout, Meta, error) {
	m := &h.Meta
	var lay layout
	var meta Meta
	meta.NodeFields, meta.EdgeFields, meta.LocationFields = m.NodeFields, m.EdgeFields, m.LocationFields
	lay.nodeFields, lay.edgeFields, lay.locFields = len(m.NodeFields), len(m.EdgeFields), len(m.LocationFields)
	lay.nodeDiv = ^uint64(0)/uint64(lay.nodeFields) + 1
	idx := func(fields []string, name, list string) (int, error) {
		if i := slices.Index(fields, name); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("meta.%s has no %q field", list, name)
	}
	var err error
	for _, f := range []struct {
		dst          *int
		fields       []string
		name, listed string
	}{
		{&lay.nType, m.NodeFields, "type", "node_fields"},
		{&lay.nName, m.NodeFields, "name", "node_fields"},
		{&lay.nID, m.NodeFields, "id", "node_fields"},
		{&lay.nSelf, m.NodeFields, "self_size", "node_fields"},
		{&lay.nEdges, m.NodeFields, "edge_count", "node_fields"},
		{&lay.eType, m.EdgeFields, "type", "edge_fields"},
		{&lay.eName, m.EdgeFields, "name_or_index", "edge_fields"},
		{&lay.eTo, m.EdgeFields, "to_node", "edge_fields"},
	} {
		if *f.dst, err = idx(f.fields, f.name, f.listed); err != nil {
			return lay, meta, err
		}
	}
	lay.nDetached = slices.Index(m.NodeFields, "detachedness")
	meta.HasDetachedness = lay.nDetached >= 0
	lay.nTrace = slices.Index(m.NodeFields, "trace_node_id")
	meta.HasTraceNodeID = lay.nTrace >= 0
	if h.TraceFunctionCount > 0 && lay.nTrace >= 0 {
		if lay.trace, lay.hasTraces, err = newTraceLayout(m.TraceFuncFields, m.TraceNodeFields); err != nil {
			return lay, meta, err
		}
	}
	if lay.locFields > 0 {
		for _, f := range []struct {
			dst  *int
			name string
		}{{&lay.lNode, "object_index"}, {&lay.lScript, "script_id"}, {&lay.lLine, "line"}, {&lay.lCol, "column"}} {
			if *f.dst, err = idx(m.LocationFields, f.name, "location_fields"); err != nil {
				return lay, meta, err
			}
		}
	}
	// The first entry of node_types/edge_types is the list of type names
	// (the others describe the remaining fields' value kinds).
	typeNames := func(raw []json.RawMessage, list string) ([]string, error) {
		var names []string
		if len(raw) == 0 || json.Unmarshal(raw[0], &names) != nil {
			return nil, fmt.Errorf("meta.%s does not start with the list of type names", list)
		}
		return names, nil
	}
	if meta.NodeTypes, err = typeNames(m.NodeTypes, "node_types"); err != nil {
		return lay, meta, err
	}
	if meta.EdgeTypes, err = typeNames(m.EdgeTypes, "edge_types"); err != nil {
		return lay, meta, err
	}
	for _, n := range meta.NodeTypes {
		lay.nodeTypes = append(lay.nodeTypes, nodeTypeByName(n))
	}
	for _, n := range meta.EdgeTypes {
		lay.edgeTypes = append(lay.edgeTypes, edgeTypeByName(n))
	}
	return lay, meta, nil
}

// capacity returns how many elements to preallocate for count declared
// records: the declared count, or a modest start when the input size is
// unknown (appending grows it).
func (p *parser) capacity(count int64) int {
	if p.size < 0 {
		return int(min(count, 1<<16))
	}
	return int(count)
}

// nodes reads the nodes array into the per-node columns (see decodeRecords).
func (p *parser) nodes() error {
	if !p.haveHeader || p.haveNodes {
		return p.sc.errorf("unexpected nodes section")
	}
	start := p.sc.offset()
	err := p.decodeRecords(records{
		kind: "node", stride: p.lay.nodeFields, declared: p.declaredNodes,
		count: func() int { return len(p.s.nodeID) }, grow: p.growNodes, put: p.putNodes,
	})
	if err != nil {
		return err
	}
	s := p.s
	if int64(len(s.nodeID)) != p.declaredNodes {
		return p.sc.errorAt(start, "the header declares %d nodes, the nodes array holds %d", p.declaredNodes, len(s.nodeID))
	}
	// firstEdge holds each node's edge count; sum them into offsets.
	var edges uint64
	for n := range s.nodeID {
		edges += uint64(s.firstEdge[n+1])
		if edges > uint64(p.declaredEdges) {
			return p.sc.errorAt(start, "node %d brings the edge count to %d, more than the %d edges the header declares", n, edges, p.declaredEdges)
		}
		s.firstEdge[n+1] = uint32(edges)
	}
	if edges != uint64(p.declaredEdges) {
		return p.sc.errorAt(start, "the header declares %d edges, the nodes' edge counts add up to %d", p.declaredEdges, edges)
	}
	if len(s.nodeID) == 0 {
		return p.sc.errorAt(start, "the snapshot has no nodes (not even the root)")
	}
	p.haveNodes = true
	return nil
}

// records describes the nodes or the edges array to decodeRecords.
type records struct {
	kind     string // "node" or "edge"
	stride   int    // values per record
	declared int64  // records the header declares
	count    func() int
	// grow sets the columns to n records (0: allocated anew); put stores
	// records from first on, as putNodes.
	grow func(n int)
	put  func(first int, v []uint32) error
}

// decodeRecords decodes an array of records into its columns: in parallel when
// the input allows it, else sequentially as it streams by.
func (p *parser) decodeRecords(r records) error {
	if p.parallel(r.stride, func(values int64) bool {
		if values/int64(r.stride) != r.declared {
			return false
		}
		r.grow(int(r.declared))
		return true
	}, r.put) {
		return nil
	}
	r.grow(0)
	return p.sc.uints(r.stride, func(v []uint32) error {
		first := r.count()
		if len(v)%r.stride != 0 {
			return p.sc.errorf("the %ss array holds %d values, not a multiple of the %d %s fields", r.kind, first*r.stride+len(v), r.stride, r.kind)
		}
		if int64(first+len(v)/r.stride) > r.declared {
			return p.sc.errorf("the %ss array holds more than the %d %ss the header declares", r.kind, r.declared, r.kind)
		}
		r.grow(first + len(v)/r.stride)
		if err := r.put(first, v); err != nil {
			return p.sc.errorf("%w", err)
		}
		return nil
	})
}

// growNodes sets the per-node columns to n nodes, allocating them on the
// first call (n == 0 starts them over, with the capacity the header
// allows).
func (p *parser) growNodes(n int) {
	s, lay := p.s, &p.lay
	if n == 0 || s.nodeID == nil {
		c := max(n, p.capacity(p.declaredNodes))
		s.nodeType = makeLarge[NodeType](0, c)
		s.nodeName = makeLarge[uint32](0, c)
		s.nodeID = makeLarge[uint32](0, c)
		s.selfSize = makeLarge[uint32](0, c)
		s.firstEdge = makeLarge[uint32](1, c+1)
		s.detached, s.traceNode = nil, nil
		if lay.nDetached >= 0 {
			s.detached = makeLarge[uint8](0, c)
		}
		if lay.hasTraces {
			s.traceNode = makeLarge[uint32](0, c)
		}
	}
	s.nodeType = extend(s.nodeType, n)
	s.nodeName = extend(s.nodeName, n)
	s.nodeID = extend(s.nodeID, n)
	s.selfSize = extend(s.selfSize, n)
	s.firstEdge = extend(s.firstEdge, n+1)
	if s.detached != nil {
		s.detached = extend(s.detached, n)
	}
	if s.traceNode != nil {
		s.traceNode = extend(s.traceNode, n)
	}
}

// extend returns s with length n, reallocated when its capacity is less.
func extend[T any](s []T, n int) []T {
	if n <= cap(s) {
		return s[:n]
	}
	return append(s[:cap(s)], make([]T, n-cap(s))...)
}

// putNodes stores the node records v, the first being node first, into
// the per-node columns, which must hold them; a node's edge count goes to
// firstEdge[node+1]. Calls for disjoint nodes may run concurrently.
func (p *parser) putNodes(first int, v []uint32) error {
	s, lay := p.s, &p.lay
	nf := lay.nodeFields
	for r, n := 0, first; r < len(v); r, n = r+nf, n+1 {
		rec := v[r : r+nf]
		ti := rec[lay.nType]
		if int(ti) >= len(lay.nodeTypes) {
			return fmt.Errorf("node %d has type %d, but the header's meta lists %d node types", n, ti, len(lay.nodeTypes))
		}
		s.nodeType[n] = lay.nodeTypes[ti]
		s.nodeName[n] = rec[lay.nName]
		s.nodeID[n] = rec[lay.nID]
		s.selfSize[n] = rec[lay.nSelf]
		s.firstEdge[n+1] = rec[lay.nEdges]
		if s.detached != nil {
			s.detached[n] = uint8(rec[lay.nDetached])
		}
		if s.traceNode != nil {
			s.traceNode[n] = rec[lay.nTrace]
		}
	}
	return nil
}

// edges reads the edges array into the per-edge columns (see decodeRecords),
// translating to_node from a nodes-array index to a node ordinal.
func (p *parser) edges() error {
	if !p.haveNodes || p.haveEdges {
		return p.sc.errorf("unexpected edges section (it must follow the nodes)")
	}
	start := p.sc.offset()
	n := int(p.declaredEdges)
	err := p.decodeRecords(records{
		kind: "edge", stride: p.lay.edgeFields, declared: p.declaredEdges,
		count: func() int { return len(p.s.edgeTarget) }, grow: p.growEdges, put: p.putEdges,
	})
	if err != nil {
		return err
	}
	if len(p.s.edgeTarget) != n {
		return p.sc.errorAt(start, "the header declares %d edges, the edges array holds %d", n, len(p.s.edgeTarget))
	}
	p.haveEdges = true
	return nil
}

// growEdges sets the per-edge columns to n edges, as growNodes does for
// the nodes.
func (p *parser) growEdges(n int) {
	s := p.s
	if n == 0 || s.edgeTarget == nil {
		c := max(n, p.capacity(p.declaredEdges))
		s.edgeType = makeLarge[EdgeType](0, c)
		s.edgeName = makeLarge[uint32](0, c)
		s.edgeTarget = makeLarge[uint32](0, c)
	}
	s.edgeType = extend(s.edgeType, n)
	s.edgeName = extend(s.edgeName, n)
	s.edgeTarget = extend(s.edgeTarget, n)
}

// putEdges stores the edge records v, the first being edge first, as
// putNodes does for nodes. It checks that every edge points to the start
// of one of the declared nodes, which the nodes section is checked
// against in turn.
func (p *parser) putEdges(first int, v []uint32) error {
	s, lay := p.s, &p.lay
	ef := lay.edgeFields
	for r, e := 0, first; r < len(v); r, e = r+ef, e+1 {
		rec := v[r : r+ef]
		to := rec[lay.eTo]
		node, start := lay.nodeOrdinal(to)
		if !start || int64(node) >= p.declaredNodes {
			return fmt.Errorf("edge %d points to nodes-array index %d, which is not the start of one of the %d nodes", e, to, p.declaredNodes)
		}
		ti := rec[lay.eType]
		if int(ti) >= len(lay.edgeTypes) {
			return fmt.Errorf("edge %d has type %d, but the header's meta lists %d edge types", e, ti, len(lay.edgeTypes))
		}
		s.edgeType[e] = lay.edgeTypes[ti]
		s.edgeName[e] = rec[lay.eName]
		s.edgeTarget[e] = node
	}
	return nil
}

// errStopped ends a helper whose result the main parser no longer needs.
var errStopped = errors.New("speculative decoding stopped")

// locations reads the locations array; records are resolved to node
// ordinals once the nodes are known (in finish).
func (p *parser) locations() error {
	if !p.haveHeader || p.s.meta.HasLocations {
		return p.sc.errorf("unexpected locations section")
	}
	lf := p.lay.locFields
	if lf == 0 {
		return p.sc.errorf("the header's meta has no location_fields")
	}
	lay := &p.lay
	err := p.sc.uints(lf, func(v []uint32) error {
		if len(v)%lf != 0 {
			return p.sc.errorf("the locations array length is not a multiple of the %d location fields", lf)
		}
		for r := 0; r < len(v); r += lf {
			rec := v[r : r+lf]
			p.locs = append(p.locs, rec[lay.lNode], rec[lay.lScript], rec[lay.lLine], rec[lay.lCol])
		}
		return nil
	})
	p.s.meta.HasLocations = err == nil
	return err
}

// decodeStringTable returns a decoder for the string table of an input of
// size bytes (negative when unknown). The bytes left in the input bound the
// table's decoded size, as decoding never makes a string longer than its
// JSON text: the table is allocated once, without regrowing.
func decodeStringTable(size int64) decodeFunc {
	return func(sc *scanner, stop *atomic.Bool) (func(*Snapshot), error) {
		var b strings.Builder
		if left := size - sc.offset(); size >= 0 && left > 0 {
			b.Grow(int(left))
		}
		offs := []int{0}
		err := sc.strs(&b, func(end int) error {
			if stop != nil && len(offs)&1023 == 0 && stop.Load() {
				return errStopped
			}
			offs = append(offs, end)
			return nil
		})
		if err != nil {
			return nil, err
		}
		strs := b.String()
		return func(s *Snapshot) { s.strs, s.strOff = strs, offs }, nil
	}
}

// finish checks that the required sections were present and consistent,
// and resolves locations.
func (p *parser) finish() error {
	s := p.s
	end := p.sc.offset()
	missing := func(what string) error {
		return &ParseError{Stage: "snapshot", Offset: end, Err: fmt.Errorf("the file has no %s section", what)}
	}
	switch {
	case !p.haveNodes:
		return missing("nodes")
	case !p.haveEdges:
		return missing("edges")
	case !p.haveStrings:
		return missing("strings")
	}
	s.meta.NodeCount, s.meta.EdgeCount = len(s.nodeID), len(s.edgeTarget)
	s.meta.StringCount = len(s.strOff) - 1
	if err := s.checkNames(); err != nil {
		return &ParseError{Stage: "snapshot", Offset: end, Err: err}
	}
	if err := p.resolveLocations(); err != nil {
		return &ParseError{Stage: "locations", Offset: end, Err: err}
	}
	if p.lay.hasTraces {
		if err := s.finishTraces(); err != nil {
			return &ParseError{Stage: "trace_tree", Offset: end, Err: err}
		}
	}
	return nil
}

// resolveLocations turns location records into the sorted per-node table.
func (p *parser) resolveLocations() error {
	s := p.s
	nf := uint32(p.lay.nodeFields)
	count := len(p.locs) / 4
	order := make([]int, count)
	for i := range order {
		order[i] = i
		idx := p.locs[4*i]
		if idx%nf != 0 || int(idx/nf) >= len(s.nodeID) {
			return fmt.Errorf("location %d refers to nodes-array index %d, which is not the start of a node", i, idx)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(p.locs[4*a]) - int(p.locs[4*b]) })
	s.locationNode = make([]uint32, 0, count)
	s.locations = make([]Location, 0, count)
	for _, i := range order {
		node := p.locs[4*i] / nf
		if k := len(s.locationNode); k > 0 && s.locationNode[k-1] == node {
			continue // keep the first location of a node
		}
		s.locationNode = append(s.locationNode, node)
		s.locations = append(s.locations, Location{ScriptID: p.locs[4*i+1], Line: p.locs[4*i+2], Column: p.locs[4*i+3]})
	}
	s.meta.LocationCount = len(s.locations)
	p.locs = nil
	return nil
}
