package config

import (
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/staticcheck"
)

// Every rule is known: the static rules (LK0xx) and the snapshot-evidence
// rules (LK1xx), so that leakls.json may set the level of any of them in
// "leakls check" and in the language server alike.
func init() {
	for _, r := range staticcheck.Rules() {
		RegisterRules(r.ID)
	}
	for _, r := range holders.Rules() {
		RegisterRules(r.ID)
	}
}
