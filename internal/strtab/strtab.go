// Package strtab numbers distinct strings in the order they are first
// seen, as the string tables of heap snapshots and source maps do.
package strtab

// Table gives each distinct string the index of its first addition. The
// zero value is an empty table ready to use.
type Table[I ~int32 | ~uint32] struct {
	// Strings holds the distinct strings, in the order they were added.
	Strings []string
	index   map[string]I
}

// Index returns the index of s, adding s to the table when it is new.
func (t *Table[I]) Index(s string) I {
	if i, ok := t.index[s]; ok {
		return i
	}
	if t.index == nil {
		t.index = make(map[string]I)
	}
	i := I(len(t.Strings))
	t.index[s] = i
	t.Strings = append(t.Strings, s)
	return i
}
