package config

import "github.com/leakls/leakls/staticcheck"

// The static rules (LK000-LK0xx) are always known.
func init() {
	for _, r := range staticcheck.Rules() {
		RegisterRules(r.ID)
	}
}
