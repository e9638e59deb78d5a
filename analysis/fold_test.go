package analysis

import (
	"slices"
	"testing"
)

// TestFoldOneClusterPerLeak checks that the pieces of one leak make one
// cluster: requests of two shapes held by one Map's table, and the
// sockets reached through them (which no request dominates: an older
// object keeps them too), are one cluster led by the requests, with a
// breakdown per class; orders reached through a leaked timer only by way
// of an older module context are not the timer's.
func TestFoldOneClusterPerLeak(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},              // 0
		{NodeObject, "Holder", 16},          // 1 old
		{NodeObject, "Map", 32},             // 2 old
		{NodeArray, "", 64},                 // 3 old: the Map's table
		{NodeObject, "Request", 40},         // 4 new
		{NodeObject, "Request", 40},         // 5 new
		{NodeObject, "Socket", 100},         // 6 new
		{NodeObject, "Socket", 100},         // 7 new
		{NodeObject, "Request", 40},         // 8 new, holding a Body: another shape
		{NodeObject, "Body", 24},            // 9 new
		{NodeObject, "Server", 16},          // 10 old: a longer way to the sockets
		{NodeObject, "Object", 16},          // 11 old
		{NodeObject, "Object", 16},          // 12 old
		{NodeObject, "Object", 16},          // 13 old
		{NodeObject, "Object", 16},          // 14 old
		{NodeObject, "TimersList", 16},      // 15 old
		{NodeObject, "Timeout", 48},         // 16 new
		{NodeObject, "system / Context", 8}, // 17 new: the callback's context
		{NodeObject, "system / Context", 8}, // 18 old: the module's context
		{NodeObject, "Map", 32},             // 19 old
		{NodeObject, "Order", 56},           // 20 new
	}, []testEdge{
		{0, 1, EdgeElement, "1"},
		{1, 2, EdgeProperty, "requests"},
		{2, 3, EdgeInternal, "table"},
		{3, 4, EdgeInternal, "0"},
		{3, 5, EdgeInternal, "1"},
		{3, 8, EdgeInternal, "2"},
		{4, 6, EdgeProperty, "socket"},
		{5, 7, EdgeProperty, "socket"},
		{8, 9, EdgeProperty, "body"},
		{0, 10, EdgeElement, "2"},
		{10, 11, EdgeProperty, "a"},
		{11, 12, EdgeProperty, "b"},
		{12, 13, EdgeProperty, "c"},
		{13, 14, EdgeProperty, "d"},
		{14, 6, EdgeProperty, "s1"},
		{14, 7, EdgeProperty, "s2"},
		{14, 18, EdgeInternal, "context"},
		{0, 15, EdgeElement, "3"},
		{15, 16, EdgeProperty, "_idleNext"},
		{16, 17, EdgeInternal, "context"},
		{17, 18, EdgeInternal, "previous"},
		{18, 19, EdgeContext, "orders"},
		{19, 20, EdgeInternal, "0"},
	})
	var old []uint32
	for _, n := range []int{0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 18, 19} {
		old = append(old, s.NodeID(n))
	}
	rep := FindLeaks(newIDSet(old), s.IDs(), s, LeakOptions{})
	classes := make([]string, len(rep.Clusters))
	for i, c := range rep.Clusters {
		classes[i] = c.Constructor
	}
	slices.Sort(classes)
	if want := []string{"Order", "Request", "Timeout"}; !slices.Equal(classes, want) {
		t.Fatalf("clusters of %q, want %q", classes, want)
	}
	for _, c := range rep.Clusters {
		switch c.Constructor {
		case "Request":
			want := []ClassLeak{{Constructor: "Request", Count: 3, SelfSize: 120, RetainedSize: 144}, {Constructor: "Socket", Count: 2, SelfSize: 200, RetainedSize: 200}}
			if c.Count != 3 || c.Objects != 6 || c.RetainedSize != 344 || !slices.Equal(c.Breakdown, want) {
				t.Errorf("the requests' cluster: count %d, objects %d, retained %d, breakdown %+v; want 3, 6, 344, %+v", c.Count, c.Objects, c.RetainedSize, c.Breakdown, want)
			}
		default:
			if c.Count != 1 || c.Breakdown != nil {
				t.Errorf("%s: count %d, breakdown %+v; want 1 and none", c.Constructor, c.Count, c.Breakdown)
			}
		}
	}
}

// TestNodeOwnedPaths checks which retainer paths only Node and V8 hold.
func TestNodeOwnedPaths(t *testing.T) {
	hop := func(edgeType, edge, name, file string) Hop {
		return Hop{EdgeType: edgeType, Edge: edge, Name: name, File: file}
	}
	global := hop("shortcut", "2", "global /", "")
	program := hop("context", "agent", "Agent", "node:_http_agent")
	for _, c := range []struct {
		name string
		path []Hop
		want bool
	}{
		{"the stderr stream", []Hop{global, hop("property", "process", "process", ""), hop("property", "stderr", "Socket", "node:net")}, true},
		{"the program's Map", []Hop{global, hop("context", "cache", "Map", "app.js"), hop("internal", "1", "Order", "app.js")}, false},
		{"nothing located", []Hop{global, hop("property", "list", "Array", ""), hop("element", "0", "Object", "")}, false},
		{"the inspector's console", []Hop{hop("element", "13", "(Global handles)", ""), hop("internal", "21 / DevTools console", "(concatenated string)", "")}, true},
		{"a keep-alive agent's pool", []Hop{global, hop("property", "request", "", "app.js"), program, hop("property", "freeSockets", "Object", ""), hop("property", "127.0.0.1:80:", "Array", ""), hop("element", "0", "Socket", "node:net")}, true},
		{"a module's exports", []Hop{global, hop("property", "mainModule", "Module", "node:internal/modules/cjs/loader"), hop("element", "1", "Module", "node:internal/modules/cjs/loader"), hop("property", "exports", "Object", ""), hop("property", "dnsCache", "Map", ""), hop("internal", "7", "Object", "")}, false},
		{"the program's sockets beside an agent", []Hop{global, hop("property", "request", "", "app.js"), program, hop("property", "mine", "Object", ""), hop("element", "0", "Socket", "node:net")}, false},
	} {
		if got := nodeOwned(c.path); got != c.want {
			t.Errorf("%s: nodeOwned = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestLeakSteps checks a series of more than three snapshots: a cluster
// whose objects were allocated in every step is kept, with its objects
// counted per step; one allocated in the first step only (a pool filled
// once) is left out as not growing.
func TestLeakSteps(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},     // 0
		{NodeObject, "Holder", 16}, // 1 old
		{NodeObject, "Order", 32},  // 2 step 1
		{NodeObject, "Pool", 16},   // 3 old
		{NodeObject, "Conn", 32},   // 4 step 1
		{NodeObject, "Conn", 32},   // 5 step 1
		{NodeObject, "Order", 32},  // 6 step 2
		{NodeObject, "Order", 32},  // 7 step 2
	}, []testEdge{
		{0, 1, EdgeElement, "1"},
		{1, 2, EdgeElement, "0"},
		{1, 6, EdgeElement, "1"},
		{1, 7, EdgeElement, "2"},
		{0, 3, EdgeElement, "2"},
		{3, 4, EdgeElement, "0"},
		{3, 5, EdgeElement, "1"},
	})
	base := newIDSet([]uint32{s.NodeID(0), s.NodeID(1), s.NodeID(3)})
	rep := FindLeaks(base, s.IDs(), s, LeakOptions{Steps: []uint32{s.NodeID(5)}})
	if len(rep.Clusters) != 1 || rep.Clusters[0].Constructor != "Order" || !slices.Equal(rep.Clusters[0].Steps, []int{1, 2}) {
		t.Errorf("clusters %+v; want the Orders only, 1 then 2 per step", rep.Clusters)
	}
	if rep.OmittedClusters != 1 || rep.OmittedSteady != 1 || rep.OmittedObjects != 2 {
		t.Errorf("omitted %d clusters (%d steady) of %d objects; want the 2 Conns' cluster", rep.OmittedClusters, rep.OmittedSteady, rep.OmittedObjects)
	}
	one := FindLeaks(base, s.IDs(), s, LeakOptions{})
	if len(one.Clusters) != 2 {
		t.Errorf("one step: %d clusters, want 2 (Orders and Conns)", len(one.Clusters))
	}
}
