package tiles

// A seg is one segment of a simplified arc in level coordinates.
type seg struct {
	x1, y1, x2, y2 int32
	arc            int32
}

func (s seg) box() (lo, hi [2]int32) {
	return [2]int32{min(s.x1, s.x2), min(s.y1, s.y2)}, [2]int32{max(s.x1, s.x2), max(s.y1, s.y2)}
}

// orient returns the sign of the cross product (b-a) x (c-a).
func orient(ax, ay, bx, by, cx, cy int32) int {
	v := (int64(bx)-int64(ax))*(int64(cy)-int64(ay)) - (int64(by)-int64(ay))*(int64(cx)-int64(ax))
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSeg reports whether c, collinear with a-b, lies within the segment's box.
func onSeg(ax, ay, bx, by, cx, cy int32) bool {
	return min(ax, bx) <= cx && cx <= max(ax, bx) && min(ay, by) <= cy && cy <= max(ay, by)
}

// segsConflict reports whether two segments meet anywhere other than at one
// endpoint they share.
func segsConflict(a, b seg) bool {
	sharedA1 := (a.x1 == b.x1 && a.y1 == b.y1) || (a.x1 == b.x2 && a.y1 == b.y2)
	sharedA2 := (a.x2 == b.x1 && a.y2 == b.y1) || (a.x2 == b.x2 && a.y2 == b.y2)
	if sharedA1 && sharedA2 {
		return true // the same segment twice
	}
	o1 := orient(a.x1, a.y1, a.x2, a.y2, b.x1, b.y1)
	o2 := orient(a.x1, a.y1, a.x2, a.y2, b.x2, b.y2)
	o3 := orient(b.x1, b.y1, b.x2, b.y2, a.x1, a.y1)
	o4 := orient(b.x1, b.y1, b.x2, b.y2, a.x2, a.y2)
	if sharedA1 || sharedA2 {
		// Touching at a shared endpoint is fine unless they run on
		// together (collinear and overlapping).
		if o1 != 0 || o2 != 0 {
			return false
		}
		return onSegStrict(a, b) || onSegStrict(b, a)
	}
	if o1 != o2 && o3 != o4 && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
		return true
	}
	return (o1 == 0 && onSeg(a.x1, a.y1, a.x2, a.y2, b.x1, b.y1)) ||
		(o2 == 0 && onSeg(a.x1, a.y1, a.x2, a.y2, b.x2, b.y2)) ||
		(o3 == 0 && onSeg(b.x1, b.y1, b.x2, b.y2, a.x1, a.y1)) ||
		(o4 == 0 && onSeg(b.x1, b.y1, b.x2, b.y2, a.x2, a.y2))
}

// onSegStrict reports whether an endpoint of b that is not shared with a
// lies on a (b collinear with a).
func onSegStrict(a, b seg) bool {
	for _, p := range [2][2]int32{{b.x1, b.y1}, {b.x2, b.y2}} {
		if (p[0] == a.x1 && p[1] == a.y1) || (p[0] == a.x2 && p[1] == a.y2) {
			continue
		}
		if onSeg(a.x1, a.y1, a.x2, a.y2, p[0], p[1]) {
			return true
		}
	}
	return false
}

// ringsMeet reports whether ring r crosses or touches any of the rings
// kept so far (other than at a shared vertex).
func ringsMeet(kept []lvRing, r lvRing) bool {
	rb := ringBox(r.chunks)
	var redges []seg
	for _, k := range kept {
		kb := ringBox(k.chunks)
		if rb.maxX < kb.minX || rb.minX > kb.maxX || rb.maxY < kb.minY || rb.minY > kb.maxY {
			continue
		}
		if redges == nil {
			redges = ringEdges(r.pts)
		}
		for _, a := range ringEdges(k.pts) {
			for _, b := range redges {
				if segsConflict(a, b) {
					return true
				}
			}
		}
	}
	return false
}

// ringBox returns the box of a ring from its chunk boxes.
func ringBox(chunks []ibox) ibox {
	b := chunks[0]
	for _, c := range chunks[1:] {
		b.minX, b.minY = min(b.minX, c.minX), min(b.minY, c.minY)
		b.maxX, b.maxY = max(b.maxX, c.maxX), max(b.maxY, c.maxY)
	}
	return b
}

// ringEdges returns the edges of an open ring.
func ringEdges(pts []int32) []seg {
	n := len(pts)
	out := make([]seg, 0, n/2)
	for i := 0; i < n; i += 2 {
		j := (i + 2) % n
		out = append(out, seg{pts[i], pts[i+1], pts[j], pts[j+1], 0})
	}
	return out
}
