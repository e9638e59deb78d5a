package staticcheck_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

// LK001 and LK007 split unbounded collections between them: a collection
// is reported by exactly one, and LK001 takes the object-keyed ones that a
// weak collection cannot replace.
func TestLK001AndLK007Partition(t *testing.T) {
	files := analysistest.LoadDir(t, "testdata/LK007")
	fs, err := staticcheck.Check(context.Background(), files, staticcheck.Options{Rules: []*staticcheck.Rule{staticcheck.LK001, staticcheck.LK007}})
	if err != nil {
		t.Fatal(err)
	}
	var lk001 []string
	lines := map[string]string{}
	for _, f := range fs {
		at := fmt.Sprintf("%s:%d", f.File, f.Range.Start.Line+1)
		if prev, ok := lines[at]; ok {
			t.Errorf("%s: reported by both %s and %s", at, prev, f.Rule)
		}
		lines[at] = f.Rule
		if f.Rule == "LK001" {
			name := f.Message[strings.Index(f.Message, `"`)+1:]
			lk001 = append(lk001, name[:strings.Index(name, `"`)])
		}
	}
	slices.Sort(lk001)
	if want := []string{"active", "byUrl", "ids", "open", "perEmitter", "seeded", "seenIds", "watchers"}; !slices.Equal(lk001, want) {
		t.Errorf("LK001 reported %v in testdata/LK007, want %v", lk001, want)
	}
}
