package edit

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// A CodeSpan says that grid Grid held code Code from From until To. A
// zero From means since the base data; a zero To means it still holds it.
type CodeSpan struct {
	Code geo.GridCode `json:"code,string"`
	Grid geo.GridID   `json:"grid"`
	From time.Time    `json:"valid_from,omitzero"`
	To   time.Time    `json:"valid_to,omitzero"`
}

// Current reports whether the span is still open.
func (s CodeSpan) Current() bool { return s.To.IsZero() }

// A CodeHistory records every grid code ever used, which grid held it and
// when, and the highest grid id ever issued. It is what keeps retired
// codes and ids from being reused. The store keeps one beside the city
// and updates it with Record after each accepted change; Apply and Recode
// only read it. A CodeHistory is not safe for concurrent mutation: hand
// readers a Clone or do not Record while they run.
//
// Clones share what they do not change: the spans and sequences live in
// layered maps (layered.go), so a Clone and the Record after it cost in
// proportion to the change, not to the city. A span list in a map is
// never modified in place; Record stores a new one.
type CodeHistory struct {
	spans  layered[geo.GridCode, []CodeSpan]
	maxID  geo.GridID
	maxSeq layered[geo.DivisionCode, int]
}

// NewCodeHistory starts a history from the grids of c: each current code
// held by its grid since since (zero for "since the base data").
func NewCodeHistory(c *geo.City, since time.Time) *CodeHistory {
	h := &CodeHistory{}
	h.spans.own = make(map[geo.GridCode][]CodeSpan, len(c.Grids))
	for _, g := range c.Grids {
		h.open(g.Code, g.ID, since)
	}
	h.freeze()
	return h
}

// freeze makes what was recorded so far shared by every clone, for a
// history just built.
func (h *CodeHistory) freeze() {
	h.spans.freeze()
	h.maxSeq.freeze()
}

// open starts a span and updates the counters.
func (h *CodeHistory) open(code geo.GridCode, id geo.GridID, at time.Time) {
	ss, _ := h.spans.get(code)
	h.spans.set(code, append(ss[:len(ss):len(ss)], CodeSpan{Code: code, Grid: id, From: at}))
	h.maxID = max(h.maxID, id)
	comm := code.Community()
	if seq, _ := h.maxSeq.get(comm); code.Seq() > seq {
		h.maxSeq.set(comm, code.Seq())
	}
}

// close ends the open span of code held by id, if any.
func (h *CodeHistory) close(code geo.GridCode, id geo.GridID, at time.Time) {
	ss, _ := h.spans.get(code)
	for i := len(ss) - 1; i >= 0; i-- {
		if ss[i].Grid == id && ss[i].Current() {
			ss = slices.Clone(ss)
			ss[i].To = at
			h.spans.set(code, ss)
			return
		}
	}
}

// Clone returns an independent copy. It shares h's unchanged spans and
// costs in proportion to what was recorded into h since h was cloned
// (or built); it only reads h, so holders of a shared history may clone
// it at once.
func (h *CodeHistory) Clone() *CodeHistory {
	return &CodeHistory{spans: h.spans.clone(), maxID: h.maxID, maxSeq: h.maxSeq.clone()}
}

// span returns the spans of code, shared: not to be modified.
func (h *CodeHistory) span(code geo.GridCode) []CodeSpan {
	ss, _ := h.spans.get(code)
	return ss
}

// MaxGridID returns the highest grid id ever issued.
func (h *CodeHistory) MaxGridID() geo.GridID { return h.maxID }

// MaxSeq returns the highest grid sequence ever used in a community.
func (h *CodeHistory) MaxSeq(community geo.DivisionCode) int {
	seq, _ := h.maxSeq.get(community)
	return seq
}

// Used reports whether code was ever held by a grid.
func (h *CodeHistory) Used(code geo.GridCode) bool { return len(h.span(code)) > 0 }

// Holder returns the grid that holds code now or held it last.
func (h *CodeHistory) Holder(code geo.GridCode) (geo.GridID, bool) {
	ss := h.span(code)
	if len(ss) == 0 {
		return 0, false
	}
	return ss[len(ss)-1].Grid, true
}

// Retired reports whether code was used and no grid holds it now.
func (h *CodeHistory) Retired(code geo.GridCode) bool {
	ss := h.span(code)
	return len(ss) > 0 && !ss[len(ss)-1].Current()
}

// Spans returns the spans of one code, oldest first.
func (h *CodeHistory) Spans(code geo.GridCode) []CodeSpan { return slices.Clone(h.span(code)) }

// All returns every span, by code and then by start.
func (h *CodeHistory) All() []CodeSpan {
	spans := h.spans.all()
	var out []CodeSpan
	for _, code := range slices.Sorted(maps.Keys(spans)) {
		out = append(out, spans[code]...)
	}
	return out
}

// Record updates the history with accepted changes made at time at: a
// grid that loses its code (retired or re-coded) closes its span, and a
// grid that gains a code (new or re-coded) opens one. All spans are
// closed before any is opened, so codes may move between grids at once.
func (h *CodeHistory) Record(changes []Change, at time.Time) {
	for _, c := range changes {
		if c.Before != nil && (c.After == nil || c.After.Code != c.Before.Code) {
			h.close(c.Before.Code, c.Before.ID, at)
		}
	}
	for _, c := range changes {
		if c.After != nil && (c.Before == nil || c.After.Code != c.Before.Code) {
			h.open(c.After.Code, c.After.ID, at)
		}
		if c.After != nil {
			h.maxID = max(h.maxID, c.After.ID)
		}
	}
}

// Crosswalk returns the re-codings that took effect in [from, to): one row
// for each grid that changed from one code to another at that moment.
// Zero bounds are open.
func (h *CodeHistory) Crosswalk(from, to time.Time) []CrosswalkRow {
	byGrid := map[geo.GridID][]CodeSpan{}
	for _, ss := range h.spans.all() {
		for _, s := range ss {
			byGrid[s.Grid] = append(byGrid[s.Grid], s)
		}
	}
	var rows []CrosswalkRow
	for id, ss := range byGrid {
		slices.SortFunc(ss, func(a, b CodeSpan) int { return a.From.Compare(b.From) })
		for i := 0; i+1 < len(ss); i++ {
			at := ss[i+1].From
			if !ss[i].To.Equal(at) || (!from.IsZero() && at.Before(from)) || (!to.IsZero() && !at.Before(to)) {
				continue
			}
			rows = append(rows, CrosswalkRow{Old: ss[i].Code, New: ss[i+1].Code, Grid: id, Date: at})
		}
	}
	slices.SortFunc(rows, func(a, b CrosswalkRow) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.Old, b.Old)
	})
	return rows
}

// historyJSON is the wire form of a CodeHistory.
type historyJSON struct {
	MaxID geo.GridID `json:"max_grid_id"`
	Spans []CodeSpan `json:"spans"`
}

// MarshalJSON writes the history as its highest id and all spans.
func (h *CodeHistory) MarshalJSON() ([]byte, error) {
	return json.Marshal(historyJSON{MaxID: h.maxID, Spans: h.All()})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (h *CodeHistory) UnmarshalJSON(data []byte) error {
	var w historyJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("decoding code history: %w", err)
	}
	spans := make(map[geo.GridCode][]CodeSpan, len(w.Spans))
	seqs := map[geo.DivisionCode]int{}
	*h = CodeHistory{}
	for _, s := range w.Spans {
		spans[s.Code] = append(spans[s.Code], s)
		h.maxID = max(h.maxID, s.Grid)
		seqs[s.Code.Community()] = max(seqs[s.Code.Community()], s.Code.Seq())
	}
	h.maxID = max(h.maxID, w.MaxID)
	h.spans.own, h.maxSeq.own = spans, seqs
	h.freeze()
	return nil
}
