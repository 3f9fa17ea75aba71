// Package uuid is a minimal stand-in for github.com/google/uuid.
package uuid

// UUID is a 16-byte identifier.
type UUID [16]byte

// String formats the UUID.
func (u UUID) String() string { return "00000000-0000-0000-0000-000000000000" }

// New returns a random UUID.
func New() UUID { return UUID{} }

// NewString returns a random UUID as a string.
func NewString() string { return New().String() }

// NewRandom returns a random UUID or an error.
func NewRandom() (UUID, error) { return UUID{}, nil }

// Must panics on err.
func Must(u UUID, err error) UUID {
	if err != nil {
		panic(err)
	}
	return u
}
