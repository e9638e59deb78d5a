package analysis

import (
	"math/rand/v2"
	"testing"
)

// TestIDSet checks the set against a map, with dense JS-like ids, huge
// native-like ids, duplicates and the boundaries of the dense part.
func TestIDSet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 7, 100, 5000} {
		var ids []uint32
		want := map[uint32]bool{}
		for range n {
			id := uint32(r.IntN(40*n + 2))
			if r.IntN(4) == 0 {
				id = 1<<32 - 1 - uint32(r.IntN(1000))
			}
			ids = append(ids, id)
			if r.IntN(2) == 0 {
				ids = append(ids, id) // a duplicate
			}
			want[id] = true
		}
		set := newIDSet(ids)
		if set.Len() != len(want) {
			t.Errorf("n=%d: Len = %d, want %d", n, set.Len(), len(want))
		}
		var maxID uint32
		for id := range want {
			maxID = max(maxID, id)
		}
		if set.MaxID() != maxID {
			t.Errorf("n=%d: MaxID = %d, want %d", n, set.MaxID(), maxID)
		}
		for _, id := range []uint32{0, 1, set.dense - 1, set.dense, set.dense + 1, 1<<32 - 1, uint32(r.IntN(50*n + 2))} {
			if set.Has(id) != want[id] {
				t.Errorf("n=%d: Has(%d) = %v", n, id, set.Has(id))
			}
		}
		for id := range want {
			if !set.Has(id) {
				t.Fatalf("n=%d: Has(%d) = false", n, id)
			}
		}
	}
}
