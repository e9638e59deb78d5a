package analysis

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Allocation traces. When V8's allocation tracker runs
// (HeapProfiler.startTrackingHeapObjects with trackAllocations, or
// DevTools' "Allocation instrumentation on timeline"), a snapshot carries
// the call tree of the allocations made since: trace_function_infos, one
// record per function (its name, script and the 1-based line and column
// of its start, 0 when unknown), and trace_tree, the tree of allocation
// stacks, each node a function called from its parent. Every heap node's
// trace_node_id names the stack that allocated it (0: allocated before
// tracking started, or not tracked).
//
// The tree is kept as parent-indexed arrays, the function infos as
// columns: no per-node structs, as for the rest of the snapshot.
type traces struct {
	// Per function info.
	funcName, funcScript []uint32 // string-table indices
	funcLine, funcCol    []uint32 // 1-based, 0 when unknown

	// Per trace node, in file order (a preorder of the tree).
	nodeID     []uint32 // the tracker's id, as in a heap node's trace_node_id
	nodeFunc   []uint32 // function info index
	nodeParent []int32  // index of the caller's node, -1 for the root
	byID       []int32  // node indices sorted by nodeID
}

// traceLayout is where the fields leakls reads sit in the records of
// trace_function_infos and trace_tree.
type traceLayout struct {
	funcFields, fName, fScript, fLine, fCol int
	nodeFields, tID, tFunc                  int // the children are the last field
}

// newTraceLayout finds the fields of the trace records in the meta's
// trace_function_info_fields and trace_node_fields; ok is false when the
// meta does not list them.
func newTraceLayout(rawFuncFields, rawNodeFields json.RawMessage) (lay traceLayout, ok bool, err error) {
	var funcFields, nodeFields []string
	if len(rawFuncFields) == 0 || len(rawNodeFields) == 0 {
		return lay, false, nil
	}
	if json.Unmarshal(rawFuncFields, &funcFields) != nil || json.Unmarshal(rawNodeFields, &nodeFields) != nil {
		return lay, false, errors.New("meta.trace_function_info_fields and meta.trace_node_fields must be lists of names")
	}
	if len(funcFields) == 0 || len(nodeFields) == 0 {
		return lay, false, nil
	}
	lay.funcFields, lay.nodeFields = len(funcFields), len(nodeFields)
	if nodeFields[len(nodeFields)-1] != "children" {
		return lay, false, errors.New(`meta.trace_node_fields does not end with "children": allocation traces of this layout are not supported`)
	}
	for _, f := range []struct {
		dst          *int
		fields       []string
		name, listed string
	}{
		{&lay.fName, funcFields, "name", "trace_function_info_fields"},
		{&lay.fScript, funcFields, "script_name", "trace_function_info_fields"},
		{&lay.fLine, funcFields, "line", "trace_function_info_fields"},
		{&lay.fCol, funcFields, "column", "trace_function_info_fields"},
		{&lay.tID, nodeFields, "id", "trace_node_fields"},
		{&lay.tFunc, nodeFields, "function_info_index", "trace_node_fields"},
	} {
		if *f.dst = slices.Index(f.fields, f.name); *f.dst < 0 {
			return lay, false, fmt.Errorf("meta.%s has no %q field", f.listed, f.name)
		}
	}
	return lay, true, nil
}

// traceFunctionInfos reads the trace_function_infos section.
func (p *parser) traceFunctionInfos() error {
	lay, t := &p.lay.trace, &p.s.trace
	if !p.lay.hasTraces || t.funcName != nil {
		return p.sc.errorf("unexpected trace_function_infos section")
	}
	ff := lay.funcFields
	// The header counts the function infos; each takes at least two bytes
	// per field, which bounds what a damaged header can make us allocate.
	n := p.s.meta.TraceFunctionCount
	if p.size >= 0 {
		n = int(min(int64(n), p.size/int64(2*ff)))
	}
	n = p.capacity(int64(n))
	t.funcName, t.funcScript = make([]uint32, 0, n), make([]uint32, 0, n)
	t.funcLine, t.funcCol = make([]uint32, 0, n), make([]uint32, 0, n)
	return p.sc.uints(ff, func(v []uint32) error {
		if len(v)%ff != 0 {
			return p.sc.errorf("the trace_function_infos array length is not a multiple of the %d function info fields", ff)
		}
		for r := 0; r < len(v); r += ff {
			rec := v[r : r+ff]
			t.funcName = append(t.funcName, rec[lay.fName])
			t.funcScript = append(t.funcScript, rec[lay.fScript])
			t.funcLine = append(t.funcLine, rec[lay.fLine])
			t.funcCol = append(t.funcCol, rec[lay.fCol])
		}
		return nil
	})
}

// traceTree reads the trace_tree section, a nested array: a list of nodes,
// each its fields followed by the list of its children. The lists are
// walked with a stack of the parents whose children are being read, not
// by recursion: allocation stacks can be deep.
func (p *parser) traceTree() error {
	sc, lay, t := p.sc, &p.lay.trace, &p.s.trace
	if !p.lay.hasTraces || t.nodeID != nil {
		return sc.errorf("unexpected trace_tree section")
	}
	if err := sc.expect('[', "'[' (the trace tree)"); err != nil {
		return err
	}
	t.nodeID = []uint32{}
	parents := []int32{-1}
	rec := make([]uint32, lay.nodeFields-1)
	// afterValue: a node's children list (or a whole list) just ended, so
	// ',' or ']' comes next.
	afterValue := false
	for len(parents) > 0 {
		c, err := sc.peek("a trace node, ',' or ']'")
		if err != nil {
			return err
		}
		switch {
		case c == ']':
			sc.pos++
			parents, afterValue = parents[:len(parents)-1], true
		case c == ',' && afterValue:
			sc.pos++
			afterValue = false
		case afterValue:
			return sc.errorf("expected ',' or ']' after a trace node, found %s", quoteByte(c))
		default:
			if err := sc.record(rec); err != nil {
				return err
			}
			if err := sc.expect('[', "'[' (a trace node's children)"); err != nil {
				return err
			}
			t.nodeID = append(t.nodeID, rec[lay.tID])
			t.nodeFunc = append(t.nodeFunc, rec[lay.tFunc])
			t.nodeParent = append(t.nodeParent, parents[len(parents)-1])
			parents = append(parents, int32(len(t.nodeID)-1))
		}
	}
	return nil
}

// record reads len(rec) comma-separated integers into rec, and the comma
// after them.
func (sc *scanner) record(rec []uint32) error {
	for k := range rec {
		if _, err := sc.peek("a number"); err != nil {
			return err
		}
		sc.fill(maxLookahead)
		buf := sc.buf[sc.pos:sc.end]
		var v uint64
		i := 0
		for ; i < len(buf) && buf[i]-'0' < 10; i++ {
			if v = v*10 + uint64(buf[i]-'0'); v > math.MaxUint32 {
				return sc.errorf("number does not fit in 32 bits")
			}
		}
		if i == 0 {
			return sc.errorf("expected a number, found %s", quoteByte(buf[0]))
		}
		sc.pos += i
		rec[k] = uint32(v)
		if err := sc.expect(',', "',' in a trace node"); err != nil {
			return err
		}
	}
	return nil
}

// finishTraces checks the traces against each other and the heap nodes,
// and indexes the trace nodes by id.
func (s *Snapshot) finishTraces() error {
	t := &s.trace
	funcs := uint32(len(t.funcName))
	for i, f := range t.nodeFunc {
		if f >= funcs {
			return fmt.Errorf("trace node %d refers to function info %d, but the snapshot lists %d", t.nodeID[i], f, funcs)
		}
	}
	for _, f := range slices.Concat(t.funcName, t.funcScript) {
		if int(f) >= s.meta.StringCount {
			return fmt.Errorf("a trace function info refers to string %d, but the string table holds %d", f, s.meta.StringCount)
		}
	}
	t.byID = make([]int32, len(t.nodeID))
	for i := range t.byID {
		t.byID[i] = int32(i)
	}
	slices.SortFunc(t.byID, func(a, b int32) int { return cmp.Compare(t.nodeID[a], t.nodeID[b]) })
	s.meta.TraceNodeCount = len(t.nodeID)
	return nil
}

// HasAllocationTraces reports whether the snapshot carries allocation
// traces: it was taken while V8's allocation tracker ran.
func (s *Snapshot) HasAllocationTraces() bool { return len(s.trace.nodeID) > 0 && s.traceNode != nil }

// traceIndex returns the index of the trace node with id, or -1.
func (t *traces) traceIndex(id uint32) int {
	i, ok := slices.BinarySearchFunc(t.byID, id, func(k int32, id uint32) int { return cmp.Compare(t.nodeID[k], id) })
	if !ok {
		return -1
	}
	return int(t.byID[i])
}

// Frame is one function of an allocation stack, where the snapshot's
// allocation traces place it.
type Frame struct {
	// Function is the function's name ("" for an anonymous function).
	Function string `json:"function"`
	// File is the function's script as V8 names it (see
	// SourceHint.ScriptName), or, once placed, the source file.
	File string `json:"file"`
	// Line and Column are 1-based: the start of the function as the
	// snapshot records it (the "(" of its parameter list), or, once
	// placed, the allocating expression; 0 when unknown.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Dependency tells a frame in a package under node_modules, set when
	// the frame is placed in the source.
	Dependency bool `json:"dependency,omitempty"`
	// Expression is, once placed, the expression of the frame's function
	// that led to the allocation, when found in its source: the
	// allocating "new Order()", or the call to the next frame of the
	// stack, as in "setInterval()".
	Expression string `json:"expression,omitempty"`
	// Calls is the name of the function this frame called on the stack
	// (the next frame inward, whether kept or not: Node's setInterval for
	// a Timeout; "(anonymous function)" for one without a name), "" for
	// the allocating frame.
	Calls string `json:"-"`
}

// Allocation is one allocation stack of a cluster's objects and how many
// of them it allocated.
type Allocation struct {
	Count int `json:"count"`
	// Frames are the stack's functions of the program, the allocating one
	// first; the functions of Node's own code and of V8's built-ins are
	// left out.
	Frames []Frame `json:"frames"`
}

// Bounds of the allocation stacks kept per cluster.
const (
	// MaxAllocations is the number of stacks kept, the most common first.
	MaxAllocations = 3
	// MaxFrames is the number of frames kept per stack.
	MaxFrames = 16
)

// allocations returns the most common allocation stacks of nodes (at most
// MaxAllocations), or nil when the snapshot has no traces or none of the
// nodes was allocated while tracking. Stacks that differ only in frames
// left out (Node's own code, built-ins) are one.
func (s *Snapshot) allocations(nodes []int32) []Allocation {
	if !s.HasAllocationTraces() {
		return nil
	}
	perTrace := map[uint32]int{}
	for _, n := range nodes {
		if id := s.traceNode[n]; id != 0 {
			perTrace[id]++
		}
	}
	var out []Allocation
	at := map[string]int{}
	var key strings.Builder
	for _, id := range slices.Sorted(maps.Keys(perTrace)) {
		frames := s.stack(s.trace.traceIndex(id), &key)
		if len(frames) == 0 {
			continue
		}
		if i, ok := at[key.String()]; ok {
			out[i].Count += perTrace[id]
			continue
		}
		at[key.String()] = len(out)
		out = append(out, Allocation{Count: perTrace[id], Frames: frames})
	}
	slices.SortStableFunc(out, func(a, b Allocation) int { return cmp.Compare(b.Count, a.Count) })
	return out[:min(len(out), MaxAllocations)]
}

// stack returns the frames of the program on the allocation stack of
// trace node i (innermost first, at most MaxFrames), writing into key the
// function infos they come from.
func (s *Snapshot) stack(i int, key *strings.Builder) []Frame {
	t := &s.trace
	key.Reset()
	var frames []Frame
	calls := ""
	for ; i >= 0 && len(frames) < MaxFrames; i = int(t.nodeParent[i]) {
		f := t.nodeFunc[i]
		name, script := s.str(t.funcName[f]), s.str(t.funcScript[f])
		if programScript(script) {
			key.WriteString(strconv.Itoa(int(f)))
			key.WriteByte(',')
			frames = append(frames, Frame{Function: name, File: script, Line: int(t.funcLine[f]), Column: int(t.funcCol[f]), Calls: calls})
		}
		calls = cmp.Or(name, "(anonymous function)")
	}
	return frames
}
