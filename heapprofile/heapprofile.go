// Package heapprofile reads V8 sampling heap profiles — the .heapprofile
// files of `node --heap-prof`, the result of the inspector's
// HeapProfiler.stopSampling, Clinic's HeapProfiler input — and attributes
// the sampled bytes to the functions that allocated them, placed in the
// workspace's sources (through source maps when the code was compiled).
//
// A profile is a call tree: each node is a call frame (function name,
// script URL, 0-based line and column of the function) with the bytes
// sampled while it was on top of the stack (selfSize) and its callees.
// V8 records no position inside a function, so an allocation site is a
// function, reported at the line where it is defined. Functions that V8
// inlined into their caller allocate in the caller's frame.
package heapprofile

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/leakls/leakls/srcloc"
)

// CallFrame is a node's function, as V8 writes it. Line and column are
// 0-based, -1 when unknown; URL is "" for code without a script (V8's and
// Node's bootstrap, and sometimes the main CommonJS module).
type CallFrame struct {
	FunctionName string `json:"functionName"`
	ScriptID     string `json:"scriptId"`
	URL          string `json:"url"`
	LineNumber   int    `json:"lineNumber"`
	ColumnNumber int    `json:"columnNumber"`
}

// Name is the function's name for people: "(anonymous)" when V8 gives
// none.
func (f CallFrame) Name() string {
	if f.FunctionName == "" {
		return "(anonymous)"
	}
	return f.FunctionName
}

// node is one node of the profile's call tree as decoded.
type node struct {
	CallFrame CallFrame `json:"callFrame"`
	SelfSize  float64   `json:"selfSize"`
	ID        int64     `json:"id"`
	Children  []*node   `json:"children"`
}

// profile is the file's top-level object.
type profile struct {
	Head    *node             `json:"head"`
	Samples []json.RawMessage `json:"samples"`
}

// Site is one allocating function with the bytes sampled in it.
type Site struct {
	CallFrame
	// Self is the bytes sampled while the function was on top of the
	// stack; Total adds the bytes its callees allocated (each byte counted
	// once even when the function recurses).
	Self  uint64 `json:"self"`
	Total uint64 `json:"total"`
	// SelfPercent and TotalPercent relate Self and Total to the profile's
	// total.
	SelfPercent  float64 `json:"selfPercent"`
	TotalPercent float64 `json:"totalPercent"`
	// Place is where the function is in the workspace, through source
	// maps; nil when the frame has no script or position.
	Place *srcloc.Place `json:"place,omitempty"`
}

// Report is the attribution of a profile's sampled bytes.
type Report struct {
	// Total is the sum of all sampled bytes; Samples the number of
	// samples the file lists (0 when it lists none, as older writers do).
	Total   uint64 `json:"total"`
	Samples int    `json:"samples"`
	// Sites are the allocating functions, largest Self first.
	Sites []Site `json:"sites"`
}

// Options configure Read.
type Options struct {
	// Resolver places the functions in the workspace; nil leaves
	// Site.Place unset.
	Resolver *srcloc.Resolver
	// Top bounds the number of sites returned (0: all).
	Top int
}

// maxNodes bounds the call tree: real profiles have thousands of nodes.
const maxNodes = 1 << 24

// ReadFile reads the profile in the file at path (see Read).
func ReadFile(path string, opts Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := Read(f, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

// Read reads a sampling heap profile from r and attributes its bytes to
// the functions that allocated them.
func Read(r io.Reader, opts Options) (*Report, error) {
	var p profile
	dec := json.NewDecoder(r)
	if err := dec.Decode(&p); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, errors.New("the file is empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, errors.New("the profile ends early: the file is truncated (was it copied while node was still writing it?)")
		case errors.As(err, &syn):
			return nil, fmt.Errorf("not JSON at byte %d: %v (a .heapprofile from node --heap-prof is expected)", syn.Offset, err)
		case errors.As(err, &typ) && typ.Field == "":
			return nil, fmt.Errorf("the file holds a JSON %s, not an object: this is not a V8 heap profile", typ.Value)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("%s at byte %d is a JSON %s, not a %s: this is not a V8 heap profile", typ.Field, typ.Offset, typ.Value, typ.Type)
		}
		return nil, err
	}
	if p.Head == nil {
		return nil, errors.New(`no "head" call tree: this is not a V8 sampling heap profile (a .heapsnapshot goes to "leakls snapshot", a .cpuprofile is not a heap profile)`)
	}
	type key struct {
		fn, url   string
		line, col int
	}
	sites := map[key]int{}
	var out []Site
	siteOf := func(cf CallFrame) int {
		k := key{cf.FunctionName, cf.URL, cf.LineNumber, cf.ColumnNumber}
		i, ok := sites[k]
		if !ok {
			i = len(out)
			sites[k] = i
			out = append(out, Site{CallFrame: cf})
		}
		return i
	}
	// An iterative walk: real call trees are deep. Each node's subtree
	// total is added to the sites on its stack once (onStack counts how
	// often a site is on the current stack, for recursion).
	type frame struct {
		n     *node
		site  int
		total uint64
		child int
	}
	var stack []frame
	onStack := map[int]int{}
	var total uint64
	count := 0
	push := func(n *node) error {
		if n == nil {
			return errors.New("a call tree node is null")
		}
		if count++; count > maxNodes {
			return fmt.Errorf("the call tree has more than %d nodes", maxNodes)
		}
		if n.SelfSize < 0 || n.SelfSize > math.MaxInt64 || n.SelfSize != math.Trunc(n.SelfSize) {
			return fmt.Errorf("node %d has selfSize %v, not a byte count", n.ID, n.SelfSize)
		}
		self := uint64(n.SelfSize)
		s := siteOf(n.CallFrame)
		out[s].Self += self
		total += self
		onStack[s]++
		stack = append(stack, frame{n: n, site: s, total: self})
		return nil
	}
	if err := push(p.Head); err != nil {
		return nil, err
	}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.child < len(top.n.Children) {
			top.child++
			if err := push(top.n.Children[top.child-1]); err != nil {
				return nil, err
			}
			continue
		}
		f := *top
		stack = stack[:len(stack)-1]
		// In a recursive call the outermost frame of the function counts
		// the bytes, once.
		if onStack[f.site]--; onStack[f.site] == 0 {
			out[f.site].Total += f.total
		}
		if len(stack) > 0 {
			stack[len(stack)-1].total += f.total
		}
	}
	rep := &Report{Total: total, Samples: len(p.Samples), Sites: []Site{}}
	for i := range out {
		s := &out[i]
		if s.Self == 0 && s.Total == 0 {
			continue
		}
		if total > 0 {
			s.SelfPercent = 100 * float64(s.Self) / float64(total)
			s.TotalPercent = 100 * float64(s.Total) / float64(total)
		}
		rep.Sites = append(rep.Sites, *s)
	}
	slices.SortFunc(rep.Sites, func(a, b Site) int {
		return cmp.Or(cmp.Compare(b.Self, a.Self), cmp.Compare(b.Total, a.Total),
			cmp.Compare(a.URL, b.URL), cmp.Compare(a.LineNumber, b.LineNumber), cmp.Compare(a.FunctionName, b.FunctionName))
	})
	if opts.Top > 0 && len(rep.Sites) > opts.Top {
		rep.Sites = rep.Sites[:opts.Top]
	}
	if opts.Resolver != nil {
		for i := range rep.Sites {
			s := &rep.Sites[i]
			if s.URL == "" || s.LineNumber < 0 || s.ColumnNumber < 0 {
				continue
			}
			if pl, err := opts.Resolver.Locate(s.URL, "", s.LineNumber, s.ColumnNumber); err == nil {
				s.Place = &pl
			}
		}
	}
	return rep, nil
}
