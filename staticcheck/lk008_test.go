package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestLK008(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK008", staticcheck.LK008)
}
