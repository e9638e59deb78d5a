package analysis

import (
	"cmp"
	"slices"
	"strings"
)

// Compare compares two snapshots of one process the way DevTools'
// Comparison view does: per class (ClassName), the objects of target that
// are not in baseline (new), the objects of baseline that are not in
// target (deleted), and the differences in count and self size. Classes
// with no change are left out; the rest are sorted by size delta, largest
// growth first.
func Compare(baseline, target *Snapshot) *Comparison {
	rows := map[string]*ClassDelta{}
	row := func(class string) *ClassDelta {
		r := rows[class]
		if r == nil {
			r = &ClassDelta{Constructor: class}
			rows[class] = r
		}
		return r
	}
	baseIDs, targetIDs := baseline.IDs(), target.IDs()
	c := &Comparison{Classes: []ClassDelta{}}
	for n := 1; n < target.NodeCount(); n++ {
		if !baseIDs.Has(target.NodeID(n)) {
			r := row(target.ClassName(n))
			r.New++
			r.AllocSize += target.SelfSize(n)
		}
	}
	for n := 1; n < baseline.NodeCount(); n++ {
		if !targetIDs.Has(baseline.NodeID(n)) {
			r := row(baseline.ClassName(n))
			r.Deleted++
			r.FreedSize += baseline.SelfSize(n)
		}
	}
	for _, r := range rows {
		r.Delta = r.New - r.Deleted
		r.SizeDelta = int64(r.AllocSize) - int64(r.FreedSize)
		c.New += r.New
		c.Deleted += r.Deleted
		c.SizeDelta += r.SizeDelta
		c.Classes = append(c.Classes, *r)
	}
	slices.SortFunc(c.Classes, func(a, b ClassDelta) int {
		return cmp.Or(cmp.Compare(b.SizeDelta, a.SizeDelta), cmp.Compare(b.Delta, a.Delta), strings.Compare(a.Constructor, b.Constructor))
	})
	return c
}
