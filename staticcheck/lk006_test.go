package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestLK006(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK006", staticcheck.LK006)
}
