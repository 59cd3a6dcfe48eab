package geo

import "math"

// The states of a raster cell of a locGrid, two bits each.
const (
	locCellOut  = 0 // no point of the cell is in the grid or near its boundary
	locCellIn   = 1 // every point of the cell is in the grid
	locCellEdge = 2 // some edge's grown box touches the cell: test the row's edges
)

// locCellTarget is the raster size aimed for, in cells per edge of the grid,
// clamped to [locMinCells, locMaxCells] cells.
const (
	locCellTarget = 6
	locMinCells   = 64
	locMaxCells   = 4096
	locMaxSide    = 256
)

// A locGrid is the point-in-grid index of one grid: a raster over the
// grid's domain (the union of its edges' boxes grown by BoundaryEpsilon)
// whose cells are known to be inside, outside, or crossed by an edge box,
// and for every raster row the edges whose grown box reaches the row.
//
// Why it agrees exactly with GridContains: col and row are monotone in x
// and y (a subtraction, a multiplication by a positive constant, a
// truncation and a clamp), so a point on or near an edge maps to a cell
// inside the cell range of that edge's grown box. A cell no edge box
// reaches therefore holds no boundary point, the exact point-in-polygon
// status is constant on it, and the half-open crossing test (with its exact
// orientation sign) gives that status at every point that is not on the
// boundary; the cell's state is that status, read off a scan line through
// the cell's row (see fillRowCells). In an edge cell the query runs the
// very test of GridContains over the row's edges, a superset of the edges
// whose y-range holds the point.
type locGrid struct {
	grid           *Grid
	seq            int32   // order given, for grids with equal IDs
	x0, y0, x1, y1 float64 // the domain
	sx, sy         float64 // cells per degree in x and y (0 when the domain is flat)
	nx, ny         int
	cells          []byte   // 2 bits per cell, cell k = j*nx + i
	rowStart       []int32  // row j's edges are edges[rowEdges[rowStart[j]:rowStart[j+1]]]
	rowEdges       []uint32 // indexes into edges
	edges          []pipEdge
}

// newLocGrid indexes g. It returns false for a grid with no usable edge.
func newLocGrid(g *Grid) (locGrid, bool) {
	if !pipUsable(g) {
		return locGrid{}, false
	}
	n := 0
	pipEdges(g, func(pipEdge) bool { n++; return true })
	edges := make([]pipEdge, 0, n)
	pipEdges(g, func(e pipEdge) bool {
		edges = append(edges, e)
		return true
	})
	if len(edges) == 0 {
		return locGrid{}, false
	}
	lg := locGrid{grid: g, edges: edges}
	lg.setDomain()
	lg.fillRows()
	lg.fillCells()
	return lg, true
}

// setDomain computes the domain and chooses the raster size: about
// locCellTarget cells per edge, shaped like the domain.
func (lg *locGrid) setDomain() {
	lg.x0, lg.y0 = math.Inf(1), math.Inf(1)
	lg.x1, lg.y1 = math.Inf(-1), math.Inf(-1)
	for i := range lg.edges {
		x0, y0, x1, y1 := lg.edges[i].box()
		lg.x0, lg.y0 = math.Min(lg.x0, x0), math.Min(lg.y0, y0)
		lg.x1, lg.y1 = math.Max(lg.x1, x1), math.Max(lg.y1, y1)
	}
	w, h := lg.x1-lg.x0, lg.y1-lg.y0
	total := float64(min(max(locCellTarget*len(lg.edges), locMinCells), locMaxCells))
	lg.nx, lg.ny = 1, 1
	if w > 0 && h > 0 {
		lg.nx = min(max(int(math.Round(math.Sqrt(total*w/h))), 1), locMaxSide)
		lg.ny = min(max(int(math.Round(total/float64(lg.nx))), 1), locMaxSide)
	}
	if w > 0 {
		lg.sx = float64(lg.nx) / w
	}
	if h > 0 {
		lg.sy = float64(lg.ny) / h
	}
}

// col returns the raster column of x. It is monotone in x.
func (lg *locGrid) col(x float64) int {
	return min(max(int((x-lg.x0)*lg.sx), 0), lg.nx-1)
}

// row returns the raster row of y. It is monotone in y.
func (lg *locGrid) row(y float64) int {
	return min(max(int((y-lg.y0)*lg.sy), 0), lg.ny-1)
}

// fillRows lists, for every row, the edges whose grown box reaches it.
func (lg *locGrid) fillRows() {
	lg.rowStart = make([]int32, lg.ny+1)
	for i := range lg.edges {
		_, y0, _, y1 := lg.edges[i].box()
		for j := lg.row(y0); j <= lg.row(y1); j++ {
			lg.rowStart[j+1]++
		}
	}
	for j := range lg.ny {
		lg.rowStart[j+1] += lg.rowStart[j]
	}
	lg.rowEdges = make([]uint32, lg.rowStart[lg.ny])
	next := make([]int32, lg.ny)
	copy(next, lg.rowStart[:lg.ny])
	for i := range lg.edges {
		_, y0, _, y1 := lg.edges[i].box()
		for j := lg.row(y0); j <= lg.row(y1); j++ {
			lg.rowEdges[next[j]] = uint32(i)
			next[j]++
		}
	}
}

// fillCells marks the cells every edge box reaches as edge cells, then sets
// the other cells of each row from a scan line through the row.
func (lg *locGrid) fillCells() {
	lg.cells = make([]byte, (lg.nx*lg.ny+3)/4)
	for i := range lg.edges {
		x0, y0, x1, y1 := lg.edges[i].box()
		c0, c1 := lg.col(x0), lg.col(x1)
		for j := lg.row(y0); j <= lg.row(y1); j++ {
			for c := c0; c <= c1; c++ {
				lg.setCell(j*lg.nx+c, locCellEdge)
			}
		}
	}
	east := make([]int, lg.nx)
	for j := range lg.ny {
		lg.fillRowCells(j, east)
	}
}

// fillRowCells sets the states of row j's cells that no edge box reaches.
// At the scan line y = yc of the row, an edge crossing the line counts for
// such a cell iff its box starts east of the cell (it cannot reach the
// cell, so it lies wholly east or wholly west), which is what crosses
// decides at any point of the cell. A row whose midpoint falls in another
// row (cells narrower than the float spacing) becomes edge cells.
func (lg *locGrid) fillRowCells(j int, east []int) {
	yc := lg.y0 + (float64(j)+0.5)/lg.sy
	if lg.sy == 0 {
		yc = lg.y0
	}
	if lg.row(yc) != j {
		for c := range lg.nx {
			lg.setCell(j*lg.nx+c, locCellEdge)
		}
		return
	}
	clear(east)
	for _, i := range lg.rowEdges[lg.rowStart[j]:lg.rowStart[j+1]] {
		if e := &lg.edges[i]; (e.y1 > yc) != (e.y2 > yc) {
			x0, _, _, _ := e.box()
			east[lg.col(x0)]++
		}
	}
	n := 0 // edges crossing the scan line whose box starts east of cell c
	for c := lg.nx - 1; c >= 0; c-- {
		k := j*lg.nx + c
		if lg.cell(k) != locCellEdge && n%2 == 1 {
			lg.setCell(k, locCellIn)
		}
		n += east[c]
	}
}

func (lg *locGrid) cell(k int) byte { return lg.cells[k>>2] >> (uint(k&3) * 2) & 3 }

func (lg *locGrid) setCell(k int, s byte) {
	shift := uint(k&3) * 2
	lg.cells[k>>2] = lg.cells[k>>2]&^(3<<shift) | s<<shift
}

// inDomain reports whether p lies in the domain; false for NaN.
func (lg *locGrid) inDomain(px, py float64) bool {
	return px >= lg.x0 && px <= lg.x1 && py >= lg.y0 && py <= lg.y1
}

// contains returns GridContains(lg.grid, p) and whether p fell in an edge
// cell (only there can p be near the boundary).
func (lg *locGrid) contains(px, py float64) (in, edgeCell bool) {
	if !lg.inDomain(px, py) {
		return false, false
	}
	j := lg.row(py)
	switch lg.cell(j*lg.nx + lg.col(px)) {
	case locCellIn:
		return true, false
	case locCellOut:
		return false, false
	}
	for _, i := range lg.rowEdges[lg.rowStart[j]:lg.rowStart[j+1]] {
		if lg.edges[i].crosses(px, py) {
			in = !in
		}
	}
	return in, true
}

// touches returns gridTouches(lg.grid, p) for a point in an edge cell.
func (lg *locGrid) touches(px, py float64) bool {
	if !lg.inDomain(px, py) {
		return false
	}
	j := lg.row(py)
	for _, i := range lg.rowEdges[lg.rowStart[j]:lg.rowStart[j+1]] {
		if lg.edges[i].near(px, py) {
			return true
		}
	}
	return false
}
