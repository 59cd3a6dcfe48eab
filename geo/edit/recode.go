package edit

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// ErrCodesExhausted is returned (wrapped) when a community has more grids
// than free sequences.
var ErrCodesExhausted = errors.New("edit: no free grid codes left")

// A RecodeResult is the outcome of Recode.
type RecodeResult struct {
	// Community is the community renumbered; Date is when the new codes
	// take effect.
	Community geo.DivisionCode `json:"community,string"`
	Date      time.Time        `json:"date"`
	// Rows is the crosswalk: every grid of the community, old code to new
	// (equal when unchanged), in the new order.
	Rows []CrosswalkRow `json:"rows"`
	// Changes lists the grids whose code or generated name changed.
	Changes []Change `json:"changes"`
	// Moves lists the buildings whose grid code changed.
	Moves []Move `json:"moves"`
	// Next is the city with the new codes (not written as JSON).
	Next *geo.City `json:"-"`
}

// Delta returns what the store needs to replay the re-coding.
func (r *RecodeResult) Delta() Delta { return Delta{Changes: r.Changes, Moves: r.Moves} }

// Recode renumbers the grids of a community in the standard order
// (geo.StandardOrder: north to south, west to east) as 001, 002, ...,
// skipping every sequence whose code hist knows as retired (used before
// and held by no grid now), so a retired code is never reused. A grid
// keeps its id; a generated name (钟环社区第3网格) follows the new number.
// hist may be nil (no code is then known as retired); it is not modified:
// Record the result's Changes once it is committed. s is not modified.
func Recode(s *geo.Snapshot, community geo.DivisionCode, at time.Time, hist *CodeHistory) (*RecodeResult, error) {
	if s == nil || s.City == nil {
		return nil, fmt.Errorf("recoding %s: %w", community, ErrNoSnapshot)
	}
	u, ok := s.Unit(community)
	if !ok || u.Level() != geo.LevelCommunity {
		return nil, fmt.Errorf("recoding %s: %w: no such community", community, geo.ErrNotFound)
	}
	res := &RecodeResult{Community: community, Date: at}
	seq := 0
	for _, g := range geo.StandardOrder(s.GridsOf(community)) {
		code, err := nextUnretired(community, &seq, hist)
		if err != nil {
			return nil, fmt.Errorf("recoding %s: %w", community, err)
		}
		res.Rows = append(res.Rows, CrosswalkRow{Old: g.Code, New: code, Grid: g.ID, Date: at})
		name := g.Name
		if name == defaultName(u.ShortName(), g.Code.Seq()) {
			name = defaultName(u.ShortName(), code.Seq())
		}
		if code == g.Code && name == g.Name {
			continue
		}
		n := *g
		n.Code, n.Name = code, name
		kind := ChangeRecoded
		if code == g.Code {
			kind = ChangeReshaped
		}
		res.Changes = append(res.Changes, Change{ID: g.ID, Kind: kind, Before: g, After: &n})
		if code == g.Code {
			continue
		}
		for _, b := range s.BuildingsIn(g.Code) {
			res.Moves = append(res.Moves, Move{Building: b.ID, Households: b.Households, From: g.Code, To: code, FromID: g.ID, ToID: g.ID})
		}
	}
	next, err := res.Delta().Apply(s.City)
	if err != nil {
		return nil, fmt.Errorf("recoding %s: %w", community, err)
	}
	res.Next = next
	return res, nil
}

// nextUnretired advances *seq to the next sequence whose code is not
// retired and returns that code.
func nextUnretired(c geo.DivisionCode, seq *int, hist *CodeHistory) (geo.GridCode, error) {
	for *seq < 999 {
		*seq++
		code, err := geo.NewGridCode(c, *seq)
		if err != nil {
			return 0, err
		}
		if hist == nil || !hist.Retired(code) {
			return code, nil
		}
	}
	return 0, ErrCodesExhausted
}

// crosswalkHeader is the CSV header WriteCrosswalkCSV writes.
var crosswalkHeader = []string{"old_code", "new_code", "grid_id", "date"}

// WriteCrosswalkCSV writes rows as CSV with the header
// old_code,new_code,grid_id,date; dates are YYYY-MM-DD in their own zone.
func WriteCrosswalkCSV(w io.Writer, rows []CrosswalkRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(crosswalkHeader); err != nil {
		return fmt.Errorf("writing crosswalk: %w", err)
	}
	for _, r := range rows {
		rec := []string{r.Old.String(), r.New.String(), strconv.FormatUint(uint64(r.Grid), 10), r.Date.Format(time.DateOnly)}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("writing crosswalk: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing crosswalk: %w", err)
	}
	return nil
}

// crosswalkJSON is one row as WriteCrosswalkJSON writes it.
type crosswalkJSON struct {
	Old  string     `json:"old_code"`
	New  string     `json:"new_code"`
	Grid geo.GridID `json:"grid_id"`
	Date string     `json:"date"`
}

// WriteCrosswalkJSON writes rows as a JSON array of objects with
// old_code, new_code (15-digit strings), grid_id and date (YYYY-MM-DD).
func WriteCrosswalkJSON(w io.Writer, rows []CrosswalkRow) error {
	out := make([]crosswalkJSON, len(rows))
	for i, r := range rows {
		out[i] = crosswalkJSON{Old: r.Old.String(), New: r.New.String(), Grid: r.Grid, Date: r.Date.Format(time.DateOnly)}
	}
	if err := json.NewEncoder(w).Encode(out); err != nil {
		return fmt.Errorf("writing crosswalk: %w", err)
	}
	return nil
}
