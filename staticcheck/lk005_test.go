package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestLK005(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK005", staticcheck.LK005)
}
