package address

import (
	"strconv"
	"testing"
)

// TestDisagreeingAnswerNeverConfident asks for addresses that no building
// has (a door number, building or estate changed) on the fixture city, and
// checks that an answer naming a building that disagrees with a part given
// is never confident.
func TestDisagreeingAnswerNeverConfident(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	c := fixtureCity(t)
	x := NewCityIndex(c)
	checked := 0
	for i, b := range c.Buildings {
		a := b.Address
		if i%37 != 0 || a.Road == "" || a.Number == 0 || a.Estate == "" || a.Building == "" {
			continue
		}
		for _, in := range []string{
			a.District + a.Road + strconv.Itoa(a.Number+700) + "号" + a.Estate + a.Building + "栋",
			a.District + a.Road + strconv.Itoa(a.Number) + "号" + a.Estate + "97栋",
			a.District + a.Road + strconv.Itoa(a.Number) + "号望城新村" + a.Building + "栋",
		} {
			r, err := x.Geocode(in)
			if err != nil || r.Best == nil || r.Best.Building == nil {
				continue
			}
			got := r.Best.Building.Address
			p := Parse(in)
			agrees := got.Number == p.Number && got.Building == p.Building && got.Estate == p.Estate
			if !agrees && r.Best.Confidence > MaxDisagreeingConfidence {
				t.Errorf("Geocode(%q) = %s with confidence %.3f, want at most %.2f: it disagrees with a part given",
					in, StandardAddress(r.Best.Building), r.Best.Confidence, MaxDisagreeingConfidence)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("checked %d answers, want >= 100", checked)
	}
}
