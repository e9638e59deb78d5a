package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestLK001(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK001", staticcheck.LK001)
}
