package syntax

/*
#include <stdbool.h>
#include <stdint.h>

// The few declarations of tree-sitter's C API (tree_sitter/api.h of the
// pinned go-tree-sitter v0.25.0) that flattening needs. The symbols are
// defined by the C code that go-tree-sitter compiles into the binary.
typedef struct TSTree TSTree;
typedef struct TSNode { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct TSTreeCursor { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
TSNode ts_tree_root_node(const TSTree *self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
uint16_t ts_node_symbol(TSNode self);
bool ts_node_is_missing(TSNode self);
uint32_t ts_node_descendant_count(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);

// leakls_node has the layout of the Go type node.
typedef struct leakls_node {
	uint32_t start, end;
	int32_t parent, last;
	uint16_t kind, field;
	uint8_t flags;
} leakls_node;

static uint32_t leakls_count(const TSTree *tree) {
	return ts_node_descendant_count(ts_tree_root_node(tree));
}

// leakls_flatten writes the nodes of tree in preorder into out (room for
// cap nodes) and returns how many it wrote, or -1 when cap is too small.
// It is the loop of a cursor walk, done in C so that a file costs one cgo
// call instead of several per node.
static int64_t leakls_flatten(const TSTree *tree, leakls_node *out, int64_t cap, bool has_error) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	int64_t n = 0;
	int32_t cur = -1;
	int32_t parent = -1;
	for (;;) {
		if (n == cap) {
			ts_tree_cursor_delete(&c);
			return -1;
		}
		TSNode node = ts_tree_cursor_current_node(&c);
		leakls_node *o = &out[n];
		o->start = ts_node_start_byte(node);
		o->end = ts_node_end_byte(node);
		o->parent = parent;
		o->last = 0;
		o->kind = ts_node_symbol(node);
		o->field = ts_tree_cursor_current_field_id(&c);
		o->flags = (has_error && ts_node_is_missing(node)) ? 1 : 0;
		cur = (int32_t)n++;
		if (ts_tree_cursor_goto_first_child(&c)) {
			parent = cur;
			continue;
		}
		for (;;) {
			out[cur].last = (int32_t)n;
			if (ts_tree_cursor_goto_next_sibling(&c)) {
				parent = out[cur].parent;
				break;
			}
			if (!ts_tree_cursor_goto_parent(&c)) {
				ts_tree_cursor_delete(&c);
				return n;
			}
			cur = out[cur].parent;
		}
	}
}
*/
import "C"

import (
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// The Go and C node types must agree byte for byte.
var (
	_ [C.sizeof_leakls_node - unsafe.Sizeof(node{})]byte
	_ [unsafe.Sizeof(node{}) - C.sizeof_leakls_node]byte
)

// cTree returns the C tree inside a go-tree-sitter Tree, whose only field
// (in the pinned v0.25.0) is the *C.TSTree.
func cTree(st *sitter.Tree) *C.TSTree {
	return (*struct{ inner *C.TSTree })(unsafe.Pointer(st)).inner
}

// flatten copies the tree-sitter tree st into t.nodes in preorder.
// Profiling the cursor walk through go-tree-sitter's API showed it
// dominated parsing (seven cgo calls and an allocation per node); the walk
// now runs in C in one call per file.
func (t *Tree) flatten(st *sitter.Tree) {
	ct := cTree(st)
	n := int(C.leakls_count(ct))
	for {
		t.nodes = make([]node, n+1)
		got := C.leakls_flatten(ct, (*C.leakls_node)(unsafe.Pointer(&t.nodes[0])), C.int64_t(len(t.nodes)), C.bool(t.HasError))
		if got >= 0 {
			t.nodes = t.nodes[:got]
			return
		}
		n *= 2 // the count did not cover every visible node: never seen, but stay correct
	}
}
