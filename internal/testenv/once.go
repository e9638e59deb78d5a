package testenv

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// MainInTempDir is the TestMain of a package whose tests share files made
// once per test binary: it sets *dir to a new temporary directory named
// after prefix, runs the tests, removes the directory and exits with the
// tests' status.
func MainInTempDir(m *testing.M, prefix string, dir *string) {
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	*dir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}

// Once makes a value once per test binary for each key, such as the
// snapshots a program writes under node, and gives every later caller the
// same value or error. The zero value is ready to use.
type Once[T any] struct {
	m sync.Map // key → *onceValue[T]
}

type onceValue[T any] struct {
	once sync.Once
	v    T
	err  error
}

// Do returns the value made for key, calling build the first time only.
func (o *Once[T]) Do(key string, build func() (T, error)) (T, error) {
	a, _ := o.m.LoadOrStore(key, &onceValue[T]{})
	v := a.(*onceValue[T])
	v.once.Do(func() { v.v, v.err = build() })
	return v.v, v.err
}
