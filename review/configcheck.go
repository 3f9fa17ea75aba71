package review

import (
	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/review/config"
)

// IgnoreWithoutReason is the ID of the finding a suppression without a
// reason becomes; the config may re-grade or disable it like a check.
const IgnoreWithoutReason = "ignore-without-reason"

// CheckIDs lists every ID a config may name: the catalog's checks, extra
// (a caller's own checks) and IgnoreWithoutReason.
func CheckIDs(extra ...*checklist.Check) []string {
	var ids []string
	for _, c := range checklist.Catalog() {
		ids = append(ids, c.ID)
	}
	for _, c := range extra {
		if c != nil {
			ids = append(ids, c.ID)
		}
	}
	return append(ids, IgnoreWithoutReason)
}

// ValidateConfig checks the config's check IDs against CheckIDs(extra...);
// an unknown one is a UsageError naming it and the nearest known ID.
func ValidateConfig(cfg config.Config, extra ...*checklist.Check) error {
	if err := cfg.CheckIDs(CheckIDs(extra...)); err != nil {
		return &UsageError{Err: err}
	}
	return nil
}
