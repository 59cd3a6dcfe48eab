package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

type staffJSON struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	Type   string `json:"type"`
	Phone  string `json:"phone"`
	Masked bool   `json:"masked"`
}

// staffCity is the test city with staff on grid 1 (community 1).
func staffCity(tb testing.TB) *geo.City {
	c := testCity(tb)
	c.Grids[0].Staff = []geo.Staff{
		{Name: "王秀英", Role: geo.RoleHead, Type: geo.StaffPartTime, Phone: "138-1234-5678"},
		{Name: "李明", Role: geo.RoleWorker, Type: geo.StaffFullTime, Phone: "139-0000-1111"},
	}
	return c
}

// staffEnv serves staffCity with planners inside and outside grid 1's community.
func staffEnv(tb testing.TB) *editEnv {
	e := newEditEnv(tb, staffCity(tb))
	e.token("planner1", access.RolePlanner, tCommunity1)
	e.token("planner2", access.RolePlanner, tCommunity2)
	e.token("viewer1", access.RoleViewer, tCommunity1)
	e.token("viewer2", access.RoleViewer, tCommunity2)
	return e
}

func TestStaffMaskedByScope(t *testing.T) {
	e := staffEnv(t)
	g1 := orb.Point{104.805, 26.595}
	cases := []struct {
		token  string
		masked bool
	}{
		{"", true},
		{"admin", false},
		{"planner1", false},
		{"planner2", true},
		{"viewer", true},
		{"viewer1", false},
		{"viewer2", true},
		{"gm_not-a-token", true},
	}
	for _, tc := range cases {
		t.Run("token "+tc.token, func(t *testing.T) {
			checks := map[string]func() []staffJSON{
				"lookup": func() []staffJSON {
					r := e.request(http.MethodGet, lookupURL(g1, ""), tc.token, -1, "")
					if r.status != http.StatusOK || !strings.Contains(r.header.Get("Vary"), "Authorization") {
						t.Fatalf("lookup = %d, Vary %q: %s", r.status, r.header.Get("Vary"), r.body)
					}
					var got struct{ Staff []staffJSON }
					decode(t, r.body, &got)
					return got.Staff
				},
				"grid staff": func() []staffJSON {
					r := e.request(http.MethodGet, "/v1/grids/520201001001001/staff", tc.token, -1, "")
					var got struct {
						Grid   string
						Masked bool
						Staff  []staffJSON
					}
					decode(t, r.body, &got)
					if r.status != http.StatusOK || got.Grid != "520201001001001" || got.Masked != tc.masked {
						t.Fatalf("GET staff = %d %s", r.status, r.body)
					}
					return got.Staff
				},
				"batch": func() []staffJSON {
					r := e.request(http.MethodPost, "/v1/lookup", tc.token, -1, `{"points":[[104.805,26.595],[104.815,26.595]]}`)
					var got struct{ Results []struct{ Staff []staffJSON } }
					decode(t, r.body, &got)
					if r.status != http.StatusOK || len(got.Results) != 2 || got.Results[1].Staff == nil || len(got.Results[1].Staff) != 0 {
						t.Fatalf("batch = %d %s", r.status, r.body)
					}
					return got.Results[0].Staff
				},
				"geocode": func() []staffJSON {
					r := e.request(http.MethodGet, "/v1/geocode?address="+url.QueryEscape("人民中路1号凉都花园1栋"), tc.token, -1, "")
					var got struct {
						Best  struct{ Grid struct{ Code string } }
						Staff []staffJSON
					}
					decode(t, r.body, &got)
					if r.status != http.StatusOK || got.Best.Grid.Code != "520201001001001" {
						t.Fatalf("geocode = %d %s", r.status, r.body)
					}
					return got.Staff
				},
			}
			for name, get := range checks {
				staff := get()
				if len(staff) != 2 {
					t.Fatalf("%s: %d staff, want 2", name, len(staff))
				}
				want := []staffJSON{{"王秀英", "head", "part_time", "138-1234-5678", false}, {"李明", "worker", "full_time", "139-0000-1111", false}}
				if tc.masked {
					want = []staffJSON{{"王**", "head", "part_time", "138****5678", true}, {"李*", "worker", "full_time", "139****1111", true}}
				}
				for i := range want {
					if staff[i] != want[i] {
						t.Errorf("%s: staff[%d] = %+v, want %+v", name, i, staff[i], want[i])
					}
				}
			}
		})
	}
}

func TestPutStaff(t *testing.T) {
	e := staffEnv(t)
	const path = "/v1/grids/520201001001001/staff"
	good := `{"reason":"new head","staff":[{"name":"赵丽华","role":"网格长","type":"专职","phone":"13985001234"},{"name":"李明","role":"worker","type":"full_time","phone":"139-0000-1111"}]}`
	refusals := []struct {
		name, token, path, body string
		base, status            int
		field                   string
	}{
		{"no token", "", path, good, 0, http.StatusUnauthorized, ""},
		{"viewer", "viewer", path, good, 0, http.StatusForbidden, ""},
		{"planner elsewhere", "planner2", path, good, 0, http.StatusForbidden, ""},
		{"no If-Match", "planner1", path, good, -1, http.StatusPreconditionRequired, "If-Match"},
		{"bad code", "planner1", "/v1/grids/52020100100100x/staff", good, 0, http.StatusBadRequest, "code"},
		{"no grid", "planner1", "/v1/grids/520201001001009/staff", good, 0, http.StatusNotFound, "code"},
		{"no staff", "planner1", path, `{"reason":"x"}`, 0, http.StatusBadRequest, "staff"},
		{"bad phone", "planner1", path, `{"reason":"x","staff":[{"name":"王","role":"head","phone":"12345"}]}`, 0, http.StatusBadRequest, "staff[0].phone"},
		{"empty name", "planner1", path, `{"reason":"x","staff":[{"name":" ","role":"head","phone":"13812345678"}]}`, 0, http.StatusBadRequest, "staff[0].name"},
		{"two heads", "planner1", path, `{"reason":"x","staff":[{"name":"王","role":"head","phone":"13812345678"},{"name":"李","role":"head","phone":"13812345679"}]}`, 0, http.StatusBadRequest, "staff[1].role"},
		{"unknown member", "planner1", path, `{"reason":"x","staff":[],"grid":"1"}`, 0, http.StatusBadRequest, ""},
		{"no reason", "planner1", path, `{"staff":[]}`, 0, http.StatusBadRequest, "reason"},
		{"stale", "planner1", path, good, 7, http.StatusConflict, ""},
	}
	for _, tc := range refusals {
		r := e.request(http.MethodPut, tc.path, tc.token, tc.base, tc.body)
		if r.status != tc.status {
			t.Errorf("%s: PUT = %d, want %d: %s", tc.name, r.status, tc.status, r.body)
			continue
		}
		if tc.field != "" {
			wantProblem(t, r, tc.status, tc.field)
		}
	}
	if e.version() != 0 {
		t.Fatalf("refused PUTs changed the version to %d", e.version())
	}
	r := e.request(http.MethodPut, path, "planner1", 0, good)
	if r.status != http.StatusCreated || r.header.Get("Location") != "/v1/changes/1" {
		t.Fatalf("PUT = %d (Location %q): %s", r.status, r.header.Get("Location"), r.body)
	}
	var got struct {
		Version int
		Staff   []staffJSON
	}
	decode(t, r.body, &got)
	if got.Version != 1 || len(got.Staff) != 2 || got.Staff[0].Name != "赵丽华" || got.Staff[0].Phone != "139-8500-1234" || got.Staff[0].Type != "full_time" {
		t.Errorf("PUT answered %s", r.body)
	}
	if again := e.request(http.MethodPut, path, "planner1", 1, good); again.status != http.StatusOK || e.version() != 1 {
		t.Errorf("the same staff again = %d, version %d; want 200, 1", again.status, e.version())
	}
	// The change is a changeset: listed, masked for others, revertible.
	for _, tc := range []struct {
		token string
		name  string
	}{{"", "赵**"}, {"planner2", "赵**"}, {"planner1", "赵丽华"}, {"admin", "赵丽华"}} {
		r := e.request(http.MethodGet, "/v1/changes/1", tc.token, -1, "")
		var cs struct {
			Kind    string
			Author  string
			Changes []struct {
				Kind        string
				StaffBefore []staffJSON `json:"staff_before"`
				StaffAfter  []staffJSON `json:"staff_after"`
			}
		}
		decode(t, r.body, &cs)
		if r.status != http.StatusOK || cs.Kind != "staff" || cs.Author != "planner1" || len(cs.Changes) != 1 || cs.Changes[0].Kind != "staff" {
			t.Fatalf("GET /v1/changes/1 = %d %s", r.status, r.body)
		}
		if n := cs.Changes[0].StaffAfter[0].Name; n != tc.name {
			t.Errorf("token %q: changeset staff_after[0].name = %q, want %q", tc.token, n, tc.name)
		}
		if tc.name == "赵**" && (strings.Contains(string(r.body), "赵丽华") || strings.Contains(string(r.body), "8500")) {
			t.Errorf("token %q: the masked changeset holds the name or phone: %s", tc.token, r.body)
		}
	}
	rv := e.request(http.MethodPost, "/v1/changes/1/revert", "planner1", 1, `{"reason":"undo"}`)
	if rv.status != http.StatusCreated {
		t.Fatalf("revert = %d %s", rv.status, rv.body)
	}
	g, _ := e.s.Snapshot().Grid(geo.GridCode(520201001001001))
	if len(g.Staff) != 2 || g.Staff[0].Name != "王秀英" {
		t.Errorf("after the revert, staff = %+v, want the original", g.Staff)
	}
	// Through /v1/edits the op is the same.
	r = e.request(http.MethodPost, "/v1/edits", "planner1", 2, `{"op":"staff","grid":"520201001001002","reason":"first staff","staff":[{"name":"周芳","role":"head","phone":"0858-8221234"}]}`)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /v1/edits staff = %d %s", r.status, r.body)
	}
	if g2, _ := e.s.Snapshot().Grid(geo.GridCode(520201001001002)); len(g2.Staff) != 1 || g2.Staff[0].Phone != "0858-8221234" {
		t.Errorf("grid 2 staff = %+v", g2.Staff)
	}
}

// TestStaffInFeed: a staff change is listed in /v1/changes and its feed
// event names the grid as changed, without names or phones.
func TestStaffInFeed(t *testing.T) {
	e := staffEnv(t)
	r := e.request(http.MethodPut, "/v1/grids/520201001001001/staff", "planner1", 0,
		`{"reason":"new worker","staff":[{"name":"王秀英","role":"head","phone":"13812345678"},{"name":"孙丽","role":"worker","phone":"13700001111"}]}`)
	if r.status != http.StatusCreated {
		t.Fatalf("PUT = %d %s", r.status, r.body)
	}
	list := e.request(http.MethodGet, "/v1/changes", "", -1, "")
	var got struct {
		Changes []struct {
			Kind, Author string
			Grids        []struct{ Kind, Before, After string }
		}
	}
	decode(t, list.body, &got)
	if len(got.Changes) != 1 || got.Changes[0].Kind != "staff" || len(got.Changes[0].Grids) != 1 || got.Changes[0].Grids[0].After != "520201001001001" {
		t.Fatalf("/v1/changes = %s", list.body)
	}
	cs, err := e.st.Changeset(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := newFeedEvent(cs, e.s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	data := string(ev.data)
	if !strings.Contains(data, `"changed":["520201001001001"]`) || !strings.Contains(data, `"kind":"staff"`) {
		t.Errorf("feed event = %s, want the grid changed by a staff change", data)
	}
	if strings.Contains(data, "孙丽") || strings.Contains(data, "1370000") {
		t.Errorf("the feed event holds a name or phone: %s", data)
	}
}

// TestAppendStaffEscapes: names that need JSON escaping stay valid JSON,
// masked or not.
func TestAppendStaffEscapes(t *testing.T) {
	list := []geo.Staff{{Name: `"引号\`, Role: geo.RoleHead, Phone: "138-1234-5678"}, {Name: `\王`, Role: geo.RoleWorker, Type: geo.StaffPartTime, Phone: "0858-8221234"}}
	for _, full := range []bool{true, false} {
		var got []staffJSON
		b := appendStaff(nil, list, full)
		decode(t, b, &got)
		if len(got) != 2 || (full && got[0].Name != list[0].Name) || (!full && (got[0].Name != `"***` || got[1].Name != `\*` || got[1].Phone != "085****1234")) {
			t.Errorf("appendStaff(full %v) = %s", full, b)
		}
	}
}

// TestExportGridsStaffColumns checks the grid table's staff columns: the
// head's name and phone in full for a token covering the grid, masked for
// one that does not and without a token, and the number of staff.
func TestExportGridsStaffColumns(t *testing.T) {
	e := staffEnv(t)
	for _, tc := range []struct{ token, name, phone string }{
		{"planner1", "王秀英", "138-1234-5678"},
		{"viewer1", "王秀英", "138-1234-5678"},
		{"planner2", "王**", "138****5678"},
		{"", "王**", "138****5678"},
	} {
		r := e.request(http.MethodGet, "/v1/export/grids?format=json&codes=520201001001001", tc.token, -1, "")
		if r.status != http.StatusOK || !strings.Contains(r.header.Get("Vary"), "Authorization") {
			t.Fatalf("token %q: %d, Vary %q: %s", tc.token, r.status, r.header.Get("Vary"), r.body)
		}
		var rows exportRows
		decode(t, r.body, &rows)
		col := map[string]int{}
		for i, c := range rows.Columns {
			col[c] = i
		}
		if len(rows.Rows) != 1 {
			t.Fatalf("token %q: %d rows", tc.token, len(rows.Rows))
		}
		row := rows.Rows[0]
		if row[col["staff"]] != tc.name || row[col["staff_tel"]] != tc.phone || fmt.Sprint(row[col["staff_n"]]) != "2" {
			t.Errorf("token %q: staff %v, tel %v, n %v; want %s, %s, 2", tc.token, row[col["staff"]], row[col["staff_tel"]], row[col["staff_n"]], tc.name, tc.phone)
		}
	}
}
