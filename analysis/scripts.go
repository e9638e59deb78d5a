package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// The program's scripts, for telling snapshots of different programs
// apart.
//
// Each script V8 compiled is a Script object in the snapshot: a "code"
// node named after the script, with an internal edge "source" to its text
// (and "name", "map", ...). Its name is what CheckSeries compares: the
// script ids of the locations section say nothing across processes (V8
// numbers scripts in compile order, so two programs of one Node version
// give their main scripts the same id), and Node's own scripts
// (node:internal/..., node:events, the empty-named natives) and V8's
// extensions (v8/gc) are in every process. What is left are the files and
// URLs of the program (see programScript).
//
// Two snapshots of one process need not hold a script in common: a module
// whose functions are all gone is collected with its Script, and one
// loaded later is new. Measured on Node 20: a main script that writes a
// snapshot and then requires a module from a timer is no longer in the next
// snapshot, which holds only the module. But a Script keeps its object id,
// and an object of the later snapshot with an id not above the earlier
// snapshot's newest was alive when the earlier one was taken, so the
// earlier one holds it too. Snapshots are of different programs when their
// program scripts share no name although the later one holds such an old
// script.

// script is a script of the program in a snapshot: its Script object's id
// and its name.
type script struct {
	id   uint32
	name string
}

// sourceEdge names the edge from a Script to its source text.
const sourceEdge = "source"

// scriptEdge reports whether an edge of type t from a code node to a node
// of type to may be a Script's source edge; its name tells.
func scriptEdge(t EdgeType, to NodeType) bool { return t == EdgeInternal && to.IsString() }

// programScript reports whether a script name is a file or URL of the
// program: an absolute path (CommonJS; "/…", "C:\…", "\\server\…") or a URL
// with an authority (file:// for ES modules, http(s)://, webpack://). Node's
// own scripts ("node:…"), V8's extensions ("v8/gc"), unnamed scripts, and
// the generic names of code without a file ("[eval]",
// "evalmachine.<anonymous>", "REPL1") are not: every process of a Node
// version holds the former, and the latter name no program.
func programScript(name string) bool {
	switch {
	case strings.HasPrefix(name, "/"), strings.HasPrefix(name, `\\`), strings.Contains(name, "://"):
		return true
	case len(name) > 3 && name[1] == ':' && (name[2] == '\\' || name[2] == '/'):
		c := name[0] | 0x20
		return c >= 'a' && c <= 'z'
	}
	return false
}

// programScripts keeps the program's scripts among the Script nodes found,
// one per name (the one with the lowest id), and orders them by id.
func programScripts(found []script) []script {
	found = slices.DeleteFunc(found, func(s script) bool { return !programScript(s.name) })
	slices.SortFunc(found, func(a, b script) int {
		return cmp.Or(strings.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
	})
	found = slices.CompactFunc(found, func(a, b script) bool { return a.name == b.name })
	slices.SortFunc(found, func(a, b script) int { return cmp.Compare(a.id, b.id) })
	return found
}

// scripts returns the program's scripts of a loaded snapshot.
func (s *Snapshot) scripts() []script {
	var found []script
	for n, t := range s.nodeType {
		if t != NodeCode {
			continue
		}
		first, end := s.EdgeRange(n)
		for e := first; e < end; e++ {
			if scriptEdge(s.edgeType[e], s.nodeType[s.EdgeTo(e)]) && s.EdgeName(e) == sourceEdge {
				found = append(found, script{id: s.nodeID[n], name: s.NodeName(n)})
				break
			}
		}
	}
	return programScripts(found)
}

// scriptScan finds the Script nodes of a snapshot read as a stream (see
// ReadFingerprint), where the names of nodes and edges are string-table
// indices that resolve only at the end of the file. It keeps the code
// nodes' names (code nodes are a few thousand even in large heaps: their
// number grows with the program, not with its data) and, as candidates,
// their edges that may be a source edge; resolve then keeps the candidates
// whose edge is named "source".
type scriptScan struct {
	code  []codeNode // every code node, in node order
	next  int        // the code node whose edges are being read
	cands []scriptCand
}

// codeNode is a code node's ordinal and name.
type codeNode struct{ ord, name uint32 }

// scriptCand is a code node's id and name, with the name of one of its
// edges that may be the source edge of a Script.
type scriptCand struct{ id, name, edge uint32 }

// node records node ord, of type t and named name (a string index).
func (x *scriptScan) node(ord int, t NodeType, name uint32) {
	if t == NodeCode {
		x.code = append(x.code, codeNode{ord: uint32(ord), name: name})
	}
}

// edge records an edge of code node ord (id id) named name, of type t to
// a node of type to. It is called for the edges of code nodes only, in
// node order.
func (x *scriptScan) edge(ord int, id uint32, t EdgeType, name uint32, to NodeType) {
	if !scriptEdge(t, to) {
		return
	}
	for x.code[x.next].ord < uint32(ord) {
		x.next++
	}
	x.cands = append(x.cands, scriptCand{id: id, name: x.code[x.next].name, edge: name})
}

// wanted returns the ascending string-table indices resolve needs.
func (x *scriptScan) wanted() []uint32 {
	var want []uint32
	for _, c := range x.cands {
		want = append(want, c.name, c.edge)
	}
	slices.Sort(want)
	return slices.Compact(want)
}

// resolve returns the program's scripts, given the strings at the indices
// wanted returned.
func (x *scriptScan) resolve(want []uint32, strs []string) []script {
	str := func(i uint32) string {
		k, _ := slices.BinarySearch(want, i)
		return strs[k]
	}
	var found []script
	for _, c := range x.cands {
		if str(c.edge) == sourceEdge {
			found = append(found, script{id: c.id, name: str(c.name)})
		}
	}
	return programScripts(found)
}

// programMismatch returns why a and b cannot be snapshots of one program,
// naming a script of each ("/srv/a/app.js vs /srv/b/main.js"), or "": their
// program scripts share no name, although the later snapshot (the one with
// the newer objects) holds a script that predates the earlier one. Without
// program scripts on both sides it cannot tell and returns "".
func programMismatch(a, b *Fingerprint) string {
	older, newer := a, b
	if a.maxJS > b.maxJS {
		older, newer = b, a
	}
	if len(older.scripts) == 0 {
		return ""
	}
	held := make(map[string]bool, len(older.scripts))
	for _, s := range older.scripts {
		held[s.name] = true
	}
	var old []script // newer's scripts that older would hold if they were one process
	for _, s := range newer.scripts {
		if held[s.name] {
			return ""
		}
		if tracked(s.id) && s.id <= older.maxJS {
			old = append(old, s)
		}
	}
	if len(old) == 0 {
		return ""
	}
	first, second := listScripts(older.scripts), listScripts(old)
	if older == b {
		first, second = second, first
	}
	return first + " vs " + second
}

// listScripts names the first script, and how many more there are.
func listScripts(list []script) string {
	if len(list) == 1 {
		return list[0].name
	}
	return fmt.Sprintf("%s and %d more", list[0].name, len(list)-1)
}
