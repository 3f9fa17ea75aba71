package gormlockignored

import "gorm.io/gorm"

// Redemption is a code that credits a balance once.
type Redemption struct {
	Code string
	Used bool
}

// lockV1Style carries GORM v1's lock over to v2, which ignores it.
func lockV1Style(tx *gorm.DB, code string) error {
	var r Redemption
	return tx.Set("gorm:query_option", "FOR UPDATE").Where("code = ?", code).First(&r).Error // want `GORM v2 ignores the gorm:query_option setting`
}
