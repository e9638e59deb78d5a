package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

// TestRuleFixtures runs each rule on its testdata directories: every
// finding must be wanted by a `// want` comment and every fix must give the
// .golden file.
func TestRuleFixtures(t *testing.T) {
	for _, c := range []struct {
		dir  string
		rule *staticcheck.Rule
	}{
		{"testdata/LK001", staticcheck.LK001},
		// An exported collection filled in one module and evicted in
		// another is bounded; one that other modules only read is not.
		{"testdata/LK001/crossfile", staticcheck.LK001},
		// With lru-cache in the nearest package.json, Maps are offered an
		// LRUCache, imported the way the file imports.
		{"testdata/LK001/lru", staticcheck.LK001},
		// Helpers that grow the collection passed to them, fed a
		// long-lived one from code that runs per request.
		{"testdata/LK001/params", staticcheck.LK001},
		{"testdata/LK002", staticcheck.ListenerLeak},
		// Helpers that listen on a parameter leak where a caller in
		// another module passes a long-lived emitter per call.
		{"testdata/LK002/callers", staticcheck.ListenerLeak},
		{"testdata/LK003", staticcheck.IntervalLeak},
		{"testdata/LK004", staticcheck.ClosureCapture},
		{"testdata/LK005", staticcheck.LK005},
		// A "type": "module" package makes .js files ES modules (strict);
		// .cjs files stay sloppy CommonJS.
		{"testdata/LK005/esm_package", staticcheck.LK005},
		{"testdata/LK006", staticcheck.LK006},
		{"testdata/LK007", staticcheck.LK007},
		// Keys handed in from outside: elements, sockets, instances,
		// options objects, and parameters every caller fills with one.
		{"testdata/LK007/outside", staticcheck.LK007},
		{"testdata/LK008", staticcheck.LK008},
		{"testdata/LK009", staticcheck.LK009},
	} {
		t.Run(c.dir, func(t *testing.T) {
			analysistest.RunWithFixes(t, c.dir, c.rule)
		})
	}
}
