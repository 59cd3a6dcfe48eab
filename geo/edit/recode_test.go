package edit

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
)

func TestRecode(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	hist := NewCodeHistory(s.City, time.Time{})
	day1 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	// Merge retires b's code; splitting the biggest grid adds a code at the end.
	res := mustApply(t, s, Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}})
	hist.Record(res.Changes, day1)
	s1, _ := geo.NewSnapshot(res.Next, 2)
	big := largestGrid(s1, u.Code)
	res, err := Apply(s1, Op{Kind: KindSplit, Grid: big.Code, Line: lineAcross(t, big, 90)}, Options{History: hist})
	if err != nil || !res.Valid {
		t.Fatalf("split: %v %v", err, res.Errors)
	}
	hist.Record(res.Changes, day1)
	s2, _ := geo.NewSnapshot(res.Next, 3)

	day2 := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	rr, err := Recode(s2, u.Code, day2, hist)
	if err != nil {
		t.Fatalf("Recode = %v", err)
	}
	s3, err := geo.NewSnapshot(rr.Next, 4)
	if err != nil {
		t.Fatalf("NewSnapshot(recoded) = %v", err)
	}
	order := geo.StandardOrder(s3.GridsOf(u.Code))
	if len(rr.Rows) != len(order) {
		t.Fatalf("%d crosswalk rows, want %d grids", len(rr.Rows), len(order))
	}
	prev := 0
	for i, g := range order {
		if g.Code == b.Code {
			t.Errorf("retired code %s was reused by grid %d", b.Code, g.ID)
		}
		if g.Code.Seq() <= prev {
			t.Errorf("grid %d in standard place %d has code %s, not above the previous %03d", g.ID, i, g.Code, prev)
		}
		prev = g.Code.Seq()
		if row := rr.Rows[i]; row.Grid != g.ID || row.New != g.Code || !row.Date.Equal(day2) {
			t.Errorf("row %d = %+v, want grid %d -> %s on %v", i, row, g.ID, g.Code, day2)
		}
	}
	if want := len(order) + countRetiredBelow(hist, u.Code, prev); prev != want {
		t.Errorf("last sequence %03d, want %03d: %d grids numbered densely, skipping only retired codes", prev, want, len(order))
	}
	checkCommunity(t, s3, u.Code)
	validateCity(t, rr.Next)

	hist.Record(rr.Changes, day2)
	for _, row := range rr.Rows {
		if row.Old == row.New {
			continue
		}
		spans := hist.Spans(row.New)
		if last := spans[len(spans)-1]; last.Grid != row.Grid || !last.From.Equal(day2) || !last.Current() {
			t.Errorf("code %s history ends with %+v, want grid %d from %v", row.New, last, row.Grid, day2)
		}
	}
	cw := hist.Crosswalk(day2, day2.Add(time.Hour))
	changed := 0
	for _, row := range rr.Rows {
		if row.Old != row.New {
			changed++
		}
	}
	if len(cw) != changed || changed == 0 {
		t.Errorf("history crosswalk has %d rows, want the %d re-coded grids", len(cw), changed)
	}
}

// countRetiredBelow counts retired sequences of a community up to max.
func countRetiredBelow(h *CodeHistory, c geo.DivisionCode, max int) int {
	n := 0
	for seq := 1; seq <= max; seq++ {
		code, _ := geo.NewGridCode(c, seq)
		if h.Retired(code) {
			n++
		}
	}
	return n
}

func TestRecodeErrors(t *testing.T) {
	s := testSnapshot(t)
	if _, err := Recode(s, 520201099199, time.Now(), nil); err == nil {
		t.Errorf("Recode(no community) = nil error")
	}
	if _, err := Recode(nil, 520201011001, time.Now(), nil); err == nil {
		t.Errorf("Recode(nil snapshot) = nil error")
	}
}

func TestCrosswalkWriters(t *testing.T) {
	rows := []CrosswalkRow{
		{Old: 520201011001003, New: 520201011001001, Grid: 42, Date: time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)},
		{Old: 520201011001001, New: 520201011001002, Grid: 7, Date: time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)},
	}
	var csvOut bytes.Buffer
	if err := WriteCrosswalkCSV(&csvOut, rows); err != nil {
		t.Fatal(err)
	}
	want := "old_code,new_code,grid_id,date\n520201011001003,520201011001001,42,2024-06-01\n520201011001001,520201011001002,7,2024-06-01\n"
	if csvOut.String() != want {
		t.Errorf("CSV =\n%s\nwant\n%s", csvOut.String(), want)
	}
	var jsonOut bytes.Buffer
	if err := WriteCrosswalkJSON(&jsonOut, rows); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(jsonOut.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0]["old_code"] != "520201011001003" || got[0]["grid_id"] != float64(42) || got[1]["date"] != "2024-06-01" {
		t.Errorf("JSON = %s", strings.TrimSpace(jsonOut.String()))
	}
}

func TestCodeHistoryJSON(t *testing.T) {
	s := testSnapshot(t)
	h := NewCodeHistory(s.City, time.Time{})
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	res := mustApply(t, s, Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}})
	h.Record(res.Changes, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var back CodeHistory
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.MaxGridID() != h.MaxGridID() || !back.Retired(b.Code) || back.Retired(a.Code) || back.MaxSeq(u.Code) != h.MaxSeq(u.Code) {
		t.Errorf("history round trip lost facts: max id %d/%d, %s retired %v", back.MaxGridID(), h.MaxGridID(), b.Code, back.Retired(b.Code))
	}
}
