package server

import (
	"net/http"
	"testing"
)

// TestSuggestReportsUnits checks the units member of a suggestion: a
// unit's own households covered before and after the sites, before
// matching /v1/coverage, and the unit's gain no more than the city's.
func TestSuggestReportsUnits(t *testing.T) {
	s := walkServer(t)
	var subs coverageJSON
	getJSON(t, s, "/v1/coverage?level=subdistrict&minutes=15", &subs)
	worst := subs.Units[0]
	for _, u := range subs.Units {
		if u.Households > 0 && u.Share < worst.Share {
			worst = u
		}
	}
	var sg struct {
		Gain  struct{ Households int }
		Units []struct {
			Code, Name, Level string
			Before, After     tallyJSON
		}
	}
	postJSON(t, s, "/v1/coverage/suggest", `{"k":2,"units":["`+worst.Code+`"],"report":["520200000000"]}`, &sg)
	if len(sg.Units) != 2 || sg.Units[0].Code != "520200000000" || sg.Units[1].Code != worst.Code || sg.Units[1].Level != "subdistrict" {
		t.Fatalf("units %+v, want the city then %s", sg.Units, worst.Code)
	}
	u := sg.Units[1]
	if u.Before.HouseholdsCovered != worst.HouseholdsCovered || u.Name != worst.Name {
		t.Errorf("%s before: %d covered, /v1/coverage says %d", u.Code, u.Before.HouseholdsCovered, worst.HouseholdsCovered)
	}
	gained := u.After.HouseholdsCovered - u.Before.HouseholdsCovered
	city := sg.Units[0].After.HouseholdsCovered - sg.Units[0].Before.HouseholdsCovered
	if gained <= 0 || gained > city || city != sg.Gain.Households {
		t.Errorf("the unit gains %d, the city %d (sites %d)", gained, city, sg.Gain.Households)
	}
	wantProblem(t, do(t, s, http.MethodPost, "/v1/coverage/suggest", "application/json", `{"report":["12"]}`), http.StatusBadRequest, "report[0]")
}
