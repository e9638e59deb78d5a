package holders

import (
	"context"
	"testing"

	"github.com/leakls/leakls/staticcheck/syntax"
)

// TestExpressionIn finds the expression that made the next frame of an
// allocation stack in a function's body: the new expression of the class
// (also through a namespace, and under a bundler's renamed class name),
// or the call of the callee, never one inside a nested function.
func TestExpressionIn(t *testing.T) {
	src := `const models = require('./models');
function handle(id) {
  const later = () => new Order(0);
  later();
  const a = new models.Order(id);
  const b = new Order(id);
  return store(a, b);
}
`
	tree, err := syntax.Parse(context.Background(), syntax.JavaScript, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fn := syntax.None
	for n := range syntax.Node(tree.Len()) {
		if tree.Kind(n) == "function_declaration" {
			fn = n
		}
	}
	for _, c := range []struct {
		kind, field, name string
		want              string // the expression's text, "" for none
	}{
		{"new_expression", "constructor", "Order", "new models.Order(id)"},
		{"new_expression", "constructor", "Order2", "new models.Order(id)"},
		{"new_expression", "constructor", "Map", ""},
		{"call_expression", "function", "store", "store(a, b)"},
		{"call_expression", "function", "later", "later()"},
	} {
		got := ""
		if n := expressionIn(tree, fn, c.kind, c.field, c.name); n != syntax.None {
			got = tree.Text(n)
		}
		if got != c.want {
			t.Errorf("%s %s: found %q, want %q", c.kind, c.name, got, c.want)
		}
	}
}
