package edit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// ErrNoSnapshot is returned when Apply or Recode is given no snapshot.
var ErrNoSnapshot = errors.New("edit: no snapshot")

// Apply computes op on snapshot s and validates the outcome. It never
// modifies s or anything reachable from it. Problems with the edit itself
// (an unknown grid, grids of another community, an overlap, a gap, ...)
// are reported in the Result with Valid false; an error is returned only
// for a nil snapshot, bad options or an op missing the operands its kind
// needs (a *FieldError, as DecodeOp would give).
func Apply(s *geo.Snapshot, op Op, opts Options) (*Result, error) {
	return apply(context.Background(), s, op, opts)
}

// apply is Apply under ctx, which the planner's loops poll (see
// ApplyContext).
func apply(ctx context.Context, s *geo.Snapshot, op Op, opts Options) (*Result, error) {
	if s == nil || s.City == nil {
		return nil, fmt.Errorf("applying %s: %w", op.Kind, ErrNoSnapshot)
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("applying %s: %w", op.Kind, err)
	}
	if err := checkOperands(op); err != nil {
		return nil, err
	}
	if op.Kind == KindStaff {
		return applyStaff(s, op, opts.PreviewOnly)
	}
	p := newPlanner(s, op, opts.withDefaults())
	if ctx != nil {
		p.ctx = ctx
	}
	switch op.Kind {
	case KindReplace:
		p.replace()
	case KindMoveBoundary:
		p.moveBoundary()
	case KindSplit:
		p.split()
	case KindMerge:
		p.merge()
	case KindCreate:
		p.create()
	case KindRetire:
		p.retire()
	case KindReplaceLayout:
		p.layout()
	}
	return p.finish()
}

// checkOperands verifies that op carries what its kind needs, for ops
// built in code rather than decoded.
func checkOperands(op Op) error {
	missing := func(f string) error { return fieldErr(f, "missing") }
	switch op.Kind {
	case KindReplace, KindSplit, KindRetire, KindStaff:
		if op.Grid == 0 {
			return missing("grid")
		}
	case KindMoveBoundary:
		if len(op.Grids) != 2 {
			return fieldErr("grids", "want exactly 2 grid codes, got %d", len(op.Grids))
		}
	case KindMerge:
		if len(op.Grids) < 2 {
			return fieldErr("grids", "want at least 2 grid codes, got %d", len(op.Grids))
		}
	case KindCreate, KindReplaceLayout:
		if op.Community == 0 {
			return missing("community")
		}
	default:
		return fieldErr("op", "unknown op %q", op.Kind)
	}
	switch {
	case (op.Kind == KindSplit || op.Kind == KindMoveBoundary) && len(op.Line) == 0:
		return missing("line")
	case op.Kind == KindRetire && len(op.Into) == 0:
		return missing("into")
	case op.Kind == KindReplaceLayout && len(op.Layout) == 0:
		return missing("grids")
	}
	return nil
}

// A planner computes one edit: the grids it replaces (before) and their
// replacements (after, nil for retired), then validates them.
type planner struct {
	// ctx ends the work early (see ApplyContext); polls counts poll calls.
	ctx     context.Context
	polls   int
	s       *geo.Snapshot
	op      Op
	opts    Options
	hist    *CodeHistory
	comm    *geo.Unit
	lat0    float64
	snapDeg float64
	probs   problemList

	before   map[geo.GridID]*geo.Grid
	after    map[geo.GridID]*geo.Grid
	stitched map[geo.GridID]bool
	nextID   geo.GridID
	maxID    geo.GridID // the highest id of s's grids and hist
	taken    map[geo.GridCode]bool
	nbrs     []*geo.Grid // unchanged grids around the edit, set by stitch
	moves    []Move
}

// newPlanner prepares a planner over s.
func newPlanner(s *geo.Snapshot, op Op, opts Options) *planner {
	hist := opts.History
	if hist == nil {
		hist = NewCodeHistory(s.City, time.Time{})
	}
	maxID := max(hist.MaxGridID(), s.MaxGridID())
	p := &planner{
		ctx: context.Background(), s: s, op: op, opts: opts, hist: hist,
		before: map[geo.GridID]*geo.Grid{}, after: map[geo.GridID]*geo.Grid{},
		stitched: map[geo.GridID]bool{}, taken: map[geo.GridCode]bool{}, nextID: maxID + 1, maxID: maxID,
	}
	if opts.SnapMeters > 0 {
		p.snapDeg = opts.SnapMeters / degMeters
	}
	return p
}

// setCommunity makes c the community edited; false (with a problem) when
// c names no community.
func (p *planner) setCommunity(c geo.DivisionCode) bool {
	u, ok := p.s.Unit(c)
	if !ok || u.Level() != geo.LevelCommunity {
		p.probs.add(CodeUnknownCommunity, nil, nil, "%s is not a community of the city", c)
		return false
	}
	p.comm = u
	b := u.Geometry.Bound()
	if len(u.Geometry) == 0 {
		for _, g := range p.s.GridsOf(c) {
			b = b.Union(g.Bound)
		}
	}
	p.lat0 = b.Center()[1]
	return true
}

// grid returns the grid with code c as it stands in the plan, recording
// unknown_grid or wrong_community when it does not exist or (once a
// community is set) lies elsewhere. The first grid found sets the
// community.
func (p *planner) grid(c geo.GridCode) *geo.Grid {
	g, ok := p.s.Grid(c)
	if !ok {
		p.probs.add(CodeUnknownGrid, nil, []geo.GridCode{c}, "grid %s does not exist", c)
		return nil
	}
	if p.comm == nil {
		p.setCommunity(g.Community())
	} else if g.Community() != p.comm.Code {
		p.probs.add(CodeWrongCommunity, g.Geometry, []geo.GridCode{c}, "grid %s is in community %s, not %s", c, g.Community(), p.comm.Code)
		return nil
	}
	return p.cur(g)
}

// cur returns g as it stands in the plan (nil once retired).
func (p *planner) cur(g *geo.Grid) *geo.Grid {
	if a, ok := p.after[g.ID]; ok {
		return a
	}
	return g
}

// siblings returns the community's grids as they stand in the plan, by id.
func (p *planner) siblings() []*geo.Grid {
	var out []*geo.Grid
	for _, g := range p.s.GridsOf(p.comm.Code) {
		if c := p.cur(g); c != nil {
			out = append(out, c)
		}
	}
	for id, a := range p.after {
		if _, base := p.before[id]; !base && a != nil && a.Community() == p.comm.Code {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *geo.Grid) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// base returns the base-city grid with id, if any.
func (p *planner) base(id geo.GridID) (*geo.Grid, bool) { return p.s.GridByID(id) }

// reshape gives grid g (base or planned) a new geometry, and a new name
// when name is not empty.
func (p *planner) reshape(g *geo.Grid, mp orb.MultiPolygon, name string) {
	if b, ok := p.base(g.ID); ok {
		p.before[g.ID] = b
	}
	n := *g
	n.Geometry = mp
	if name != "" {
		n.Name = name
	}
	p.after[g.ID] = &n
}

// retireGrid removes grid g.
func (p *planner) retireGrid(g *geo.Grid) {
	if b, ok := p.base(g.ID); ok {
		p.before[g.ID] = b
		p.after[g.ID] = nil
		return
	}
	delete(p.after, g.ID)
}

// addGrid creates a grid with the given code and id (0 allocates one).
func (p *planner) addGrid(id geo.GridID, code geo.GridCode, name string, mp orb.MultiPolygon) *geo.Grid {
	if id == 0 {
		id = p.nextID
		p.nextID++
	}
	if name == "" {
		name = defaultName(p.comm.ShortName(), code.Seq())
	}
	p.taken[code] = true
	g := &geo.Grid{ID: id, Code: code, Name: name, Geometry: mp}
	p.after[id] = g
	return g
}

// codeFree reports whether code may be given to a new grid: in the
// community, held by no grid, never used before and not yet taken here.
func (p *planner) codeFree(code geo.GridCode) bool {
	if code.Community() != p.comm.Code || p.taken[code] || p.hist.Used(code) {
		return false
	}
	_, held := p.s.Grid(code)
	return !held
}

// allocCode returns the community's next free code: one above the highest
// sequence ever used, or the lowest never used once 999 is reached.
func (p *planner) allocCode() (geo.GridCode, bool) {
	seq := p.hist.MaxSeq(p.comm.Code)
	for _, g := range p.s.GridsOf(p.comm.Code) {
		seq = max(seq, g.Code.Seq())
	}
	for c := range p.taken {
		if c.Community() == p.comm.Code {
			seq = max(seq, c.Seq())
		}
	}
	try := func(s int) (geo.GridCode, bool) {
		c, err := geo.NewGridCode(p.comm.Code, s)
		return c, err == nil && p.codeFree(c)
	}
	if c, ok := try(seq + 1); ok {
		return c, true
	}
	for s := 1; s <= 999; s++ {
		if c, ok := try(s); ok {
			return c, true
		}
	}
	p.probs.add(CodeCodesExhausted, nil, nil, "community %s has no unused grid code left", p.comm.Code)
	return 0, false
}
