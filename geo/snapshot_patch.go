package geo

import "maps"

// A snapshotPatch is what the snapshots made by NextSnapshot changed in
// the index maps they share with the snapshot the maps were built for:
// every map of the city's grids, communities and counts would otherwise
// be copied whole for each edit. Each NextSnapshot copies the patch
// (in proportion to the edits since the maps were built) and adds its
// edit; once the patch outgrows a thirty-second of the maps, the maps are
// built again with it applied (flatten), so lookups read two maps at
// most and stale entries do not pile up.
type snapshotPatch struct {
	gridsByCode   patchMap[GridCode, *Grid]
	gridsByID     patchMap[GridID, *Grid]
	communityGrid patchMap[DivisionCode, []*Grid]
	gridBuildings patchMap[GridCode, []*Building]
	stats         patchMap[DivisionCode, UnitStats]
}

// A patchMap holds a map's changed keys: a value, or a deletion.
type patchMap[K comparable, V any] map[K]patched[V]

// patched is a changed key's value; ok false is a deletion.
type patched[V any] struct {
	v  V
	ok bool
}

// lookup reads k from base as patched by p (which may be nil).
func lookup[K comparable, V any](base map[K]V, p patchMap[K, V], k K) (V, bool) {
	if e, ok := p[k]; ok {
		return e.v, e.ok
	}
	v, ok := base[k]
	return v, ok
}

// applied returns base with p applied, a new map.
func applied[K comparable, V any](base map[K]V, p patchMap[K, V]) map[K]V {
	out := maps.Clone(base)
	if out == nil {
		out = map[K]V{}
	}
	for k, e := range p {
		if e.ok {
			out[k] = e.v
		} else {
			delete(out, k)
		}
	}
	return out
}

// The patch's maps, nil for a nil patch (reading a nil map is fine).
func (p *snapshotPatch) byCode() patchMap[GridCode, *Grid] {
	if p == nil {
		return nil
	}
	return p.gridsByCode
}

func (p *snapshotPatch) byID() patchMap[GridID, *Grid] {
	if p == nil {
		return nil
	}
	return p.gridsByID
}

func (p *snapshotPatch) communityOf() patchMap[DivisionCode, []*Grid] {
	if p == nil {
		return nil
	}
	return p.communityGrid
}

func (p *snapshotPatch) buildingsOf() patchMap[GridCode, []*Building] {
	if p == nil {
		return nil
	}
	return p.gridBuildings
}

func (p *snapshotPatch) statsOf() patchMap[DivisionCode, UnitStats] {
	if p == nil {
		return nil
	}
	return p.stats
}

// clone returns a copy of p to add to (an empty patch for nil).
func (p *snapshotPatch) clone() *snapshotPatch {
	if p == nil {
		return &snapshotPatch{gridsByCode: patchMap[GridCode, *Grid]{}, gridsByID: patchMap[GridID, *Grid]{},
			communityGrid: patchMap[DivisionCode, []*Grid]{}, gridBuildings: patchMap[GridCode, []*Building]{},
			stats: patchMap[DivisionCode, UnitStats]{}}
	}
	return &snapshotPatch{gridsByCode: maps.Clone(p.gridsByCode), gridsByID: maps.Clone(p.gridsByID),
		communityGrid: maps.Clone(p.communityGrid), gridBuildings: maps.Clone(p.gridBuildings), stats: maps.Clone(p.stats)}
}

// size is the number of changed keys.
func (p *snapshotPatch) size() int {
	return len(p.gridsByCode) + len(p.gridsByID) + len(p.communityGrid) + len(p.gridBuildings) + len(p.stats)
}

// flattenAt is the patch size at which flatten is due for maps of n
// grids.
func flattenAt(n int) int { return max(512, n/32) }

// flatten rebuilds s's maps with its patch applied and drops the patch.
func (s *Snapshot) flatten() {
	p := s.patch
	if p == nil {
		return
	}
	s.gridsByCode = applied(s.gridsByCode, p.gridsByCode)
	s.gridsByID = applied(s.gridsByID, p.gridsByID)
	s.communityGrid = applied(s.communityGrid, p.communityGrid)
	s.gridBuildings = applied(s.gridBuildings, p.gridBuildings)
	s.stats = applied(s.stats, p.stats)
	s.patch = nil
}
