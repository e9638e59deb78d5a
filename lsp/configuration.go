package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	heap "github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/config"
)

// configTimeout bounds the wait for the client's answer to
// workspace/configuration.
const configTimeout = 3 * time.Second

// defaultSnapshotGlobs are the heap-snapshot files watched when the
// settings do not say otherwise.
var defaultSnapshotGlobs = []string{"**/*.heapsnapshot"}

// settings is the effective configuration of a session: leakls.json in the
// workspace root, overridden by the editor's settings (initializationOptions,
// then workspace/configuration or didChangeConfiguration).
type settings struct {
	cfg       *config.Config // rule levels and ignore globs; never nil
	snapshots *config.Config // the snapshot globs, as a matcher (see snapshotMatcher)
	globs     []string
	semantics heap.Semantics // of retained sizes in snapshot evidence
	run       *runTarget     // the configured run of leakls.captureSnapshots; nil when none
}

// editorSettings is the settings object an editor sends: the keys of
// leakls.json plus the server's own.
//
//	{
//	  "rules": {"LK001": "error"},
//	  "ignore": ["dist/**"],
//	  "snapshots": ["**/*.heapsnapshot"],
//	  "semantics": "node"
//	}
type editorSettings struct {
	Rules     map[string]json.RawMessage `json:"rules,omitempty"`
	Ignore    []string                   `json:"ignore,omitempty"`
	Snapshots []string                   `json:"snapshots,omitempty"`
	// Semantics is the retained-size semantics of snapshot evidence:
	// "node" (the default) or "devtools" (see analysis.ParseSemantics).
	Semantics string `json:"semantics,omitempty"`
	// Run is the program and scenario leakls.captureSnapshots runs when
	// it is given no argument.
	Run *runTarget `json:"run,omitempty"`
}

// parseEditorSettings decodes an editor settings object. null and absent
// mean no settings; an object {"leakls": {...}} (the shape some clients
// send in didChangeConfiguration) is unwrapped.
func parseEditorSettings(raw []byte) (*editorSettings, error) {
	var es editorSettings
	if len(raw) == 0 || string(raw) == "null" {
		return &es, nil
	}
	var wrapped struct {
		Leakls json.RawMessage `json:"leakls"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && len(wrapped.Leakls) > 0 {
		raw = wrapped.Leakls
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&es); err != nil {
		return nil, fmt.Errorf("leakls settings: %v (the keys are \"rules\", \"ignore\", \"snapshots\", \"semantics\" and \"run\")", err)
	}
	return &es, nil
}

// buildSettings merges leakls.json under root with the editor's settings:
// rule levels from the editor win, ignore globs add up, snapshot globs from
// the editor replace the defaults. Errors name the file or setting at fault;
// the returned settings are then the best usable ones.
func buildSettings(root string, es *editorSettings) (*settings, error) {
	var errs []error
	merged := map[string]any{}
	rules := map[string]json.RawMessage{}
	var ignore []string
	if root != "" {
		path := filepath.Join(root, config.FileName)
		if data, err := os.ReadFile(path); err == nil {
			if _, err := config.Parse(data, path); err != nil {
				errs = append(errs, err)
			} else {
				var file editorSettings
				_ = json.Unmarshal(data, &file)
				for id, lvl := range file.Rules {
					rules[id] = lvl
				}
				ignore = append(ignore, file.Ignore...)
			}
		}
	}
	for id, lvl := range es.Rules {
		rules[id] = lvl
	}
	ignore = append(ignore, es.Ignore...)
	merged["rules"] = rules
	if len(ignore) > 0 {
		merged["ignore"] = ignore
	}
	data, _ := json.Marshal(merged)
	name := filepath.Join(root, "editor settings")
	cfg, err := config.Parse(data, name)
	if err != nil {
		errs = append(errs, err)
		cfg = &config.Config{Dir: root}
	}
	cfg.Path = ""
	globs := defaultSnapshotGlobs
	if len(es.Snapshots) > 0 {
		globs = slices.Clone(es.Snapshots)
	}
	snaps, err := snapshotMatcher(root, globs)
	if err != nil {
		errs = append(errs, err)
		globs = defaultSnapshotGlobs
		snaps, _ = snapshotMatcher(root, globs)
	}
	sem := heap.SemanticsNode
	if es.Semantics != "" {
		if sem, err = heap.ParseSemantics(es.Semantics); err != nil {
			errs = append(errs, fmt.Errorf("semantics setting: %w", err))
		}
	}
	return &settings{cfg: cfg, snapshots: snaps, globs: globs, semantics: sem, run: es.Run}, errors.Join(errs...)
}

// snapshotMatcher compiles the snapshot globs. It reuses the ignore-glob
// syntax of leakls.json (documented in docs/config.md): a config whose
// ignore list is the globs reports a match through Ignored.
func snapshotMatcher(root string, globs []string) (*config.Config, error) {
	data, _ := json.Marshal(map[string]any{"ignore": globs})
	c, err := config.Parse(data, filepath.Join(root, "snapshots setting"))
	if err != nil {
		return nil, fmt.Errorf("snapshots setting: %w", err)
	}
	return c, nil
}

// semantics returns the retained-size semantics of the current settings.
func (s *Server) semantics() heap.Semantics {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings.semantics
}

// isSnapshot reports whether path is a heap snapshot the settings watch.
func (st *settings) isSnapshot(path string) bool { return st.snapshots.Ignored(path) }

// configure recomputes the settings from leakls.json and es (nil: keep the
// editor settings last received) and re-renders every file's diagnostics.
// When the new settings have an error, the previous ones stay in force.
func (s *Server) configure(es *editorSettings) {
	// Changes from the watcher and from the client may race: each must see
	// the settings the previous one stored.
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	s.mu.Lock()
	if es == nil {
		es = s.editor
	}
	root := s.root
	s.mu.Unlock()
	st, err := buildSettings(root, es)
	if err != nil {
		s.logf(protocol.MessageTypeError, "configuration: %v; the previous configuration stays in force", err)
		return
	}
	s.mu.Lock()
	s.editor, s.settings = es, st
	keys := make([]string, 0, len(s.files))
	for k := range s.files {
		keys = append(keys, k)
	}
	s.mu.Unlock()
	for _, k := range keys {
		s.publish(k)
	}
}

// fetchConfiguration asks the client for the "leakls" section of its
// settings, waiting at most configTimeout. ok is false when the client does
// not support workspace/configuration or did not answer.
func (s *Server) fetchConfiguration(ctx context.Context) (es *editorSettings, ok bool) {
	s.mu.Lock()
	supported := s.client.configuration
	root := s.root
	s.mu.Unlock()
	if !supported {
		return nil, false
	}
	section := "leakls"
	item := protocol.ConfigurationItem{Section: &section}
	if root != "" {
		u := uri.File(root)
		item.ScopeURI = &u
	}
	var result []json.RawMessage
	err := s.clientCall(ctx, configTimeout, protocol.MethodWorkspaceConfiguration,
		&protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{item}}, &result)
	if err != nil {
		s.logf(protocol.MessageTypeWarning, "workspace/configuration: %v; keeping the current settings", err)
		return nil, false
	}
	if len(result) == 0 || len(result[0]) == 0 || string(result[0]) == "null" {
		return nil, false // no leakls section: initializationOptions stay in force
	}
	es, err = parseEditorSettings(result[0])
	if err != nil {
		s.logf(protocol.MessageTypeError, "%v", err)
		return nil, false
	}
	return es, true
}

// didChangeConfiguration applies new settings without a restart: pulled
// with workspace/configuration when the client supports it, else taken from
// the notification.
func (s *Server) didChangeConfiguration(ctx context.Context, _ string, p *protocol.DidChangeConfigurationParams) error {
	pushed, err := parseEditorSettings(p.Settings)
	s.goBackground(func() {
		if es, ok := s.fetchConfiguration(s.ctx); ok {
			s.configure(es)
			return
		}
		if err != nil {
			s.logf(protocol.MessageTypeError, "%v", err)
			return
		}
		s.configure(pushed)
	})
	return nil
}
