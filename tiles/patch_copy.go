package tiles

// A copyRun is a run of consecutive features of a level being patched
// whose polygons are copied from the same consecutive features of the
// earlier level: copied with one append per slab, their offsets shifted.
type copyRun struct {
	fi, fo, n int // the first feature now and earlier, and how many
}

// add adds feature fi, copied from the earlier feature fo, to the run,
// flushing the run first when fi does not continue it.
func (c *copyRun) add(lv, prev *level, fi int, fo int32) {
	if c.n > 0 && (fi != c.fi+c.n || int(fo) != c.fo+c.n) {
		c.flush(lv, prev)
	}
	if c.n == 0 {
		c.fi, c.fo = fi, int(fo)
	}
	c.n++
}

// flush appends the run's polygons to lv and sets its features' ends.
func (c *copyRun) flush(lv, prev *level) {
	if c.n == 0 {
		return
	}
	plo, _ := prev.polys(int32(c.fo))
	_, phi := prev.polys(int32(c.fo + c.n - 1))
	phi = max(phi, plo)
	var rlo, rhi uint32
	if phi > plo {
		rlo, _ = prev.rings(plo)
		_, rhi = prev.rings(phi - 1)
	}
	var from, to ringEnd
	if rlo > 0 {
		from = prev.ringEnds[rlo-1]
	}
	if rhi > 0 {
		to = prev.ringEnds[rhi-1]
	}
	to.pts, to.chunks = max(to.pts, from.pts), max(to.chunks, from.chunks)
	// Offsets shift by the difference of where the slabs' copies start;
	// uint32 arithmetic wraps, so a negative shift works too.
	dPts, dChunks := uint32(len(lv.pts))-from.pts, uint32(len(lv.chunks))-from.chunks
	dRings := uint32(len(lv.ringEnds)) - rlo
	lv.pts = append(lv.pts, prev.pts[from.pts:to.pts]...)
	lv.chunks = append(lv.chunks, prev.chunks[from.chunks:to.chunks]...)
	for _, e := range prev.ringEnds[rlo:rhi] {
		lv.ringEnds = append(lv.ringEnds, ringEnd{e.pts + dPts, e.chunks + dChunks})
	}
	for _, e := range prev.polyEnds[plo:phi] {
		lv.polyEnds = append(lv.polyEnds, e+dRings)
	}
	start, end := uint32(len(lv.polyEnds))-(phi-plo), plo
	for k := range c.n {
		if fo := c.fo + k; fo < len(prev.featEnds) {
			_, end = prev.polys(int32(fo))
		}
		lv.featEnds[c.fi+k] = start + (end - plo)
	}
	c.n = 0
}

// reserve gives lv's slabs room for as much as the earlier level holds,
// and a sixteenth more, so that patching it rarely grows them (and trim
// rarely copies them again).
func (lv *level) reserve(prev *level) {
	lv.pts = make([]int32, 0, len(prev.pts)+len(prev.pts)/16)
	lv.chunks = make([]ibox, 0, len(prev.chunks)+len(prev.chunks)/16)
	lv.ringEnds = make([]ringEnd, 0, len(prev.ringEnds)+len(prev.ringEnds)/16)
	lv.polyEnds = make([]uint32, 0, len(prev.polyEnds)+len(prev.polyEnds)/16)
}
