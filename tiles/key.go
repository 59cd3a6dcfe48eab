package tiles

import (
	"errors"
	"fmt"
)

// MaxZoom is the highest zoom a Key may have.
const MaxZoom = 22

// ErrBadKey is returned (wrapped in a *KeyError) for a tile address that is
// malformed or out of range.
var ErrBadKey = errors.New("tiles: bad tile key")

// A KeyError says which part of a tile address is at fault and why.
type KeyError struct {
	// Field is "z", "x" or "y".
	Field string
	// Value is the offending text (at most 32 bytes of it).
	Value string
	// Reason says what is wrong, for example "must be at most 22".
	Reason string
}

// Error describes the fault, for example `tiles: bad tile key: z "23": must be at most 22`.
func (e *KeyError) Error() string {
	return fmt.Sprintf("%s: %s %q: %s", ErrBadKey, e.Field, e.Value, e.Reason)
}

// Is makes errors.Is(err, ErrBadKey) true.
func (e *KeyError) Is(target error) bool { return target == ErrBadKey }

// A Key is the address of one tile in the XYZ (slippy map) scheme: y grows
// southwards and x, y < 2^z.
type Key struct{ Z, X, Y uint32 }

// Valid returns a *KeyError when z exceeds MaxZoom or x or y is not below 2^z.
func (k Key) Valid() error {
	if k.Z > MaxZoom {
		return &KeyError{Field: "z", Value: fmt.Sprint(k.Z), Reason: fmt.Sprintf("must be at most %d", MaxZoom)}
	}
	n := uint32(1) << k.Z
	if k.X >= n {
		return &KeyError{Field: "x", Value: fmt.Sprint(k.X), Reason: fmt.Sprintf("must be below 2^z = %d", n)}
	}
	if k.Y >= n {
		return &KeyError{Field: "y", Value: fmt.Sprint(k.Y), Reason: fmt.Sprintf("must be below 2^z = %d", n)}
	}
	return nil
}

// String returns the address as z/x/y.
func (k Key) String() string { return fmt.Sprintf("%d/%d/%d", k.Z, k.X, k.Y) }

// Parent returns the tile one zoom up that contains k; a z0 key is its own parent.
func (k Key) Parent() Key {
	if k.Z == 0 {
		return k
	}
	return Key{Z: k.Z - 1, X: k.X / 2, Y: k.Y / 2}
}

// ParseKey parses the three path segments of a tile address. Each must be
// ASCII digits only (no sign, no extension: stripping ".mvt" is the
// caller's job), and the key must be Valid.
func ParseKey(z, x, y string) (Key, error) {
	zv, err := parseUint("z", z)
	if err != nil {
		return Key{}, err
	}
	xv, err := parseUint("x", x)
	if err != nil {
		return Key{}, err
	}
	yv, err := parseUint("y", y)
	if err != nil {
		return Key{}, err
	}
	k := Key{Z: zv, X: xv, Y: yv}
	if err := k.Valid(); err != nil {
		return Key{}, err
	}
	return k, nil
}

// parseUint parses 1-10 ASCII digits into a uint32.
func parseUint(field, s string) (uint32, error) {
	if s == "" {
		return 0, &KeyError{Field: field, Value: s, Reason: "is empty"}
	}
	if len(s) > 10 {
		return 0, &KeyError{Field: field, Value: clip32(s), Reason: "is too long"}
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, &KeyError{Field: field, Value: clip32(s), Reason: "must be decimal digits"}
		}
		v = v*10 + uint64(c-'0')
	}
	if v > 1<<32-1 {
		return 0, &KeyError{Field: field, Value: s, Reason: "is out of range"}
	}
	return uint32(v), nil
}

func clip32(s string) string {
	if len(s) > 32 {
		return s[:32]
	}
	return s
}
