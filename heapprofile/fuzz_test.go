package heapprofile

import (
	"strings"
	"testing"
)

// FuzzRead checks that no input makes Read panic, and that what it
// accepts is consistent: self sizes add up to the total, and no site's
// total is below its self size.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		`{"head":{"callFrame":{"functionName":"(root)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1},"selfSize":0,"id":1,"children":[{"callFrame":{"functionName":"f","scriptId":"9","url":"/a.js","lineNumber":3,"columnNumber":10},"selfSize":4096,"id":2,"children":[]}]},"samples":[{"size":4096,"nodeId":2,"ordinal":1}]}`,
		`{"head":{"callFrame":{},"selfSize":1e3,"id":1,"children":[{"callFrame":{},"selfSize":5,"id":1,"children":[]}]}}`,
		`{"head":null}`,
		`[]`,
		`{"head":{"children":[{"children":[{"children":[]}]}]}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rep, err := Read(strings.NewReader(in), Options{})
		if err != nil {
			return
		}
		var sum uint64
		for _, s := range rep.Sites {
			sum += s.Self
			if s.Total < s.Self {
				t.Fatalf("%q: total %d below self %d", s.FunctionName, s.Total, s.Self)
			}
		}
		if sum != rep.Total {
			t.Fatalf("self sizes add up to %d, total %d", sum, rep.Total)
		}
	})
}
