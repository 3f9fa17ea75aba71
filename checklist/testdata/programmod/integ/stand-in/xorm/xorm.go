// Package xorm stands in for xorm.io/xorm.
package xorm

// Engine is a database handle.
type Engine struct{}

// Session is a query builder.
type Session struct{}

// ID selects by primary key.
func (e *Engine) ID(id any) *Session { return &Session{} }

// Where filters.
func (e *Engine) Where(q string, args ...any) *Session { return &Session{} }

// Incr adds to a column.
func (s *Session) Incr(column string, arg ...any) *Session { return s }

// Decr takes from a column.
func (s *Session) Decr(column string, arg ...any) *Session { return s }

// Update writes.
func (s *Session) Update(bean any) (int64, error) { return 0, nil }

// Exist reports whether a row matches.
func (s *Session) Exist(bean ...any) (bool, error) { return false, nil }
