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
typedef struct TSRange { TSPoint start_point; TSPoint end_point; uint32_t start_byte; uint32_t end_byte; } TSRange;
TSRange *ts_tree_get_changed_ranges(const TSTree *old_tree, const TSTree *new_tree, uint32_t *length);
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

// leakls_walk writes the nodes of the subtree rooted at node in preorder
// into out from index n (room for cap nodes), the root's parent and field
// being parent and field, and returns the index after them, or -1 when cap
// is too small. It is the loop of a cursor walk, done in C so that a file
// costs one cgo call instead of several per node.
static int64_t leakls_walk(TSNode root, uint16_t field, int32_t parent, leakls_node *out, int64_t n, int64_t cap, bool has_error) {
	TSTreeCursor c = ts_tree_cursor_new(root);
	int64_t first = n;
	int32_t cur = -1;
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
		o->field = n == first ? field : ts_tree_cursor_current_field_id(&c);
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

// leakls_flatten writes the nodes of tree in preorder into out (room for
// cap nodes) and returns how many it wrote, or -1 when cap is too small.
static int64_t leakls_flatten(const TSTree *tree, leakls_node *out, int64_t cap, bool has_error) {
	return leakls_walk(ts_tree_root_node(tree), 0, -1, out, 0, cap, has_error);
}

// leakls_apart reports whether the bytes [s, e) neither overlap nor touch
// [from, to].
static bool leakls_apart(uint32_t s, uint32_t e, uint32_t from, uint32_t to) {
	return e < from || s > to;
}

// leakls_flatten_reusing is leakls_flatten for a tree parsed from old (the
// previous version's tree, edited) without syntax errors. The top-level
// nodes that neither the edit (the new bytes [edit_start, edit_end), the
// text after them moved by delta) nor the ranges whose structure
// tree-sitter reports changed between old and tree touch are copied from
// prev, the flat tree of the previous version (prev_n nodes), shifted into
// place; the others are walked.
static int64_t leakls_flatten_reusing(const TSTree *tree, const TSTree *old, leakls_node *out, int64_t cap,
		const leakls_node *prev, int64_t prev_n, uint32_t edit_start, uint32_t edit_end, int64_t delta) {
	if (cap < 1) {
		return -1;
	}
	uint32_t nranges = 0;
	TSRange *ranges = ts_tree_get_changed_ranges(old, tree, &nranges);
	TSNode root = ts_tree_root_node(tree);
	out[0] = (leakls_node){ts_node_start_byte(root), ts_node_end_byte(root), -1, 0, ts_node_symbol(root), 0, 0};
	int64_t n = 1, pi = 1; // pi: the first of prev's top-level nodes not passed yet
	TSTreeCursor c = ts_tree_cursor_new(root);
	bool more = ts_tree_cursor_goto_first_child(&c);
	for (; more && n >= 0; more = ts_tree_cursor_goto_next_sibling(&c)) {
		TSNode node = ts_tree_cursor_current_node(&c);
		uint16_t field = ts_tree_cursor_current_field_id(&c);
		uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
		bool reuse = leakls_apart(s, e, edit_start, edit_end);
		for (uint32_t r = 0; reuse && r < nranges; r++) {
			reuse = leakls_apart(s, e, ranges[r].start_byte, ranges[r].end_byte);
		}
		int64_t from = -1;
		if (reuse) {
			int64_t os = e < edit_start ? (int64_t)s : (int64_t)s - delta;
			while (pi < prev_n && (int64_t)prev[pi].start < os) {
				pi = prev[pi].last;
			}
			if (pi < prev_n && (int64_t)prev[pi].start == os && prev[pi].end - prev[pi].start == e - s &&
					prev[pi].kind == ts_node_symbol(node) && prev[pi].field == field) {
				from = pi;
			}
		}
		if (from < 0) {
			n = leakls_walk(node, field, 0, out, n, cap, false);
			continue;
		}
		int64_t len = prev[from].last - from;
		if (n + len > cap) {
			n = -1;
			break;
		}
		int32_t shift = (int32_t)(n - from);
		uint32_t bytes = s - prev[from].start; // modulo 2^32: a negative shift too
		for (int64_t k = 0; k < len; k++) {
			leakls_node o = prev[from + k];
			o.start += bytes;
			o.end += bytes;
			o.parent = k == 0 ? 0 : o.parent + shift;
			o.last += shift;
			out[n + k] = o;
		}
		n += len;
	}
	ts_tree_cursor_delete(&c);
	free(ranges);
	if (n >= 0) {
		out[0].last = (int32_t)n;
	}
	return n;
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
var ErrTooComplex = errors.New("the parser gave up on this text (error recovery exceeded its budget); fix the syntax errors near the start of the file")

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

// hasError reports whether t has ERROR or MISSING nodes.
func hasError(t ctree) bool { return bool(C.leakls_has_error(t)) }

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
	ct, err := t.parseOnly(ctx, g, old)
	if err != nil {
		return nil, err
	}
	t.HasError = hasError(ct)
	t.flatten(func(out *C.leakls_node, cap C.int64_t) C.int64_t {
		return C.leakls_flatten(ct, out, cap, C.bool(t.HasError))
	}, ct)
	return ct, nil
}

// flatten fills t.nodes with fill, which writes the nodes of ct into out
// (room for cap nodes) and returns how many, or -1 when cap is too small.
func (t *Tree) flatten(fill func(out *C.leakls_node, cap C.int64_t) C.int64_t, ct ctree) {
	n := int(C.leakls_count(ct))
	for {
		t.nodes = make([]node, n+1)
		got := fill((*C.leakls_node)(unsafe.Pointer(&t.nodes[0])), C.int64_t(len(t.nodes)))
		if got >= 0 {
			t.nodes = t.nodes[:got]
			return
		}
		n *= 2 // the count did not cover every visible node: never seen, but stay correct
	}
}

// flattenReusing fills t.nodes from ct, a tree without syntax errors
// parsed from old (the previous version's tree with e applied), copying
// from prev, the nodes of the previous version, the top-level subtrees
// that neither e nor the changes tree-sitter reports touch.
func (t *Tree) flattenReusing(ct, old ctree, prev []node, e edit) {
	t.flatten(func(out *C.leakls_node, cap C.int64_t) C.int64_t {
		return C.leakls_flatten_reusing(ct, old, out, cap, (*C.leakls_node)(unsafe.Pointer(&prev[0])), C.int64_t(len(prev)),
			C.uint32_t(e.start.off), C.uint32_t(e.newEnd.off), C.int64_t(e.newEnd.off-e.oldEnd.off))
	}, ct)
}

// parseOnly parses t.Src with g, reusing old unless it is nil, and returns
// the C tree, which the caller must delete.
func (t *Tree) parseOnly(ctx context.Context, g *grammar, old ctree) (ctree, error) {
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
		return nil, errors.New("tree-sitter returned no tree")
	}
	return ct, nil
}
