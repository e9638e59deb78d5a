package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestLK007(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK007", staticcheck.LK007)
}
