// Package clause stands in for gorm.io/gorm/clause.
package clause

// OnConflict is an ON CONFLICT clause.
type OnConflict struct{ DoNothing bool }
