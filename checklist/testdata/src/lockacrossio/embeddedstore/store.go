package embeddedstore // want package:"drivers: sqlite=yes network=no"

// embeddedstore opens the application's SQLite database.

import "database/sql"

// Open opens the SQLite file at path.
func Open(path string) (*sql.DB, error) {
	return sql.Open("sqlite", path)
}
