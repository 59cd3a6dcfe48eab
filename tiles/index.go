package tiles

import (
	"cmp"
	"slices"
)

// nodeSize is the fan-out of a packedIndex.
const nodeSize = 16

// A packedIndex is a static, packed R-tree over the features of one layer
// (in the manner of flatbush): items sorted along a Hilbert curve, grouped
// nodeSize to a leaf node, leaves grouped nodeSize to a parent, up to one
// root. It is built once, holds flat slices only and is read-only after,
// so concurrent searches need no lock. Its boxes are the exact float64
// world boxes of the features and searches test them inclusively, so a
// search finds exactly the features whose boxes meet the query.
type packedIndex struct {
	order []int32  // feature indices in index order
	items []wbound // item boxes in index order; nil when the items are points
	nodes []wbound // node boxes, level by level from the leaves' parents up
	ends  []int    // the end offset in nodes of each level
}

// buildIndex indexes n items whose boxes box returns; points says every box
// is a point, so that searches test the caller's points rather than stored
// boxes.
func buildIndex(n int, box func(i int) wbound, points bool) packedIndex {
	var ix packedIndex
	if n == 0 {
		return ix
	}
	all := emptyBound()
	for i := range n {
		b := box(i)
		all.extend(b.min)
		all.extend(b.max)
	}
	keys := make([]uint32, n)
	ix.order = make([]int32, n)
	for i := range n {
		b := box(i)
		keys[i] = hilbertKey(all, wpt{(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2})
		ix.order[i] = int32(i)
	}
	slices.SortFunc(ix.order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(keys[a], keys[b]), cmp.Compare(a, b))
	})
	level := make([]wbound, n)
	for p, i := range ix.order {
		level[p] = box(int(i))
	}
	if !points {
		ix.items = level
	}
	for len(level) > 1 || len(ix.ends) == 0 {
		start := len(ix.nodes)
		for s := 0; s < len(level); s += nodeSize {
			b := emptyBound()
			for _, c := range level[s:min(s+nodeSize, len(level))] {
				b.extend(c.min)
				b.extend(c.max)
			}
			ix.nodes = append(ix.nodes, b)
		}
		ix.ends = append(ix.ends, len(ix.nodes))
		level = ix.nodes[start:]
	}
	ix.nodes = slices.Clip(ix.nodes)
	return ix
}

// meets reports whether two boxes meet (edges included).
func (b wbound) meets(q wbound) bool {
	return !(q.min[0] > b.max[0] || q.max[0] < b.min[0] || q.min[1] > b.max[1] || q.max[1] < b.min[1])
}

// search appends to buf the feature indices of the items whose boxes meet
// q, in no particular order; pts holds the items of a point index, by
// feature index. stack is scratch space, returned for reuse.
func (ix *packedIndex) search(q wbound, pts []wpt, buf []int32, stack []int32) ([]int32, []int32) {
	if len(ix.ends) == 0 {
		return buf, stack
	}
	top := len(ix.ends) - 1
	// The stack holds the nodes still to visit as level, index pairs.
	stack = append(stack[:0], int32(top), 0)
	for len(stack) > 0 {
		lvl, node := int(stack[len(stack)-2]), int(stack[len(stack)-1])
		stack = stack[:len(stack)-2]
		if !ix.node(lvl, node).meets(q) {
			continue
		}
		first, last := node*nodeSize, (node+1)*nodeSize
		if lvl > 0 {
			last = min(last, ix.levelLen(lvl-1))
			for c := first; c < last; c++ {
				stack = append(stack, int32(lvl-1), int32(c))
			}
			continue
		}
		last = min(last, len(ix.order))
		for p := first; p < last; p++ {
			if ix.itemMeets(p, q, pts) {
				buf = append(buf, ix.order[p])
			}
		}
	}
	return buf, stack
}

// itemMeets reports whether the item at position p meets q.
func (ix *packedIndex) itemMeets(p int, q wbound, pts []wpt) bool {
	if ix.items != nil {
		return ix.items[p].meets(q)
	}
	pt := pts[ix.order[p]]
	return !(q.min[0] > pt[0] || q.max[0] < pt[0] || q.min[1] > pt[1] || q.max[1] < pt[1])
}

// node returns the box of node i of a level.
func (ix *packedIndex) node(lvl, i int) wbound {
	start := 0
	if lvl > 0 {
		start = ix.ends[lvl-1]
	}
	return ix.nodes[start+i]
}

// levelLen returns the number of nodes of a level.
func (ix *packedIndex) levelLen(lvl int) int {
	if lvl == 0 {
		return ix.ends[0]
	}
	return ix.ends[lvl] - ix.ends[lvl-1]
}

// hilbertKey returns the position of p, scaled into the box b on a
// 65536 x 65536 grid, along a Hilbert curve.
func hilbertKey(b wbound, p wpt) uint32 {
	const n = 1 << 16
	cell := func(v, lo, hi float64) uint32 {
		if hi <= lo {
			return 0
		}
		return uint32(min(max((v-lo)/(hi-lo)*(n-1), 0), n-1))
	}
	x, y := cell(p[0], b.min[0], b.max[0]), cell(p[1], b.min[1], b.max[1])
	var d uint32
	for s := uint32(n / 2); s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				x, y = s-1-x, s-1-y
			}
			x, y = y, x
		}
	}
	return d
}
