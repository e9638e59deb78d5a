package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestClosureCapture(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK004", staticcheck.ClosureCapture)
}
