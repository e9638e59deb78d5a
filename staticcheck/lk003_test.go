package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestIntervalLeak(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK003", staticcheck.IntervalLeak)
}
