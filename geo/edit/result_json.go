package edit

import (
	"encoding/json"

	"github.com/gridmap/gridmap/geo"
)

// MarshalJSON writes the change with its grids as GeoJSON features
// (EncodeGridFeature), before and after; a missing side is omitted.
func (c Change) MarshalJSON() ([]byte, error) {
	w := struct {
		ID     geo.GridID      `json:"id"`
		Kind   ChangeKind      `json:"kind"`
		Before json.RawMessage `json:"before,omitempty"`
		After  json.RawMessage `json:"after,omitempty"`
	}{ID: c.ID, Kind: c.Kind}
	if c.Before != nil {
		w.Before = EncodeGridFeature(c.Before)
	}
	if c.After != nil {
		w.After = EncodeGridFeature(c.After)
	}
	return json.Marshal(w)
}

// MarshalJSON writes the result as a preview: valid, errors, warnings,
// community, changes and impact. The next city is not written.
func (r *Result) MarshalJSON() ([]byte, error) {
	w := struct {
		Valid     bool      `json:"valid"`
		Errors    []Problem `json:"errors"`
		Warnings  []Problem `json:"warnings"`
		Community string    `json:"community,omitempty"`
		Changes   []Change  `json:"changes"`
		Impact    Impact    `json:"impact"`
	}{Valid: r.Valid, Errors: nonNil(r.Errors), Warnings: nonNil(r.Warnings), Changes: nonNil(r.Changes), Impact: r.Impact}
	if r.Community != 0 {
		w.Community = r.Community.String()
	}
	w.Impact.Moves, w.Impact.Flows = nonNil(w.Impact.Moves), nonNil(w.Impact.Flows)
	w.Impact.Grids, w.Impact.Tiles = nonNil(w.Impact.Grids), nonNil(w.Impact.Tiles)
	return json.Marshal(w)
}

// nonNil returns s, or an empty slice for nil, so JSON shows [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
