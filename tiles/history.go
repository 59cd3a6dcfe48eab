package tiles

// history is an arc's refinement rounds: bit r is set when the arc was
// in conflict at round r (see simplifyArcs).
type history uint8

// tolAt returns an arc's tolerance at round r.
func (h history) tolAt(tol float64, r int) float64 {
	for q := 0; q < r && q < maxRefine; q++ {
		if h&(1<<q) != 0 {
			tol /= 4
			if q == maxRefine-1 {
				tol = 0
			}
		}
	}
	return tol
}

// final returns an arc's tolerance after refinement.
func (h history) final(tol float64) float64 {
	t := h.tolAt(tol, maxRefine)
	if h&(1<<maxRefine) != 0 && t != tol {
		return tol
	}
	return t
}

// histories returns each arc's history in a level's rounds.
func histories(n int, rounds [][]arcPair) []history {
	h := make([]history, n)
	for r, ps := range rounds {
		for _, p := range ps {
			h[p.a] |= 1 << r
			h[p.b] |= 1 << r
		}
	}
	return h
}
