package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestLK005(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK005", staticcheck.LK005)
}

// A "type": "module" package makes .js files ES modules (strict); .cjs
// files stay sloppy CommonJS.
func TestLK005TypeModule(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK005/esm_package", staticcheck.LK005)
}
