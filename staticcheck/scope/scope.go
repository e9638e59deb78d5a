// Package scope builds the scope model of one JavaScript or TypeScript file
// from its syntax tree: scopes (module, function, class, block), the
// declarations in each, every reference resolved to its declaration (or to
// a global), whether a declaration lives as long as the module or only for
// one call of a function, what each closure captures, the file's imports,
// requires and exports, and whether it is an ES module, a CommonJS module or
// a sloppy script.
//
// The model is built in two iterative passes over the flat syntax tree (no
// recursion, whatever the nesting depth): the first creates scopes and
// declarations (so that hoisted names resolve), the second resolves
// references. TypeScript type positions are skipped: a type is not a use.
package scope

import (
	"sync"

	"github.com/leakls/leakls/staticcheck/syntax"
)

// ScopeKind says what introduced a scope.
type ScopeKind uint8

// The kinds of scope.
const (
	ModuleScope   ScopeKind = iota // the file (script or module) top level
	FunctionScope                  // a function, arrow function or method: parameters and body
	ClassScope                     // a class body (and a class expression's own name)
	BlockScope                     // a block, for/for-in/catch header, switch body, static block
)

// String returns "module", "function", "class" or "block".
func (k ScopeKind) String() string {
	return [...]string{"module", "function", "class", "block"}[k]
}

// DeclKind says how a name was declared.
type DeclKind uint8

// The kinds of declaration.
const (
	Var        DeclKind = iota // var
	Let                        // let
	Const                      // const (and using)
	Function                   // function declaration, or a function expression's own name
	Class                      // class declaration, or a class expression's own name
	Param                      // function parameter
	Catch                      // catch clause parameter
	ImportDecl                 // ES import binding or TypeScript import-equals
	Enum                       // TypeScript enum
	Namespace                  // TypeScript namespace / module block
)

// String returns the keyword-like name of the kind.
func (k DeclKind) String() string {
	return [...]string{"var", "let", "const", "function", "class", "param", "catch", "import", "enum", "namespace"}[k]
}

// ModuleKind is how Node loads a file.
type ModuleKind uint8

// The module kinds.
const (
	Script ModuleKind = iota // no import/export/require: a sloppy-mode script unless "use strict"
	CommonJS
	ESM
)

// String returns "script", "commonjs" or "esm".
func (k ModuleKind) String() string { return [...]string{"script", "commonjs", "esm"}[k] }

// Scope is one lexical scope.
type Scope struct {
	Kind     ScopeKind
	Node     syntax.Node // the node that introduces the scope (the program for the module)
	Parent   *Scope      // nil for the module scope
	Children []*Scope
	// Decls are the declarations made in this scope, in source order.
	Decls []*Decl
	// Captures, for a function scope, are the declarations of enclosing
	// scopes (excluding globals) that the function or any function nested
	// in it references: what the closure keeps alive. Source order of
	// first reference.
	Captures []*Decl

	byName map[string]*Decl
}

// Own returns the declaration of name made in s itself, or nil.
func (s *Scope) Own(name string) *Decl { return s.byName[name] }

// Lookup resolves name from s outwards, or returns nil for a global.
func (s *Scope) Lookup(name string) *Decl {
	for ; s != nil; s = s.Parent {
		if d := s.byName[name]; d != nil {
			return d
		}
	}
	return nil
}

// Function returns the nearest function scope enclosing s (s itself when it
// is one), or the module scope when s is not inside any function.
func (s *Scope) Function() *Scope {
	for ; s.Parent != nil; s = s.Parent {
		if s.Kind == FunctionScope {
			return s
		}
	}
	return s
}

// IsPerCall reports whether s is inside a function: its declarations are
// created anew on every call and die with it unless captured.
func (s *Scope) IsPerCall() bool { return s.Function().Kind == FunctionScope }

// Decl is one declared name.
type Decl struct {
	Name  string
	Kind  DeclKind
	Scope *Scope
	// Ident is the identifier that declares the name.
	Ident syntax.Node
	// Declarator is the node that holds the declaration: a
	// variable_declarator, function or class declaration, parameter, import
	// specifier, catch clause, or for-in statement.
	Declarator syntax.Node
	// Init is the initial value when the name is bound directly to it
	// (`const x = init`, a function or class declaration itself, a
	// parameter's default); None otherwise, including for names bound by
	// destructuring (see Declarator).
	Init syntax.Node
	// Refs are the references to the name, in source order. The declaring
	// identifier is not a reference.
	Refs []*Ref
	// Export is the name under which the module exports the declaration
	// ("default" for export default / module.exports = name), or "".
	Export string
}

// ModuleLived reports whether the declared variable lives as long as the
// module: declared outside every function.
func (d *Decl) ModuleLived() bool { return !d.Scope.IsPerCall() }

// Ref is one use of a name.
type Ref struct {
	Ident syntax.Node // an identifier or shorthand property
	Scope *Scope      // the innermost scope of the use
	Decl  *Decl       // the declaration it resolves to; nil for a global or undeclared name
	// Write reports an assignment target (=, op=, ++/--, for-in/of
	// target, destructuring assignment). Compound assignments and
	// updates also read.
	Write bool
}

// Import is one binding (or side effect) that comes from another module:
// an ES import, a TypeScript import-equals, or a require() call.
type Import struct {
	// Source is the module specifier as written ("node:events", "./bus").
	Source string
	// Imported is the name taken from the module: an export name,
	// "default" (ES default import, or the whole module.exports of a
	// require), or "*" (namespace import). Empty for side-effect imports.
	Imported string
	// Local is the binding created, or nil (side-effect import, or a
	// require whose result is not bound to a name).
	Local *Decl
	// Node is the import statement or the require call.
	Node syntax.Node
	// Require reports a CommonJS require().
	Require bool
}

// Export is one name the module exports.
type Export struct {
	// Name is the exported name; "default" for `export default` and for
	// CommonJS `module.exports = value`.
	Name string
	// Local is the exported local declaration, or nil when an expression
	// is exported directly.
	Local *Decl
	// Value is the exported expression or declaration node.
	Value syntax.Node
	// From is the source of a re-export (`export { x } from "./y"`), or "".
	From string
}

// Model is the scope model of one file.
type Model struct {
	Tree   *syntax.Tree
	Path   string
	Kind   ModuleKind
	Module *Scope
	// Scopes lists every scope in source order; Scopes[0] is Module.
	Scopes []*Scope
	// Decls lists every declaration in source order of their identifiers' scopes' creation.
	Decls []*Decl
	// Refs lists every reference in source order.
	Refs    []Ref
	Imports []Import
	Exports []Export

	scopeOf map[syntax.Node]*Scope
	ident   []int32 // per node: >0 ref index+1, <0 -(decl index+1)
	strict  bool

	namesOnce sync.Once
	names     map[string]bool // see NameInUse
}
