package syntax

/*
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

// The declarations of tree-sitter's C API (tree_sitter/api.h of the pinned
// go-tree-sitter v0.25.0) that parsing needs. The symbols are defined by
// the C code that go-tree-sitter compiles into the binary.
typedef struct TSTree TSTree;
typedef struct TSParser TSParser;
typedef struct TSLanguage TSLanguage;
typedef struct TSPoint { uint32_t row; uint32_t column; } TSPoint;
typedef struct TSNode { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct TSTreeCursor { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
typedef enum TSInputEncoding { TSInputEncodingUTF8, TSInputEncodingUTF16LE, TSInputEncodingUTF16BE, TSInputEncodingCustom } TSInputEncoding;
typedef uint32_t (*DecodeFunction)(const uint8_t *string, uint32_t length, int32_t *code_point);
typedef struct TSInput {
	void *payload;
	const char *(*read)(void *payload, uint32_t byte_index, TSPoint position, uint32_t *bytes_read);
	TSInputEncoding encoding;
	DecodeFunction decode;
} TSInput;
typedef struct TSParseState { void *payload; uint32_t current_byte_offset; bool has_error; } TSParseState;
typedef struct TSParseOptions { void *payload; bool (*progress_callback)(TSParseState *state); } TSParseOptions;
typedef struct TSInputEdit {
	uint32_t start_byte, old_end_byte, new_end_byte;
	TSPoint start_point, old_end_point, new_end_point;
} TSInputEdit;
TSTree *ts_tree_copy(const TSTree *self);
void ts_tree_edit(TSTree *self, const TSInputEdit *edit);
TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *self);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
TSTree *ts_parser_parse_with_options(TSParser *self, const TSTree *old_tree, TSInput input, TSParseOptions parse_options);
void ts_tree_delete(TSTree *self);
TSNode ts_tree_root_node(const TSTree *self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
uint16_t ts_node_symbol(TSNode self);
bool ts_node_is_missing(TSNode self);
bool ts_node_has_error(TSNode self);
uint32_t ts_node_descendant_count(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);
void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t), void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

// leakls_use_libc_allocator makes tree-sitter allocate with libc directly.
// go-tree-sitter routes every malloc and free through a Go callback (which
// then calls the same libc functions); profiles showed those callbacks
// costing more than parsing.
static void leakls_use_libc_allocator(void) {
	ts_set_allocator(malloc, calloc, realloc, free);
}

typedef struct leakls_input { const char *src; uint32_t len; } leakls_input;

static const char *leakls_read(void *payload, uint32_t i, TSPoint p, uint32_t *n) {
	leakls_input *in = payload;
	if (i >= in->len) {
		*n = 0;
		return "";
	}
	*n = in->len - i;
	return in->src + i;
}

// leakls_budget is the state the progress callback sees: a cancellation
// flag set by another thread, and a bound on the number of progress
// callbacks (tree-sitter calls back every so many parse operations).
typedef struct leakls_budget {
	uint32_t *cancel;
	uint64_t calls;
	uint64_t limit;
} leakls_budget;

static bool leakls_progress(TSParseState *s) {
	leakls_budget *b = s->payload;
	return *(volatile uint32_t *)b->cancel != 0 || ++b->calls > b->limit;
}

// leakls_parse parses src with lang, reusing old (the tree of an earlier
// text, edited to match src) unless it is NULL. It returns NULL when
// *cancel becomes non-zero (set by another thread) or the parse makes more
// than limit progress callbacks; *calls tells how many it made.
static TSTree *leakls_parse(const TSLanguage *lang, const TSTree *old, const char *src, uint32_t len, uint32_t *cancel, uint64_t limit, uint64_t *calls) {
	TSParser *p = ts_parser_new();
	if (!ts_parser_set_language(p, lang)) {
		ts_parser_delete(p);
		return NULL;
	}
	leakls_input in = {src, len};
	TSInput input = {&in, leakls_read, TSInputEncodingUTF8, NULL};
	leakls_budget b = {cancel, 0, limit};
	TSParseOptions opts = {&b, leakls_progress};
	TSTree *t = ts_parser_parse_with_options(p, old, input, opts);
	ts_parser_delete(p);
	*calls = b.calls;
	return t;
}

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

static bool leakls_has_error(const TSTree *tree) {
	return ts_node_has_error(ts_tree_root_node(tree));
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
	"context"
	"errors"
	"sync/atomic"
	"unsafe"
)

func init() { C.leakls_use_libc_allocator() }

// The Go and C node types must agree byte for byte.
var (
	_ [C.sizeof_leakls_node - unsafe.Sizeof(node{})]byte
	_ [unsafe.Sizeof(node{}) - C.sizeof_leakls_node]byte
)

// ErrTooComplex is returned when tree-sitter's error recovery runs away on
// a small input (a few hostile bytes can make it explore for minutes):
// parsing stops after a budget of work proportional to the file's size.
var ErrTooComplex = errors.New("syntax: the parser gave up on this text (error recovery exceeded its budget); fix the syntax errors near the start of the file")

// parseBudget is the number of progress callbacks a parse of n bytes may
// make. Every file of a 63 MB corpus of npm packages (bundles and
// minified code included) and all testdata parse within half of it; the
// runaway input of TestParseBudget reaches it in well under a second.
func parseBudget(n int) uint64 { return 2000 + 10*uint64(n) }

// empty stands in for the text of an empty file (C needs a valid pointer).
var empty = []byte{0}

// parseC parses t.Src with the grammar g into t (nodes and HasError),
// entirely in C: go-tree-sitter's Parser copies the remaining text into a
// new C string on every read callback, which made large files quadratic.
// Profiling the copy of the tree through go-tree-sitter's node API showed
// seven cgo calls and an allocation per node; the same preorder cursor
// walk runs in C in one call per file. The C tree is deleted before
// returning.
func (t *Tree) parseC(ctx context.Context, g *grammar) error {
	ct, err := t.parseWith(ctx, g, nil)
	if ct != nil {
		deleteTree(ct)
	}
	return err
}

// ctree is a tree-sitter tree in C memory, kept by a Reparser between
// parses; deleteTree frees it.
type ctree = *C.TSTree

func deleteTree(t ctree) { C.ts_tree_delete(t) }

// editedCopy returns a copy of t (cheap: tree-sitter shares the nodes)
// with e applied, for a parse of the edited text to reuse. The caller
// deletes it.
func editedCopy(t ctree, e edit) ctree {
	c := C.ts_tree_copy(t)
	ce := C.TSInputEdit{
		start_byte:    C.uint32_t(e.start.off),
		old_end_byte:  C.uint32_t(e.oldEnd.off),
		new_end_byte:  C.uint32_t(e.newEnd.off),
		start_point:   C.TSPoint{row: C.uint32_t(e.start.row), column: C.uint32_t(e.start.col)},
		old_end_point: C.TSPoint{row: C.uint32_t(e.oldEnd.row), column: C.uint32_t(e.oldEnd.col)},
		new_end_point: C.TSPoint{row: C.uint32_t(e.newEnd.row), column: C.uint32_t(e.newEnd.col)},
	}
	C.ts_tree_edit(c, &ce)
	return c
}

// parseWith is parseC reusing old (an edited tree of an earlier text, or
// nil), and returning the C tree, which the caller must delete.
func (t *Tree) parseWith(ctx context.Context, g *grammar, old ctree) (ctree, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src := t.Src
	if len(src) == 0 {
		src = empty
	}
	// The flag lives in Go memory: the watcher may still set it after the
	// parse returned (when ctx ends at that moment), which must not write
	// to freed C memory. C only reads it during the call.
	cancel := new(uint32)
	if done := ctx.Done(); done != nil {
		finished := make(chan struct{})
		defer close(finished)
		go func() {
			select {
			case <-done:
				atomic.StoreUint32(cancel, 1)
			case <-finished:
			}
		}()
	}
	limit := parseBudget(len(t.Src))
	var calls C.uint64_t
	ct := C.leakls_parse((*C.TSLanguage)(g.ptr), old, (*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(t.Src)), (*C.uint32_t)(unsafe.Pointer(cancel)), C.uint64_t(limit), &calls)
	if ct == nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if uint64(calls) > limit {
			return nil, ErrTooComplex
		}
		return nil, errors.New("syntax: tree-sitter returned no tree")
	}
	t.HasError = bool(C.leakls_has_error(ct))
	n := int(C.leakls_count(ct))
	for {
		t.nodes = make([]node, n+1)
		got := C.leakls_flatten(ct, (*C.leakls_node)(unsafe.Pointer(&t.nodes[0])), C.int64_t(len(t.nodes)), C.bool(t.HasError))
		if got >= 0 {
			t.nodes = t.nodes[:got]
			return ct, nil
		}
		n *= 2 // the count did not cover every visible node: never seen, but stay correct
	}
}
