// Package clause stands in for gorm.io/gorm/clause.
package clause

// Locking is a locking clause.
type Locking struct{ Strength string }
