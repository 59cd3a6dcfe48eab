package repair

import "github.com/paulmach/orb"

// A Kind names one kind of repair.
type Kind string

// The kinds of repair, in the order the repair makes them.
const (
	KindDuplicate       Kind = "duplicate"        // a repeated feature (same key, same shape) dropped
	KindDuplicatePoints Kind = "duplicate_points" // repeated consecutive vertices removed
	KindUnclosed        Kind = "unclosed_ring"    // a ring closed
	KindDegenerate      Kind = "degenerate_ring"  // a ring with no area dropped
	KindWinding         Kind = "winding"          // rings reoriented (shells counter-clockwise, holes clockwise)
	KindSnap            Kind = "snap"             // vertices moved onto a neighbour's vertex or edge
	KindNode            Kind = "node"             // vertices inserted where another grid's border meets this one
	KindInvalidRing     Kind = "invalid_ring"     // a self-crossing or self-touching ring made valid
	KindOutside         Kind = "outside"          // area outside the community cut off
	KindOverlap         Kind = "overlap"          // an area several grids claimed, given to one
	KindGapFilled       Kind = "gap_filled"       // a gap given to the neighbour with the longest shared border
	KindGapLeft         Kind = "gap_left"         // a gap too large to fill, left as a hole in a derived community
	KindSliver          Kind = "sliver"           // a detached sliver of a grid given to a neighbour
)

// Kinds returns every kind, in the order the repair makes them.
func Kinds() []Kind {
	return []Kind{KindDuplicate, KindDuplicatePoints, KindUnclosed, KindDegenerate, KindWinding, KindSnap,
		KindNode, KindInvalidRing, KindOutside, KindOverlap, KindGapFilled, KindGapLeft, KindSliver}
}

// A Repair is one change the repair made.
type Repair struct {
	// Kind says what was done.
	Kind Kind `json:"kind"`
	// Grids are the keys of the grids involved; for an overlap, gap or
	// sliver the grid that received the area comes first.
	Grids []string `json:"grids"`
	// Community is the community's key.
	Community string `json:"community"`
	// At is a point at the repair (inside the area moved, or the vertex
	// that moved farthest).
	At orb.Point `json:"at"`
	// Geometry shows the repair: the area moved, or the vertices moved.
	Geometry orb.Geometry `json:"-"`
	// AreaM2 is the area moved, in square metres.
	AreaM2 float64 `json:"area_m2,omitempty"`
	// MoveM is the farthest a vertex moved, in metres.
	MoveM float64 `json:"move_m,omitempty"`
	// Count is how many vertices or rings the repair touched, where it
	// counts them.
	Count int `json:"count,omitempty"`
	// Note says more, in words.
	Note string `json:"note,omitempty"`
}
