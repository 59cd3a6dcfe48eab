package tiles

import "slices"

// A chains holds many chains of world points (topology arcs, street lines)
// back to back in one slab, so that a chain costs its points plus four
// bytes rather than a slice of its own.
type chains struct {
	// base, when set, holds the first chains (shared with an earlier
	// topology, see nextTopology); pts and ends hold those after them.
	base *chains
	pts  []wpt
	ends []uint32 // the end offset in pts of every chain
}

// add appends a copy of a chain.
func (c *chains) add(chain []wpt) {
	c.pts = append(c.pts, chain...)
	c.ends = append(c.ends, uint32(len(c.pts)))
}

// len returns the number of chains.
func (c *chains) len() int {
	if c.base != nil {
		return c.base.len() + len(c.ends)
	}
	return len(c.ends)
}

// at returns chain i (shared: do not modify it).
func (c *chains) at(i int) []wpt {
	if c.base != nil {
		if n := c.base.len(); i < n {
			return c.base.at(i)
		} else {
			i -= n
		}
	}
	start := uint32(0)
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.pts[start:c.ends[i]:c.ends[i]]
}

// seal drops the slabs' spare capacity; slabs without any (sealed
// already, perhaps shared with another renderer) are left as they are.
// The copies are clipped: a copy may be given more room than it asked
// for, and sealing it again (a renderer sharing it) must not copy it.
func (c *chains) seal() {
	if cap(c.pts) > len(c.pts) {
		c.pts = slices.Clip(slices.Clone(c.pts))
	}
	if cap(c.ends) > len(c.ends) {
		c.ends = slices.Clip(slices.Clone(c.ends))
	}
}
