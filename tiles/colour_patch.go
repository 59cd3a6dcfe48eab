package tiles

import "slices"

// A polygon that nextTopology did not cut again keeps its rings, arc for
// arc, and so its neighbours: a polygon that newly borders it, or no
// longer does, would share one of its vertices with a ring the edit
// changed, and that would have had it cut again. Made from the earlier
// version's, the colouring of a layer therefore starts from the earlier
// colours (proper: no two neighbours share one) and runs keepColours with
// only the polygons cut again, or without an earlier colour, as
// candidates: the colouring stableColours gives the whole graph, in time
// proportional to the edit.

// colourDirty marks, by layer and index inside it, the polygons of t
// whose neighbours or earlier colour may differ from the earlier
// version's: those with no earlier feature, cut again, or whose earlier
// colour is another feature's. It returns nil when t was built whole.
func (u *polygonReuse) colourDirty(t *topology, step *arcMatch) *[numLayers][]bool {
	if u == nil || step == nil {
		return nil
	}
	var dirty [numLayers][]bool
	for i, f := range t.features {
		o := u.feats[i]
		d := o < 0 || u.colourFrom[i] != o || !sameRings(f.polys, u.pt.features[o].polys)
		dirty[f.layer] = append(dirty[f.layer], d)
	}
	return &dirty
}

// sameRings reports whether a and b are the same slice.
func sameRings(a, b []topoPolygon) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// patchColours colours layer li of t (n polygons) as stableColours would
// colour its whole graph with the earlier colours before, knowing that
// only the dirty polygons may have other neighbours or earlier colours
// than in the earlier, properly coloured, version; box gives a topology
// feature's world box. It reports false when a whole colouring is
// needed: some polygon found no free colour, or the result is not
// proper.
func patchColours(t *topology, li, n int, before []int16, dirty []bool, box func(fi int) wbound) ([]uint8, bool) {
	first := slices.IndexFunc(t.features, func(f topoFeature) bool { return f.layer == li })
	if len(dirty) != n || n == 0 || first < 0 || first+n > len(t.features) || t.features[first+n-1].index != int32(n-1) {
		return nil, false
	}
	var cand []int32
	for v, d := range dirty {
		if d || before[v] < 0 || before[v] >= numColours {
			dirty[v] = true
			cand = append(cand, int32(v))
		}
	}
	users := localUsers(t, first, n, cand, box)
	adj := make(map[int32][]int32, len(cand))
	var buf []int32
	for _, v := range cand {
		buf = featureNeighbours(t, first+int(v), func(a int32) []int32 { return users[a] }, buf[:0])
		adj[v] = slices.Clone(buf)
	}
	nb := func(v int32) []int32 { return adj[v] }
	colours, ok := keepColours(n, nb, before, cand, dirty)
	if !ok {
		return nil, false
	}
	for _, v := range cand {
		for _, w := range adj[v] {
			if colours[v] == colours[w] {
				return nil, false
			}
		}
	}
	return colours, true
}

// localUsers lists, for the arcs of the features of a layer (n features
// from topology feature first on) whose boxes meet a candidate's (cand,
// indices inside the layer), those features, as topology.users does. Two
// features sharing an arc have boxes that meet, so every neighbour of a
// candidate is listed.
func localUsers(t *topology, first, n int, cand []int32, box func(fi int) wbound) map[int32][]int32 {
	boxes := make([]wbound, len(cand))
	all := emptyBound()
	for k, v := range cand {
		boxes[k] = box(first + int(v))
		all.extend(boxes[k].min)
		all.extend(boxes[k].max)
	}
	users := map[int32][]int32{}
	for fi := first; fi < first+n; fi++ {
		b := box(fi)
		if !b.meets(all) || !slices.ContainsFunc(boxes, b.meets) {
			continue
		}
		t.walkArcs(int32(fi), func(a int32) {
			if us := users[a]; len(us) == 0 || us[len(us)-1] != int32(fi) {
				users[a] = append(us, int32(fi))
			}
		})
	}
	return users
}

// featureNeighbours appends to buf, sorted and without repeats, the
// indices inside their layer of the features of fi's layer whose rings
// share an arc with fi's, as adjacency lists them; users gives the
// features using an arc.
func featureNeighbours(t *topology, fi int, users func(a int32) []int32, buf []int32) []int32 {
	f := t.features[fi]
	t.walkArcs(int32(fi), func(a int32) {
		for _, u := range users(a) {
			if g := t.features[u]; g.layer == f.layer && g.index != f.index {
				buf = append(buf, g.index)
			}
		}
	})
	slices.Sort(buf)
	return slices.Compact(buf)
}
