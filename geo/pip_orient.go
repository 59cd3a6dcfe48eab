package geo

import "math"

// pipCCWErrBound is Shewchuk's error bound for the floating-point
// orientation determinant: if |det| exceeds pipCCWErrBound times the sum of
// the magnitudes of its two products, the sign of the rounded det is exact.
const pipCCWErrBound = (3.0 + 16.0*0x1p-53) * 0x1p-53

// pipOrient returns the exact sign (-1, 0 or +1) of the orientation
// determinant (x2-x1)(py-y1) - (y2-y1)(px-x1): +1 when p lies strictly left
// of the directed line from (x1, y1) to (x2, y2), -1 when strictly right,
// 0 when on it. A fast floating-point filter decides almost every call; the
// rest are decided by exact expansion arithmetic, which is exact for finite
// inputs whose products neither overflow nor underflow (every coordinate
// between 1e-30 and 1e7 in magnitude, or zero). It never allocates.
func pipOrient(x1, y1, x2, y2, px, py float64) int {
	left := (x2 - x1) * (py - y1)
	right := (y2 - y1) * (px - x1)
	det := left - right
	bound := pipCCWErrBound * (math.Abs(left) + math.Abs(right))
	switch {
	case det > bound:
		return 1
	case -det > bound:
		return -1
	}
	return pipOrientExact(x1, y1, x2, y2, px, py)
}

// pipOrientExact computes the sign of the determinant exactly: each
// difference is split into a two-term expansion, each of the eight partial
// products into another, and the sixteen terms are summed into a
// nonoverlapping expansion whose largest nonzero term carries the sign.
func pipOrientExact(x1, y1, x2, y2, px, py float64) int {
	axh, axl := pipTwoDiff(x2, x1)
	byh, byl := pipTwoDiff(py, y1)
	ayh, ayl := pipTwoDiff(y2, y1)
	bxh, bxl := pipTwoDiff(px, x1)
	var t [16]float64
	t[0], t[1] = pipTwoProduct(axh, byh)
	t[2], t[3] = pipTwoProduct(axh, byl)
	t[4], t[5] = pipTwoProduct(axl, byh)
	t[6], t[7] = pipTwoProduct(axl, byl)
	t[8], t[9] = pipTwoProduct(-ayh, bxh)
	t[10], t[11] = pipTwoProduct(-ayh, bxl)
	t[12], t[13] = pipTwoProduct(-ayl, bxh)
	t[14], t[15] = pipTwoProduct(-ayl, bxl)
	return pipExpansionSign(&t)
}

// pipExpansionSign returns the sign of the exact sum of t. It grows a
// nonoverlapping expansion one term at a time (Shewchuk's Grow-Expansion);
// the sign of such an expansion is the sign of its largest nonzero term.
func pipExpansionSign(t *[16]float64) int {
	var h [16]float64
	n := 0
	for _, q := range t {
		if q == 0 {
			continue
		}
		for i := range n {
			q, h[i] = pipTwoSum(q, h[i])
		}
		h[n] = q
		n++
	}
	for i := n - 1; i >= 0; i-- {
		switch {
		case h[i] > 0:
			return 1
		case h[i] < 0:
			return -1
		}
	}
	return 0
}

// pipTwoSum returns s = fl(a+b) and the rounding error e, so a+b = s+e exactly.
func pipTwoSum(a, b float64) (s, e float64) {
	s = a + b
	bv := s - a
	av := s - bv
	return s, (a - av) + (b - bv)
}

// pipTwoDiff returns d = fl(a-b) and the rounding error e, so a-b = d+e exactly.
func pipTwoDiff(a, b float64) (d, e float64) { return pipTwoSum(a, -b) }

// pipTwoProduct returns p = fl(a*b) and the rounding error e, so a*b = p+e
// exactly when the product neither overflows nor underflows.
func pipTwoProduct(a, b float64) (p, e float64) {
	p = a * b
	return p, math.FMA(a, b, -p)
}
