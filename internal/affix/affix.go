// Package affix measures what two sequences share at their ends: the one
// computation behind a line diff of two texts and the edit that turns one
// parsed text into the next.
package affix

// Common returns the length of the longest common prefix of a and b and
// the length of the longest common suffix of what follows that prefix in
// each (so that the two never overlap).
func Common[E comparable](a, b []E) (prefix, suffix int) {
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	return prefix, suffix
}
