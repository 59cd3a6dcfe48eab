package address

import (
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// A Match is one answer to an address: a building, or where the address
// names no single building, the grid (and the grids) its candidates lie in.
type Match struct {
	// Building is the matched building; nil when the address names only a
	// road, an estate or a unit, or matched nothing.
	Building *geo.Building
	// Grid is the building's grid, or for an answer without a building the
	// grid most of the candidates lie in; zero when nothing matched.
	Grid geo.GridCode
	// Grids lists, for an answer without a building, every grid the
	// candidates span, sorted; nil for a building.
	Grids []geo.GridCode
	// Point is the building's entrance, or the centre of the candidates.
	Point orb.Point
	// Confidence is the estimated probability, from 0 to 1, that the answer
	// is right: the building when Building is set, otherwise the grid. It is
	// 0 when nothing matched.
	Confidence float64
	// Matched names the parts of the address that agree with the answer:
	// district, subdistrict, community, road, number, estate, building.
	Matched []string
	// Reason says in words why this answer and how sure it is.
	Reason string
}

// A Result is the answer to one address.
type Result struct {
	// Best is the best answer; never nil. A Best with Confidence 0 means
	// nothing matched; its Reason says why.
	Best *Match
	// Alternatives are the next answers, best first, at most MaxAlternatives.
	Alternatives []Match
	// Parts is the address parsed with the index's names.
	Parts Parts
	// Normalized is the address as Normalize spelt it.
	Normalized string
}

// MaxAlternatives bounds Result.Alternatives.
const MaxAlternatives = 5

// Geocode matches one address. Bad input (see CheckInput) is an error
// wrapping ErrEmpty, ErrTooLong or ErrInvalidText; an address that matches
// nothing is a Result whose Best has Confidence 0 and a Reason.
func (x *Index) Geocode(addr string) (Result, error) {
	if err := CheckInput(addr); err != nil {
		return Result{}, fmt.Errorf("geocoding address: %w", err)
	}
	norm := Normalize(addr)
	rs := []rune(norm)
	pr := assemble(rs, tokenize(rs, x.names), x.names)
	res := Result{Parts: pr.parts, Normalized: norm}
	ev := x.gather(&pr)
	cands := x.candidates(&ev)
	res.Best, res.Alternatives = x.decide(&ev, cands)
	return res, nil
}

// noMatch is the answer when nothing matched.
func noMatch(reason string) *Match { return &Match{Reason: reason} }
