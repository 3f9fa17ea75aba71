// Package sqlite3 stands in for the SQLite driver; importing it registers
// the "sqlite3" driver.
package sqlite3
