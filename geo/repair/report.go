package repair

import (
	"cmp"
	"slices"
)

// A Summary counts the repairs by kind and lists the largest.
type Summary struct {
	// Counts holds how many repairs of each kind were made.
	Counts map[Kind]int `json:"counts"`
	// AreaM2 holds the area moved by each kind, in m².
	AreaM2 map[Kind]float64 `json:"area_m2"`
	// LargestAreas are the repairs that moved the most area, largest first.
	LargestAreas []Repair `json:"largest_areas"`
	// LargestMoves are the snaps that moved a vertex farthest.
	LargestMoves []Repair `json:"largest_moves"`
}

// summaryTop is how many of the largest repairs a Summary lists.
const summaryTop = 20

// Summarize counts repairs by kind and picks the largest changes.
func Summarize(repairs []Repair) Summary {
	s := Summary{Counts: map[Kind]int{}, AreaM2: map[Kind]float64{}}
	for _, r := range repairs {
		s.Counts[r.Kind]++
		s.AreaM2[r.Kind] += r.AreaM2
		if r.AreaM2 > 0 {
			s.LargestAreas = append(s.LargestAreas, r)
		}
		if r.MoveM > 0 {
			s.LargestMoves = append(s.LargestMoves, r)
		}
	}
	slices.SortStableFunc(s.LargestAreas, func(a, b Repair) int { return cmp.Compare(b.AreaM2, a.AreaM2) })
	slices.SortStableFunc(s.LargestMoves, func(a, b Repair) int { return cmp.Compare(b.MoveM, a.MoveM) })
	s.LargestAreas = s.LargestAreas[:min(len(s.LargestAreas), summaryTop)]
	s.LargestMoves = s.LargestMoves[:min(len(s.LargestMoves), summaryTop)]
	return s
}
