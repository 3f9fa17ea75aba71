package gormlockignored

import (
	v1 "github.com/jinzhu/gorm"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// lockV2 locks with a clause GORM v2 reads.
func lockV2(tx *gorm.DB, code string) error {
	var r Redemption
	return tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("code = ?", code).First(&r).Error
}

// lockOnV1 is GORM v1, where the option works.
func lockOnV1(tx *v1.DB, code string) error {
	var r Redemption
	return tx.Set("gorm:query_option", "FOR UPDATE").Where("code = ?", code).First(&r).Error
}

// otherSetting is a plugin's setting, not a lock.
func otherSetting(tx *gorm.DB) *gorm.DB {
	return tx.Set("gorm:auto_preload", true)
}
