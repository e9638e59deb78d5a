package analysis

// HeldBy returns the variables that hold node n directly: for each context
// edge pointing at n (a module's top-level variable, a variable captured by
// closures), a hop whose Edge is the variable's name and whose node is the
// context, with the context's script in File. The shortest retainer path
// of a big holder often runs through the stack or compiled code, when the
// snapshot was taken while the program was using it (as a snapshot near
// the heap limit is); the variable that keeps it alive is this one.
func HeldBy(s *Snapshot, src *Sources, n int) []Hop {
	var out []Hop
	for e := range s.contextEdgesTo(n) {
		h := hop(s, src, e, s.EdgeFrom(e))
		h.Line, h.Column = 0, 0 // a context's position is its function's, not the variable's
		out = append(out, h)
	}
	return out
}
