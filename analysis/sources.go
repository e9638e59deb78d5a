package analysis

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// SourceHint is what a snapshot itself says about where a node comes from
// in the program's source. It is a raw fact from the snapshot: mapping the
// script to a file in the user's workspace (and through source maps) is
// done elsewhere.
type SourceHint struct {
	// ScriptName is the script's name as V8 knows it: a plain path for
	// CommonJS modules, a file:// URL for ES modules, "node:internal/..."
	// for Node's own code. Empty when the script could not be resolved.
	ScriptName string
	// ScriptID is V8's id of the script (valid within one process).
	ScriptID int
	// Line and Column are 0-based. For a closure they point at its
	// function (the column of the parameter list's "("), for an object at
	// its constructor. Both are -1 when the snapshot records no position
	// (for example for a context, whose script is known but not its
	// declaration).
	Line, Column int
	// Function names the function: the closure itself, or the
	// constructor of an object. Empty when unknown.
	Function string
}

// HasPosition reports whether the hint carries a line and column.
func (h SourceHint) HasPosition() bool { return h.Line >= 0 }

// Sources answers source questions about the nodes of one snapshot:
// where a closure or a constructor was defined, which variables a context
// holds, and the text of a script. Build it with NewSources; it is safe for
// concurrent use.
type Sources struct {
	s *Snapshot

	once      sync.Once
	scriptIDs map[uint32]int // script id → Script node, from closures whose script is known
}

// NewSources returns the source index of s. It is cheap: the script table
// is built on first use.
func NewSources(s *Snapshot) *Sources { return &Sources{s: s} }

// edgeTo returns the target of the first edge of node n with type t and
// name name, or -1.
func (s *Snapshot) edgeTo(n int, t EdgeType, name string) int {
	first, end := s.EdgeRange(n)
	for e := first; e < end; e++ {
		if s.EdgeType(e) == t && s.EdgeName(e) == name {
			return s.EdgeTo(e)
		}
	}
	return -1
}

// scriptOf returns the Script node of closure n, following closure
// →shared→ SharedFunctionInfo →script_or_debug_info (V8 < 12) or →script
// (V8 ≥ 12), or -1.
func (s *Snapshot) scriptOf(n int) int {
	shared := s.edgeTo(n, EdgeInternal, "shared")
	if shared < 0 {
		return -1
	}
	script := s.edgeTo(shared, EdgeInternal, "script")
	if script < 0 {
		script = s.edgeTo(shared, EdgeInternal, "script_or_debug_info")
	}
	if script < 0 || s.NodeType(script) != NodeCode {
		return -1
	}
	return script
}

// scriptName returns the name of Script node script: its "name" edge's
// string when present (the node name is the same string, but may be
// truncated by the snapshot writer for very long URLs, and is
// "(concatenated string)" when the name is one, as Node 18 builds its
// CommonJS modules' names), else the node name.
func (s *Snapshot) scriptName(script int) string {
	if name := s.edgeTo(script, EdgeInternal, "name"); name >= 0 && s.NodeType(name).IsString() {
		return s.StringValue(name)
	}
	return s.NodeName(script)
}

// maxStringValue bounds the text StringValue rebuilds from the parts of a
// concatenated string.
const maxStringValue = 4096

// StringValue returns the text of string node n as far as the snapshot
// records it: a flat string's name (V8 cuts names at 1024 characters), or
// for a concatenated string, whose node V8 names "(concatenated string)",
// the text of its parts (its "first" and "second" edges), up to 4096
// bytes. A sliced string, whose offset V8 does not record, is its name.
func (s *Snapshot) StringValue(n int) string {
	if s.NodeType(n) != NodeConsString {
		return s.NodeName(n)
	}
	var b strings.Builder
	stack := []int{n}
	for len(stack) > 0 && b.Len() < maxStringValue {
		m := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.NodeType(m) != NodeConsString {
			b.WriteString(s.NodeName(m))
			continue
		}
		first, second := s.edgeTo(m, EdgeInternal, "first"), s.edgeTo(m, EdgeInternal, "second")
		if first < 0 || second < 0 {
			return s.NodeName(n) // the parts are not in the snapshot
		}
		stack = append(stack, second, first)
	}
	v := b.String()
	if len(v) > maxStringValue {
		cut := maxStringValue
		for cut > 0 && !utf8.RuneStart(v[cut]) {
			cut-- // do not split a character
		}
		v = v[:cut]
	}
	return v
}

// scripts returns the script id → Script node table, built once from the
// closures whose location and script are both known.
func (x *Sources) scripts() map[uint32]int {
	x.once.Do(func() {
		s := x.s
		x.scriptIDs = map[uint32]int{}
		for n := 0; n < s.NodeCount(); n++ {
			if s.NodeType(n) != NodeClosure {
				continue
			}
			loc, ok := s.Location(n)
			if !ok {
				continue
			}
			if _, seen := x.scriptIDs[loc.ScriptID]; seen {
				continue
			}
			if script := s.scriptOf(n); script >= 0 {
				x.scriptIDs[loc.ScriptID] = script
			}
		}
	})
	return x.scriptIDs
}

// Hint returns the source hint of node n:
//
//   - a closure: its location and its script (through its shared function
//     info), Function = its name;
//   - an object with a recorded location (V8 records its constructor's):
//     that location, the script with that id, Function = the constructor
//     name;
//   - a context ("system / Context"): the script of a closure created in
//     it, without a position.
//
// It reports false when the snapshot knows nothing about n's source.
func (x *Sources) Hint(n int) (SourceHint, bool) {
	s := x.s
	if n < 0 || n >= s.NodeCount() {
		return SourceHint{}, false
	}
	if s.NodeType(n) == NodeClosure {
		return x.closureHint(n)
	}
	if s.NodeName(n) == "system / Context" {
		return x.contextHint(n)
	}
	loc, ok := s.Location(n)
	if !ok {
		return SourceHint{}, false
	}
	h := SourceHint{ScriptID: int(loc.ScriptID), Line: int(loc.Line), Column: int(loc.Column)}
	if t := s.NodeType(n); t == NodeObject || t == NodeRegExp {
		h.Function = s.NodeName(n)
	}
	if script, ok := x.scripts()[loc.ScriptID]; ok {
		h.ScriptName = s.scriptName(script)
	}
	return h, true
}

// closureHint is Hint for closure n: its location, and its script through
// its shared function info.
func (x *Sources) closureHint(n int) (SourceHint, bool) {
	s := x.s
	h := SourceHint{Line: -1, Column: -1, Function: s.NodeName(n)}
	loc, hasLoc := s.Location(n)
	if hasLoc {
		h.ScriptID, h.Line, h.Column = int(loc.ScriptID), int(loc.Line), int(loc.Column)
	}
	if script := s.scriptOf(n); script >= 0 {
		h.ScriptName = s.scriptName(script)
	} else if hasLoc {
		if script, ok := x.scripts()[loc.ScriptID]; ok {
			h.ScriptName = s.scriptName(script)
		}
	}
	if h.ScriptName == "" && !hasLoc {
		return SourceHint{}, false
	}
	return h, true
}

// contextHint reports the script of a closure whose context is ctx.
func (x *Sources) contextHint(ctx int) (SourceHint, bool) {
	for from := range x.s.closuresOf(ctx) {
		if h, ok := x.closureHint(from); ok && h.ScriptName != "" {
			return SourceHint{ScriptName: h.ScriptName, ScriptID: h.ScriptID, Line: -1, Column: -1}, true
		}
	}
	return SourceHint{}, false
}

// Variable is a variable captured in a context: its name and the node it
// holds.
type Variable struct {
	Name string
	Node int
}

// Variables returns the variables held by context node ctx (the context
// edges of a "system / Context"), in file order, without those of outer
// contexts. For a closure, pass the target of its "context" edge (see
// Context).
func (x *Sources) Variables(ctx int) []Variable {
	s := x.s
	if ctx < 0 || ctx >= s.NodeCount() {
		return nil
	}
	var vars []Variable
	first, end := s.EdgeRange(ctx)
	for e := first; e < end; e++ {
		if s.EdgeType(e) == EdgeContext {
			vars = append(vars, Variable{Name: s.EdgeName(e), Node: s.EdgeTo(e)})
		}
	}
	return vars
}

// Context returns the context node of closure n (its "context" edge), or
// -1.
func (x *Sources) Context(n int) int {
	if n < 0 || n >= x.s.NodeCount() || x.s.NodeType(n) != NodeClosure {
		return -1
	}
	return x.s.edgeTo(n, EdgeInternal, "context")
}

// ScriptSource returns the source text of the script named scriptName
// (its "source" edge), so that a "//# sourceMappingURL=" comment can be
// read. It reports false when no closure of the snapshot leads to that
// script or the source is not a flat string. Strings longer than V8's
// snapshot limit (1024 characters in node names) are truncated by V8, so
// the text may be the script's beginning only.
func (x *Sources) ScriptSource(scriptName string) (string, bool) {
	s := x.s
	for _, script := range x.scripts() {
		if s.scriptName(script) != scriptName {
			continue
		}
		src := s.edgeTo(script, EdgeInternal, "source")
		if src < 0 || !s.NodeType(src).IsString() {
			return "", false
		}
		return s.NodeName(src), true
	}
	return "", false
}

// Scripts returns the names of the scripts that closures in the snapshot
// come from, keyed by script id.
func (x *Sources) Scripts() map[int]string {
	s := x.s
	out := make(map[int]string, len(x.scripts()))
	for id, script := range x.scripts() {
		out[int(id)] = s.scriptName(script)
	}
	return out
}
