package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestLK001(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK001", staticcheck.LK001)
}

// An exported collection filled in one module and evicted in another is
// bounded; one that other modules only read is not.
func TestLK001CrossFile(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK001/crossfile", staticcheck.LK001)
}

// With lru-cache in the nearest package.json, Maps are offered an
// LRUCache, imported the way the file imports.
func TestLK001LRUCache(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK001/lru", staticcheck.LK001)
}
