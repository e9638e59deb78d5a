package evidence

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/units"
)

// TextOptions configure Report.WriteText.
type TextOptions struct {
	// Top bounds the lists: the leaks in the details, the other
	// clusters, the classes (0: all, and the clusters Node's own code
	// holds listed one by one).
	Top int
	// FullPath shows every hop of the retainer paths; by default the
	// hops before the holder's owner (see OwnerHop) are folded into one
	// line.
	FullPath bool
	// Iterations is the number of iterations of the work between two
	// snapshots, when known (leakls run): rates are then per iteration,
	// else per snapshot step.
	Iterations int
	// Verdict, when set, is the report's first line (leakls run).
	Verdict string
	// Memory, when set, is printed after the leaks, before the details:
	// the memory trend of a run, one or more lines.
	Memory string
}

// WriteText writes rep for people. A leak report leads with the verdict
// and one line per leak — file:line, rule, what grows and how fast —
// then the leaks the baseline knows, the clusters Node's own code holds
// (one line), the memory trend, and then the details: each leak's
// message, signature, clusters with their retainer paths and allocation
// stacks, the clusters no source line holds, and the leaked objects by
// class. A summary or a comparison is written as its tables, a summary
// followed by the holders in the source.
func (rep *Report) WriteText(w io.Writer, o TextOptions) {
	switch {
	case rep.Summary != nil:
		rep.writeSummary(w)
		rep.writeHolders(w)
	case rep.Comparison != nil:
		rep.writeComparison(w, o)
	default:
		rep.writeLeaks(w, o)
	}
}

// DetailsHeading starts the details of a leak report's text.
const DetailsHeading = "Details"

// writeLeaks writes a leak report: the one-screen part, then the details.
func (rep *Report) writeLeaks(w io.Writer, o TextOptions) {
	lr := rep.Leaks
	if o.Verdict != "" {
		fmt.Fprintf(w, "%s\n\n", o.Verdict)
	}
	leaks := rep.leakList()
	node, other := rep.otherClusters()
	switch {
	case len(leaks) > 0:
		fmt.Fprintf(w, "%s in the source, %s:\n", countText(len(leaks), "leak"), o.per())
		for _, l := range leaks {
			fmt.Fprintf(w, "  %s\n", l.line(o))
		}
	case lr.Count == 0 && len(lr.Growing) == 0:
		fmt.Fprintln(w, "No leaks: no object allocated between baseline and target is alive in final.")
	default:
		fmt.Fprintln(w, "No leak placed in the source.")
	}
	grown := rep.otherGrowing()
	if n := len(other); n > 0 {
		fmt.Fprintf(w, "%s held by no line of the program's source (see the details)\n", countText(n, "cluster"))
	}
	if n := len(grown); n > 0 {
		fmt.Fprintf(w, "%s at every step, held by no line of the program's source (see the details)\n", countText(n, "holder grew", "holders grew"))
	}
	if len(rep.Known) > 0 {
		fmt.Fprintf(w, "\nKnown leaks seen (in the baseline, not failing the run):\n")
		for _, l := range rep.leaksOf(rep.Known, rep.KnownClusters, rep.KnownGrowing) {
			fmt.Fprintf(w, "  %s\n", l.line(o))
		}
	}
	if len(node) > 0 {
		fmt.Fprintf(w, "\nCreated by Node during the run: %s of %s (not the program's leaks; --top 0 lists them)\n",
			countText(len(node), "cluster"), countText(objectsOf(node), "object"))
	}
	if lr.OmittedClusters > 0 {
		var why []string
		if small := lr.OmittedClusters - lr.OmittedSteady; small > 0 {
			why = append(why, "by --min-count: "+countText(small, "smaller cluster"))
		}
		if lr.OmittedSteady > 0 {
			why = append(why, "as not growing at every step: "+countText(lr.OmittedSteady, "cluster"))
		}
		fmt.Fprintf(w, "Left out %s (%s)\n", strings.Join(why, "; "), countText(lr.OmittedObjects, "object"))
	}
	if o.Memory != "" {
		fmt.Fprintf(w, "\n%s", o.Memory)
	}
	if lr.Count == 0 && len(lr.Growing) == 0 && len(rep.Known) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", DetailsHeading)
	for i, l := range leaks[:o.limit(len(leaks))] {
		l.write(w, i+1, o)
	}
	if n := len(leaks) - o.limit(len(leaks)); n > 0 {
		fmt.Fprintf(w, "\n(%s; --top 0 shows all)\n", countText(n, "more leak"))
	}
	if o.Top == 0 {
		other = append(other, node...)
	}
	for i, c := range other[:o.limit(len(other))] {
		fmt.Fprintf(w, "\n#%d  %s\n", len(leaks)+i+1, clusterHeader(c))
		writeCluster(w, c, o)
	}
	if n := len(other) - o.limit(len(other)); n > 0 {
		fmt.Fprintf(w, "\n(%s; --top 0 shows all)\n", countText(n, "more cluster"))
	}
	for i, g := range grown {
		fmt.Fprintf(w, "\n#%d  grew at every step: %s\n", len(leaks)+o.limit(len(other))+i+1, g.Summary())
		writePath(w, g.Path, o.FullPath)
	}
	rep.writeClasses(w, o)
}

// per says what rates are per: "growth per iteration (10 iterations
// between snapshots)", or per snapshot step when the iterations are not
// known.
func (o TextOptions) per() string {
	if o.Iterations > 0 {
		return fmt.Sprintf("growth per iteration (%d iterations between snapshots)", o.Iterations)
	}
	return "growth per snapshot step"
}

// limit returns n capped at Top (0 meaning no cap).
func (o TextOptions) limit(n int) int {
	if o.Top > 0 && n > o.Top {
		return o.Top
	}
	return n
}

// leak is one leak of the report: a finding with the clusters and
// growing holders it reports.
type leak struct {
	finding  finding.Finding
	clusters []*analysis.Cluster
	growing  []*analysis.Growth
}

// leakList returns the report's findings, files relative to the root,
// each with the clusters and growing holders of its signature.
func (rep *Report) leakList() []leak {
	return rep.leaksOf(rep.Findings, rep.Leaks.Clusters, rep.Leaks.Growing)
}

// leaksOf returns found, files relative to the root, each with the
// clusters and growing holders of its signature.
func (rep *Report) leaksOf(found []finding.Finding, clusters []analysis.Cluster, growing []analysis.Growth) []leak {
	found = rep.relFindings(found)
	out := make([]leak, len(found))
	at := map[string]int{}
	for i, f := range found {
		out[i].finding = f
		if f.Signature != "" {
			at[f.Signature] = i
		}
	}
	for i := range clusters {
		c := &clusters[i]
		if k, ok := at[c.Signature]; ok {
			out[k].clusters = append(out[k].clusters, c)
		}
	}
	for i := range growing {
		g := &growing[i]
		if k, ok := at[g.Signature]; ok {
			out[k].growing = append(out[k].growing, g)
		}
	}
	return out
}

// otherClusters returns the clusters no finding reports: those only
// Node's own code holds, and the others.
func (rep *Report) otherClusters() (node, other []*analysis.Cluster) {
	placed := rep.signatures()
	for i := range rep.Leaks.Clusters {
		c := &rep.Leaks.Clusters[i]
		switch {
		case placed[c.Signature]:
		case c.Node:
			node = append(node, c)
		default:
			other = append(other, c)
		}
	}
	return node, other
}

// otherGrowing returns the growing holders no finding reports.
func (rep *Report) otherGrowing() []*analysis.Growth {
	placed := rep.signatures()
	var out []*analysis.Growth
	for i := range rep.Leaks.Growing {
		if g := &rep.Leaks.Growing[i]; !placed[g.Signature] {
			out = append(out, g)
		}
	}
	return out
}

// line is the leak's line of the one-screen part: file:line:column,
// rule, what grows and how fast.
func (l leak) line(o TextOptions) string {
	f := l.finding
	st := f.Range.Start
	text := fmt.Sprintf("%s:%d:%d %s", f.File, st.Line+1, st.Col+1, f.Rule)
	if what := l.what(); what != "" {
		text += " " + what
	}
	if rate := l.rate(o.Iterations); rate != "" {
		text += " " + rate
	}
	return text
}

// what names what grows: the variable that holds the first cluster (the
// last variable on its path, analysis.Cluster.Variable, unless Node's
// own code declares it, as timers' timerListMap) and its object
// ("profiles (Map)" though the path reaches it through the closure
// cachedProfile, the emitter "bus (EventEmitter)" of a listener), else the
// first variable of the program's code on the path, or the growing
// holder's label.
func (l leak) what() string {
	switch {
	case len(l.clusters) > 0:
		c := l.clusters[0]
		if v := c.Variable; v > 0 && v < len(c.Path) && !analysis.NodeScript(c.Path[v-1].File) {
			return c.Path[v].Edge + " (" + c.Path[v].Name + ")"
		}
		path := c.Path
		if owner, ok := ownerHop(path); ok {
			for _, h := range path[owner:] {
				if h.EdgeType == "context" {
					return h.Edge + " (" + h.Name + ")"
				}
			}
		}
	case len(l.growing) > 0:
		return l.growing[0].Label
	}
	return ""
}

// rate says how fast the leak grows (see Rate): the objects of its
// first cluster's class and the bytes of all its clusters over the
// series' steps between baseline and target, or the entries and bytes
// its growing holder added.
func (l leak) rate(iterations int) string {
	if len(l.clusters) > 0 {
		class := grows(l.clusters[0])
		count, bytes := 0, uint64(0)
		for _, c := range l.clusters {
			count += countOf(c, class)
			bytes += c.RetainedSize
		}
		return Rate(float64(count), class, float64(bytes), max(1, len(l.clusters[0].Steps)), iterations)
	}
	if len(l.growing) > 0 {
		g := l.growing[0]
		n := len(g.Entries) - 1
		return Rate(float64(g.Entries[n]-g.Entries[0]), "entry", float64(g.Bytes[n])-float64(g.Bytes[0]), n, iterations)
	}
	return ""
}

// grows returns the class whose objects grow in cluster c: its own, or,
// for one new container (a timer list, a listener array), the first
// class of what it holds.
func grows(c *analysis.Cluster) string {
	if c.Count == 1 && len(c.Nested) > 0 {
		return c.Nested[0].Constructor
	}
	return c.Constructor
}

// countOf returns the number of objects of class in cluster c: its own
// or those it holds.
func countOf(c *analysis.Cluster, class string) int {
	if c.Constructor == class {
		return c.Count
	}
	for _, n := range c.Nested {
		if n.Constructor == class {
			return n.Count
		}
	}
	return 0
}

// Rate says how fast something grows, in one place for every report:
// count things of a kind and bytes added over steps snapshot steps of
// iterations iterations each, as "+1 entry, +312 B per iteration", or,
// when the iterations are not known (0), "+4 entries, +1.2 KiB per
// snapshot step".
func Rate(count float64, kind string, bytes float64, steps, iterations int) string {
	per, unit := float64(steps), "per snapshot step"
	if iterations > 0 {
		per, unit = float64(steps*iterations), "per iteration"
	}
	n, b := count/per, bytes/per
	var parts []string
	if n != 0 {
		parts = append(parts, "+"+number(n)+" "+plural(n, kind))
	}
	if b >= 0 {
		parts = append(parts, "+"+units.Bytes(uint64(b)))
	} else {
		parts = append(parts, units.SignedBytes(int64(b)))
	}
	return strings.Join(parts, ", ") + " " + unit
}

// number writes n with one decimal, or none when it is whole (then with
// thousands separators).
func number(n float64) string {
	if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
		return units.Count(int(n))
	}
	return strconv.FormatFloat(n, 'f', 1, 64)
}

// plural returns kind for one thing, its plural otherwise ("entries";
// class names are left as they are).
func plural(n float64, kind string) string {
	switch {
	case n == 1:
		return kind
	case kind == "entry":
		return "entries"
	}
	return kind
}

// countText says "1 cluster", "3 clusters": n and noun, or its plural
// (the noun with an s unless given).
func countText(n int, noun string, pluralNoun ...string) string {
	if n == 1 {
		return "1 " + noun
	}
	if len(pluralNoun) > 0 {
		return units.Count(n) + " " + pluralNoun[0]
	}
	return units.Count(n) + " " + noun + "s"
}

// objectsOf sums the objects of clusters.
func objectsOf(clusters []*analysis.Cluster) int {
	n := 0
	for _, c := range clusters {
		n += c.Objects
	}
	return n
}

// write writes the details of the leak numbered i: the finding as
// file:line:column: rule message, its signature, its clusters and
// growing holders.
func (l leak) write(w io.Writer, i int, o TextOptions) {
	f := l.finding
	st := f.Range.Start
	fmt.Fprintf(w, "\n#%d  %s:%d:%d: %s %s\n", i, f.File, st.Line+1, st.Col+1, f.Rule, f.Message)
	if f.Signature != "" {
		fmt.Fprintf(w, "    signature %s\n", f.Signature)
	}
	shown := map[string]bool{}
	for _, c := range l.clusters[:o.limit(len(l.clusters))] {
		// Clusters held the same way as one above (the requests and the
		// sockets they own) show their path once.
		key := pathSignature("", c.Path)
		if shown[key] && !o.FullPath {
			fmt.Fprintf(w, "  %s; path as above\n", clusterHeader(c))
			writeAllocations(w, c)
			continue
		}
		shown[key] = true
		fmt.Fprintf(w, "  %s\n", clusterHeader(c))
		writeCluster(w, c, o)
	}
	if n := len(l.clusters) - o.limit(len(l.clusters)); n > 0 {
		fmt.Fprintf(w, "  (%s held here; --top 0 shows all)\n", countText(n, "more cluster"))
	}
	for _, g := range l.growing {
		fmt.Fprintf(w, "  grew at every step: %s\n", g.Summary())
		writePath(w, g.Path, o.FullPath)
	}
}

// clusterHeader describes a cluster in one line: its objects, sizes,
// holding variable and what its objects hold.
func clusterHeader(c *analysis.Cluster) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d × %s: %s retained, %s self", c.Count, c.Constructor, units.Bytes(c.RetainedSize), units.Bytes(c.SelfSize))
	if c.Variable >= 0 {
		fmt.Fprintf(&b, ", held by variable %s", c.Path[c.Variable].Edge)
	}
	if len(c.Nested) > 0 {
		parts := make([]string, len(c.Nested))
		for i, n := range c.Nested {
			parts[i] = fmt.Sprintf("%d %s", n.Count, n.Constructor)
		}
		fmt.Fprintf(&b, "; holding %s", strings.Join(parts, ", "))
	}
	if c.Node {
		b.WriteString(" (held only by Node's own code)")
	}
	return b.String()
}

// writeCluster writes a cluster's retainer path and allocation stacks.
func writeCluster(w io.Writer, c *analysis.Cluster, o TextOptions) {
	writePath(w, c.Path, o.FullPath)
	writeAllocations(w, c)
}

// writePath writes a retainer path one hop a line: the edge, then the
// object reached. Unless full, the hops before the holder's owner (see
// OwnerHop) are folded into one line.
func writePath(w io.Writer, path []analysis.Hop, full bool) {
	start := 0
	if !full {
		start = OwnerHop(path)
	}
	if start > 0 {
		fmt.Fprintf(w, "    … %s from the roots (--full-path shows them)\n", countText(start, "hop"))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, h := range path[start:] {
		fmt.Fprintf(tw, "    %s\t%s\n", h.EdgeText(), NodeText(h))
	}
	tw.Flush()
}

// OwnerHop returns the index of the hop of path where its chain starts
// to be the program's: the first hop in the program's code — in a script
// that is not one of Node's (node:…): the module's function, the class
// instance, the emitter that holds what follows — or, when that hop is a
// closure through whose scope the path only reaches an outer one (a timer
// callback that happens to see the module's variables), that outer
// scope: the module that declares the holder. It is 0 when no hop is in
// the program's code: the whole path is Node's.
func OwnerHop(path []analysis.Hop) int {
	i, _ := ownerHop(path)
	return i
}

// ownerHop returns OwnerHop and whether a hop is in the program's code.
func ownerHop(path []analysis.Hop) (int, bool) {
	for i, h := range path {
		if !h.InProgram() {
			continue
		}
		if h.Type != "closure" || i+1 >= len(path) || !scopeEdge(path[i+1], "context") {
			return i, true
		}
		k := i + 1
		for k+1 < len(path) && scopeEdge(path[k+1], "previous") {
			k++
		}
		if k > i+1 {
			return k, true
		}
		return i, true
	}
	return 0, false
}

// scopeEdge reports whether h is reached by the internal edge name from a
// closure to its scope ("context") or from a scope to the enclosing one
// ("previous").
func scopeEdge(h analysis.Hop, name string) bool {
	return h.EdgeType == "internal" && h.Edge == name
}

// NodeText shows an object: name (type) @id, then file:line:column.
func NodeText(h analysis.Hop) string {
	text := h.Object() + " @" + strconv.FormatUint(uint64(h.ID), 10)
	if h.File != "" {
		text += "  " + h.File
		if h.Line > 0 {
			text += ":" + strconv.Itoa(h.Line) + ":" + strconv.Itoa(h.Column)
		}
	}
	return text
}

// WritePath writes a retainer path one hop a line, every hop.
func WritePath(w io.Writer, path []analysis.Hop) { writePath(w, path, true) }

// writeAllocations writes the allocation stacks of a cluster, when the
// snapshots carry them: how many of its objects each allocated, then its
// frames one a line, the allocating one first.
func writeAllocations(w io.Writer, c *analysis.Cluster) {
	for _, a := range c.Allocations {
		fmt.Fprintf(w, "  allocated (%d of %d):\n", a.Count, c.Count)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range a.Frames {
			fn := cmp.Or(f.Function, "(anonymous function)")
			if f.Dependency {
				fn += " (dependency)"
			}
			fmt.Fprintf(tw, "    %s\t%s:%d:%d\t%s\n", fn, f.File, f.Line, f.Column, f.Expression)
		}
		tw.Flush()
	}
}

// writeClasses writes the leaked objects per class.
func (rep *Report) writeClasses(w io.Writer, o TextOptions) {
	lr := rep.Leaks
	if len(lr.Leaked) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s leaked: %s self, %s retained (semantics %s)\n", countText(lr.Count, "object"), units.Bytes(lr.SelfSize), units.Bytes(lr.RetainedSize), lr.Semantics)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "COUNT\tSELF\tRETAINED\t \tCLASS")
	for _, r := range lr.Leaked[:o.limit(len(lr.Leaked))] {
		fmt.Fprintf(tw, "%d\t%s\t%s\t \t%s\n", r.Count, units.Bytes(r.SelfSize), units.Bytes(r.RetainedSize), r.Constructor)
	}
	tw.Flush()
	if n := len(lr.Leaked) - o.limit(len(lr.Leaked)); n > 0 {
		fmt.Fprintf(w, "(%s; --top 0 shows all)\n", countText(n, "more constructor"))
	}
}

// writeSummary writes the summary of a single snapshot: its size, the
// top classes and the top holders by retained size.
func (rep *Report) writeSummary(w io.Writer) {
	sum := rep.Summary
	fmt.Fprintf(w, "%s: %d nodes, %d edges, %s (semantics %s)\n\n", rep.Files[0], sum.Nodes, sum.Edges, units.Bytes(sum.TotalSize), sum.Semantics)
	fmt.Fprintln(w, "Top classes by retained size:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "COUNT\tSELF\tRETAINED\t \tCLASS")
	for _, c := range sum.Classes {
		fmt.Fprintf(tw, "%d\t%s\t%s\t \t%s\n", c.Count, units.Bytes(c.SelfSize), units.Bytes(c.RetainedSize), c.Name)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nTop holders by retained size:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SELF\tRETAINED\t \tOBJECT")
	for i, h := range sum.Holders {
		fmt.Fprintf(tw, "%s\t%s\t \t%s%s\n", units.Bytes(h.SelfSize), units.Bytes(h.RetainedSize), NodeText(h.Hop), heldByText(rep.HeldBy[i]))
	}
	tw.Flush()
}

// heldByText names the variables of the program's own scripts among held
// ("  held by var sessions (app.js)"), or "".
func heldByText(held []analysis.Hop) string {
	var vars []string
	for _, h := range held {
		if h.InProgram() {
			vars = append(vars, fmt.Sprintf("var %s (%s)", h.Edge, filepath.Base(h.File)))
		}
	}
	if len(vars) == 0 {
		return ""
	}
	return "  held by " + strings.Join(vars, ", ")
}

// writeComparison writes the per-class comparison of two snapshots.
func (rep *Report) writeComparison(w io.Writer, o TextOptions) {
	c := rep.Comparison
	fmt.Fprintf(w, "%s → %s: %d new, %d deleted, size %s\n\n", rep.Files[0], rep.Files[1], c.New, c.Deleted, units.SignedBytes(c.SizeDelta))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "NEW\tDELETED\tDELTA\tALLOC\tFREED\tSIZE DELTA\t \tCLASS")
	for _, r := range c.Classes[:o.limit(len(c.Classes))] {
		fmt.Fprintf(tw, "%d\t%d\t%+d\t%s\t%s\t%s\t \t%s\n", r.New, r.Deleted, r.Delta, units.Bytes(r.AllocSize), units.Bytes(r.FreedSize), units.SignedBytes(r.SizeDelta), r.Constructor)
	}
	tw.Flush()
	if n := len(c.Classes) - o.limit(len(c.Classes)); n > 0 {
		fmt.Fprintf(w, "(%s; --top 0 shows all)\n", countText(n, "more class"))
	}
}

// writeHolders writes the holder findings of a single snapshot, one a
// line, as file:line:column: rule message.
func (rep *Report) writeHolders(w io.Writer) {
	if len(rep.Findings) == 0 {
		return
	}
	fmt.Fprintln(w, "\nHolders in the source:")
	for _, f := range rep.RelFindings() {
		st := f.Range.Start
		fmt.Fprintf(w, "  %s:%d:%d: %s %s\n", f.File, st.Line+1, st.Col+1, f.Rule, f.Message)
	}
}
