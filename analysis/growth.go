package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/leakls/leakls/internal/units"
)

// Growing holders.
//
// The three-snapshot search reports objects allocated during the suspect
// work and still alive. Some leaks allocate nothing that a snapshot shows
// as a new object: a shared handler registered on a long-lived server on
// every request adds one more element to the same listener array; a Map
// from numbers to numbers grows only its hash table (V8 replaces the
// table, so even the table's id changes, but the Map keeps its id). These
// are found by following the same object — the same id in every snapshot
// of the series — and comparing its element count (element edges: an
// array's or a listener list's entries) and its size with its backing
// stores (a Map's or Set's table, an array's elements, a dictionary
// object's properties) from one snapshot to the next. A holder that grows
// at every step, by enough in all, is reported with its numbers.
//
// Only the final snapshot needs a graph; the earlier ones give their
// fingerprints (ReadFingerprint), which carry both measures per JS object.
// A string built by concatenation is a new object at every step, so it is
// not followed here: the three-snapshot search reports it.

// GrowthOptions configures FindGrowth.
type GrowthOptions struct {
	// MinEntries is the growth in elements, first snapshot to final, from
	// which a holder whose element count grows at every step is reported
	// (0: DefaultMinEntries).
	MinEntries int
	// MinBytes is the growth in bytes, first snapshot to final, from which
	// a holder whose size grows at every step is reported (0:
	// DefaultMinBytes).
	MinBytes uint64
	// Top bounds the number of holders reported, largest growth first (0:
	// all).
	Top int
	// Paths and Sources, when set, are used instead of new ones for the
	// final snapshot.
	Paths   *Paths
	Sources *Sources
}

// Default thresholds of GrowthOptions: well above what a program's own
// warm-up grows (module caches, interned strings), well below a leak
// repeated a few hundred times.
const (
	DefaultMinEntries = 100
	DefaultMinBytes   = 16 << 10
)

// Growth is a holder that grew at every step of a snapshot series.
type Growth struct {
	// Holder is the growing object in the final snapshot.
	Holder Hop `json:"holder"`
	// Label says what grew, for people: "`upgrade` listeners on this
	// Server", "Map hits", "Array samples".
	Label string `json:"label"`
	// Entries and Bytes are the holder's element count and its size with
	// its backing stores, one value per snapshot, oldest first.
	Entries []int    `json:"entries"`
	Bytes   []uint64 `json:"bytes"`
	// Path is the holder's retainer path in the final snapshot; its last
	// hop is the holder.
	Path []Hop `json:"path"`
	// Variable is the index in Path of the hop through the last variable
	// (context edge), or -1 (see Cluster.Variable).
	Variable int `json:"variable"`
	// Signature identifies the leak across runs: that of the finding
	// that reports it (finding.Finding.Signature), or one derived from
	// its retainer path when no finding places it in the source. Set by
	// evidence.Analyze.
	Signature string `json:"signature,omitempty"`
}

// Grew reports whether the holder's element count, rather than only its
// size, grew at every step.
func (g *Growth) Grew() bool { return increasing(g.Entries) }

// Summary formats the growth for one line of text: "`upgrade` listeners
// on this Server: 40 → 2,040 → 4,040", or sizes when the element count
// did not grow.
func (g *Growth) Summary() string {
	var parts []string
	if g.Grew() {
		for _, n := range g.Entries {
			parts = append(parts, units.Count(n))
		}
	} else {
		for _, b := range g.Bytes {
			parts = append(parts, units.Count(int(b))+" B")
		}
	}
	return g.Label + ": " + strings.Join(parts, " → ")
}

// FindGrowth returns the holders of final that were already in every
// earlier snapshot of the series (oldest first; they must have passed
// CheckSeries with final) and grew at every step, by at least the
// thresholds of opts, largest growth in bytes first.
func FindGrowth(earlier []*Fingerprint, final *Snapshot, opts GrowthOptions) []Growth {
	minEntries := cmp.Or(opts.MinEntries, DefaultMinEntries)
	minBytes := cmp.Or(opts.MinBytes, DefaultMinBytes)
	s := final
	paths := opts.Paths
	if paths == nil {
		paths = NewPaths(s)
	}
	type found struct {
		n       int
		entries []int
		bytes   []uint64
	}
	var grown []found
	steps := len(earlier) + 1
	// Scratch measures, copied for the few holders that grew.
	entries, bytes := make([]int, 0, steps), make([]uint64, 0, steps)
	for n := 1; n < s.NodeCount(); n++ {
		id := s.NodeID(n)
		if !tracked(id) || s.NodeType(n) != NodeObject || strings.HasPrefix(s.NodeName(n), "system / ") {
			continue
		}
		entries, bytes = entries[:0], bytes[:0]
		for _, fp := range earlier {
			e, b, ok := fp.holder(id)
			if !ok {
				break
			}
			entries, bytes = append(entries, int(e)), append(bytes, b)
		}
		if len(entries) < len(earlier) {
			continue
		}
		e, b := s.holderSize(n)
		entries, bytes = append(entries, int(e)), append(bytes, b)
		byEntries := increasing(entries) && entries[len(entries)-1]-entries[0] >= minEntries
		byBytes := increasing(bytes) && bytes[len(bytes)-1]-bytes[0] >= minBytes
		if (byEntries || byBytes) && paths.Reachable(n) {
			grown = append(grown, found{n, slices.Clone(entries), slices.Clone(bytes)})
		}
	}
	growth := func(f found) uint64 { return f.bytes[len(f.bytes)-1] - f.bytes[0] }
	slices.SortFunc(grown, func(a, b found) int {
		return cmp.Or(cmp.Compare(growth(b), growth(a)), cmp.Compare(a.n, b.n))
	})
	if opts.Top > 0 && len(grown) > opts.Top {
		grown = grown[:opts.Top]
	}
	src := opts.Sources
	if src == nil {
		src = NewSources(s)
	}
	out := make([]Growth, 0, len(grown))
	for _, f := range grown {
		path := PathHops(paths, src, f.n)
		out = append(out, Growth{
			Holder:   hop(s, src, -1, f.n),
			Label:    growthLabel(s, path, f.n),
			Entries:  f.entries,
			Bytes:    f.bytes,
			Path:     path,
			Variable: lastVariable(path),
		})
	}
	return out
}

// increasing reports whether v has at least two values and grows strictly
// at every step.
func increasing[T cmp.Ordered](v []T) bool {
	if len(v) < 2 {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] <= v[i-1] {
			return false
		}
	}
	return true
}

// growthLabel names a growing holder by how the program reaches it: the
// event of a listener list and its emitter, the variable or property that
// holds it.
func growthLabel(s *Snapshot, path []Hop, n int) string {
	class := s.ClassName(n)
	if len(path) == 0 {
		return fmt.Sprintf("%s @%d", class, s.NodeID(n))
	}
	last := path[len(path)-1]
	switch {
	case len(path) >= 3 && last.EdgeType == EdgeProperty.String() && path[len(path)-2].Edge == "_events":
		return fmt.Sprintf("`%s` listeners on this %s", last.Edge, path[len(path)-3].Name)
	case last.EdgeType == EdgeContext.String():
		return fmt.Sprintf("%s %s", class, last.Edge)
	case last.EdgeType == EdgeProperty.String() && len(path) >= 2:
		return fmt.Sprintf("%s .%s of %s", class, last.Edge, path[len(path)-2].Name)
	case lastVariable(path) >= 0:
		return fmt.Sprintf("%s @%d held through variable %s", class, s.NodeID(n), path[lastVariable(path)].Edge)
	}
	return fmt.Sprintf("%s @%d", class, s.NodeID(n))
}
