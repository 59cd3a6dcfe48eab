package geo

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrBadCode is returned (wrapped) when a division or grid code does not parse.
var ErrBadCode = errors.New("geo: bad code")

// Level is a rung of the governance hierarchy.
type Level uint8

// The levels, from the top. LevelGrid is below LevelCommunity.
const (
	LevelCity Level = iota
	LevelDistrict
	LevelSubdistrict
	LevelCommunity
	LevelGrid
)

var levelNames = [...]string{"city", "district", "subdistrict", "community", "grid"}

// String returns the level's English name: city, district, subdistrict, community or grid.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// ParseLevel parses a level name as written by Level.String.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown level %q", ErrBadCode, s)
}

// A DivisionCode is a 12-digit NBS statistical division code: 6-digit county
// (GB/T 2260) + 3-digit township + 3-digit village unit. Shorter codes are
// right-padded with zeros: the city 5202 is 520200000000, the county 520201
// is 520201000000, the subdistrict 520201011 is 520201011000. The zero value
// is invalid.
type DivisionCode uint64

// ParseDivisionCode parses a division code of 4, 6, 9 or 12 ASCII digits
// (the city, county, township or village-unit forms).
func ParseDivisionCode(s string) (DivisionCode, error) {
	switch len(s) {
	case 4, 6, 9, 12:
	default:
		return 0, fmt.Errorf("%w: division code %q must have 4, 6, 9 or 12 digits", ErrBadCode, truncate(s))
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: division code %q has a non-digit", ErrBadCode, truncate(s))
		}
		v = v*10 + uint64(c-'0')
	}
	for i := len(s); i < 12; i++ {
		v *= 10
	}
	c := DivisionCode(v)
	if err := c.Validate(); err != nil {
		return 0, err
	}
	return c, nil
}

// Validate reports whether the code is a well-formed 12-digit division code:
// a non-zero province, and no non-zero part below a zero part.
func (c DivisionCode) Validate() error {
	if c < 110000000000 || c > 999999999999 {
		return fmt.Errorf("%w: division code %d out of range", ErrBadCode, uint64(c))
	}
	county := uint64(c) / 1000000 % 100
	city := uint64(c) / 100000000 % 100
	town := uint64(c) / 1000 % 1000
	village := uint64(c) % 1000
	switch {
	case city == 0 && (county|town|village) != 0,
		county == 0 && (town|village) != 0,
		town == 0 && village != 0:
		return fmt.Errorf("%w: division code %d has a part below a zero part", ErrBadCode, uint64(c))
	}
	return nil
}

// Level returns the level the code names: LevelCity (4 significant digits),
// LevelDistrict (6), LevelSubdistrict (9) or LevelCommunity (12).
func (c DivisionCode) Level() Level {
	switch {
	case uint64(c)%100000000 == 0:
		return LevelCity
	case uint64(c)%1000000 == 0:
		return LevelDistrict
	case uint64(c)%1000 == 0:
		return LevelSubdistrict
	default:
		return LevelCommunity
	}
}

// Parent returns the code one level up (community -> subdistrict -> district
// -> city), or 0 for a city.
func (c DivisionCode) Parent() DivisionCode {
	switch c.Level() {
	case LevelCommunity:
		return c / 1000 * 1000
	case LevelSubdistrict:
		return c / 1000000 * 1000000
	case LevelDistrict:
		return c / 100000000 * 100000000
	}
	return 0
}

// Ancestor returns the code of the unit at level l that contains c, or c
// itself when l is c's own level. l must not be below c's level.
func (c DivisionCode) Ancestor(l Level) DivisionCode {
	for d := c; d != 0; d = d.Parent() {
		if d.Level() == l {
			return d
		}
	}
	return 0
}

// Short returns the significant digits: "5202", "520201", "520201011" or
// "520201011001".
func (c DivisionCode) Short() string {
	s := c.String()
	switch c.Level() {
	case LevelCity:
		return s[:4]
	case LevelDistrict:
		return s[:6]
	case LevelSubdistrict:
		return s[:9]
	}
	return s
}

// String returns the full 12-digit form.
func (c DivisionCode) String() string { return string(c.AppendTo(nil)) }

// AppendTo appends the 12-digit form String returns to b.
func (c DivisionCode) AppendTo(b []byte) []byte { return appendPadded(b, uint64(c), 12) }

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v uint64, width int) []byte {
	var d [20]byte
	digits := strconv.AppendUint(d[:0], v, 10)
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// IsUrbanCommunity reports whether a community-level code is a 居委会
// (village part 001-199) rather than a 村委会.
func (c DivisionCode) IsUrbanCommunity() bool {
	v := uint64(c) % 1000
	return c.Level() == LevelCommunity && v >= 1 && v <= 199
}

// IsStreetOffice reports whether a subdistrict-level code is a 街道
// (township part 001-099) rather than a 镇 or 乡.
func (c DivisionCode) IsStreetOffice() bool {
	t := uint64(c) / 1000 % 1000
	return c.Level() == LevelSubdistrict && t >= 1 && t <= 99
}

// Contains reports whether d lies inside c (or is c).
func (c DivisionCode) Contains(d DivisionCode) bool {
	return d.Ancestor(c.Level()) == c
}

// A GridCode is a 15-digit unit-grid code: the community's 12-digit code and
// a 3-digit sequence (001-999) numbered west to east, then north to south.
type GridCode uint64

// NewGridCode builds the code of grid seq (1-999) of community c.
func NewGridCode(c DivisionCode, seq int) (GridCode, error) {
	if c.Level() != LevelCommunity {
		return 0, fmt.Errorf("%w: grid parent %s is not a community", ErrBadCode, c)
	}
	if seq < 1 || seq > 999 {
		return 0, fmt.Errorf("%w: grid sequence %d outside 1-999", ErrBadCode, seq)
	}
	return GridCode(uint64(c)*1000 + uint64(seq)), nil
}

// ParseGridCode parses a 15-digit grid code.
func ParseGridCode(s string) (GridCode, error) {
	if len(s) != 15 {
		return 0, fmt.Errorf("%w: grid code %q must have 15 digits", ErrBadCode, truncate(s))
	}
	c, err := ParseDivisionCode(s[:12])
	if err != nil {
		return 0, fmt.Errorf("grid code %q: %w", truncate(s), err)
	}
	seq := 0
	for i := 12; i < 15; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%w: grid code %q has a non-digit", ErrBadCode, truncate(s))
		}
		seq = seq*10 + int(s[i]-'0')
	}
	return NewGridCode(c, seq)
}

// Community returns the code of the community that holds the grid.
func (g GridCode) Community() DivisionCode { return DivisionCode(uint64(g) / 1000) }

// Seq returns the grid's 3-digit sequence inside its community.
func (g GridCode) Seq() int { return int(uint64(g) % 1000) }

// String returns the 15-digit form.
func (g GridCode) String() string { return string(g.AppendTo(nil)) }

// AppendTo appends the 15-digit form String returns to b.
func (g GridCode) AppendTo(b []byte) []byte { return appendPadded(b, uint64(g), 15) }

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
