package analysis

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leakls/leakls/internal/strtab"
)

// ClassName returns the class DevTools' Summary view files node n under:
// the constructor name for objects and natives ("<div>" for an element
// named "<div id=…>"), "Function" for closures, "RegExp", "(system)" for
// hidden nodes, "(compiled code)" for code, and the type in parentheses for
// everything else: "(string)", "(array)", "(concatenated string)", ….
func (s *Snapshot) ClassName(n int) string {
	switch t := s.nodeType[n]; t {
	case NodeObject, NodeNative:
		return shortElementName(s.NodeName(n))
	default:
		return typeClassName(t)
	}
}

// typeClassName is the class of nodes that are not grouped by name.
func typeClassName(t NodeType) string {
	switch t {
	case NodeHidden:
		return "(system)"
	case NodeCode:
		return "(compiled code)"
	case NodeClosure:
		return "Function"
	case NodeRegExp:
		return "RegExp"
	}
	return "(" + t.String() + ")"
}

// shortElementName turns "<div id=a>" into "<div>" and "Detached <div
// id=a>" into "Detached <div>", as DevTools does for DOM wrappers.
func shortElementName(name string) string {
	from := 0
	switch {
	case strings.HasPrefix(name, "<"):
	case strings.HasPrefix(name, "Detached <"):
		from = len("Detached <")
	default:
		return name
	}
	if sp := strings.IndexByte(name[from:], ' '); sp >= 0 {
		return name[:from+sp] + ">"
	}
	return name
}

// ClassStat aggregates the nodes of one class.
type ClassStat struct {
	Name     string // as returned by ClassName
	Count    int    // nodes of the class with a non-zero self size
	Self     uint64 // their total self size
	Retained uint64 // memory retained by the class's objects together
}

// Classes aggregates the nodes by ClassName, like DevTools' Summary view:
// nodes with a zero self size are left out; self sizes are d's (they
// differ under SemanticsDevTools); a class's retained size adds up the
// retained sizes of its nodes that are not dominated by another node of
// the same class, so nested objects are not counted twice. The result is
// sorted by retained size, then self size, then name.
func (s *Snapshot) Classes(d *DomTree) []ClassStat {
	class, names := s.classes()
	stats := make([]ClassStat, len(names))
	for c, name := range names {
		stats[c].Name = name
	}
	for v, c := range class {
		if sz := d.self[v]; sz != 0 {
			stats[c].Count++
			stats[c].Self += uint64(sz)
		}
	}
	// Walk the dominator tree depth first, remembering which classes have
	// an instance on the current path: their descendants are already
	// counted in that instance's retained size.
	seen := make([]bool, len(stats))
	stack := []int32{0}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x < 0 { // leaving node ^x
			seen[class[^x]] = false
			continue
		}
		c := class[x]
		kids := d.Children(int(x))
		if !seen[c] && d.self[x] != 0 {
			stats[c].Retained += d.Retained(int(x))
			if len(kids) > 0 {
				seen[c] = true
				stack = append(stack, ^x)
			}
		}
		stack = append(stack, kids...)
	}
	stats = slices.DeleteFunc(stats, func(c ClassStat) bool { return c.Count == 0 })
	slices.SortFunc(stats, func(a, b ClassStat) int {
		if c := cmp.Compare(b.Retained, a.Retained); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Self, a.Self); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return stats
}

// classes numbers the classes densely and returns every node's class
// number and the class names. Object and native names are resolved once
// per string-table entry, other nodes once per type.
func (s *Snapshot) classes() (class []int32, names []string) {
	var tab strtab.Table[int32]
	byString := make([]int32, len(s.strOff)-1)
	for i := range byString {
		byString[i] = -1
	}
	var byType [len(nodeTypeNames)]int32
	for i := range byType {
		byType[i] = -1
	}
	class = make([]int32, len(s.nodeID))
	for v, t := range s.nodeType {
		var c int32
		if t == NodeObject || t == NodeNative {
			si := s.nodeName[v]
			if c = byString[si]; c < 0 {
				c = tab.Index(shortElementName(s.str(si)))
				byString[si] = c
			}
		} else if c = byType[t]; c < 0 {
			c = tab.Index(typeClassName(t))
			byType[t] = c
		}
		class[v] = c
	}
	return class, tab.Strings
}
