package edit

import (
	"strconv"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// A Kind names an edit operation as it appears in the "op" member.
type Kind string

// The operations.
const (
	KindReplace       Kind = "replace"
	KindMoveBoundary  Kind = "move_boundary"
	KindSplit         Kind = "split"
	KindMerge         Kind = "merge"
	KindCreate        Kind = "create"
	KindRetire        Kind = "retire"
	KindReplaceLayout Kind = "replace_layout"
)

// Kinds returns every operation kind in documentation order.
func Kinds() []Kind {
	return []Kind{KindReplace, KindMoveBoundary, KindSplit, KindMerge, KindCreate, KindRetire, KindReplaceLayout, KindStaff}
}

// An Op is one edit of a community's grids. Which fields are used depends
// on Kind; DecodeOp fills exactly those and refuses the others:
//
//	replace         Grid, Geometry
//	move_boundary   Grids (two), Line (the new shared boundary)
//	split           Grid, Line; optional Codes and Names for the parts
//	merge           Grids (two or more); optional Name
//	create          Community, Geometry; optional Code and Name
//	retire          Grid, Into (one or more neighbours)
//	replace_layout  Community, Layout
//	staff           Grid, Staff (the grid's whole staff; empty clears it)
//
// Reason, the planner's explanation, is accepted by every kind.
// Coordinates are WGS-84 longitude/latitude.
type Op struct {
	Kind      Kind
	Grid      geo.GridCode
	Grids     []geo.GridCode
	Into      []geo.GridCode
	Community geo.DivisionCode
	Geometry  orb.MultiPolygon
	Line      orb.LineString
	// Codes (split) are the codes of the parts in geo.StandardOrder; zero
	// entries are allocated. Names likewise; empty entries are generated.
	Codes []geo.GridCode
	Names []string
	// Code and Name (create; Name also merge) name the resulting grid.
	Code   geo.GridCode
	Name   string
	Layout []LayoutGrid
	// Staff (staff) is the grid's new staff list, checked by
	// geo.CheckStaff.
	Staff  []geo.Staff
	Reason string
}

// A LayoutGrid is one feature of a replace_layout upload.
type LayoutGrid struct {
	// Code is the grid's code; an existing grid's code keeps that grid's
	// id. Zero means a new grid with an allocated code (or, when ID names
	// a grid of the community, that grid).
	Code geo.GridCode
	// ID is the grid's stable id, optional. With a code it must name the
	// grid that holds or last held the code; this is how a revert brings
	// back a retired grid with its own code.
	ID geo.GridID
	// Name is the display name; empty keeps the old name or generates one.
	Name string
	// Community, when not zero, must be the operation's community.
	Community geo.DivisionCode
	// Geometry is the grid's area.
	Geometry orb.MultiPolygon
}

// CommunityCode returns the community the operation edits, as far as the op
// alone tells: its Community, or the community of its first grid code.
func (op Op) CommunityCode() geo.DivisionCode {
	switch {
	case op.Community != 0:
		return op.Community
	case op.Grid != 0:
		return op.Grid.Community()
	case len(op.Grids) > 0:
		return op.Grids[0].Community()
	}
	return 0
}

// defaultName returns the generated name of grid seq of a community whose
// short name is short, for example 钟环社区第3网格.
func defaultName(short string, seq int) string {
	return short + "第" + strconv.Itoa(seq) + "网格"
}
