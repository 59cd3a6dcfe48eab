package edit

import (
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// benchCommit applies op and builds the next snapshot, as a commit does.
func benchCommit(b *testing.B, s *geo.Snapshot, op Op) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		res, err := Apply(s, op, Options{})
		if err != nil || !res.Valid {
			b.Fatalf("Apply: %v %v", err, res.Errors)
		}
		if _, err := geo.NewSnapshot(res.Next, s.Version+1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedrawGrid validates, previews and commits (to a new snapshot)
// one grid re-drawn at city scale. Target: at most 50 ms.
func BenchmarkRedrawGrid(b *testing.B) {
	s := testSnapshot(b)
	u := testCommunity(b, s, 8)
	a, n := neighbourPair(b, s, u.Code)
	benchCommit(b, s, Op{Kind: KindReplace, Grid: a.Code, Geometry: mustUnion(b, a.Geometry, square(midpoint(sharedChain(b, a, n)), 25))})
}

// BenchmarkSplitGrid commits a split.
func BenchmarkSplitGrid(b *testing.B) {
	s := testSnapshot(b)
	g := largestGrid(s, testCommunity(b, s, 8).Code)
	benchCommit(b, s, Op{Kind: KindSplit, Grid: g.Code, Line: lineAcross(b, g, 0)})
}

// BenchmarkReplaceLayout commits a re-uploaded community layout with two
// grids merged.
func BenchmarkReplaceLayout(b *testing.B) {
	s := testSnapshot(b)
	u := testCommunity(b, s, 8)
	a, n := neighbourPair(b, s, u.Code)
	layout := withGeometry(withGeometry(layoutOf(b, s, u.Code), n.Code, nil), a.Code, mustUnion(b, a.Geometry, n.Geometry))
	benchCommit(b, s, Op{Kind: KindReplaceLayout, Community: u.Code, Layout: layout})
}

// BenchmarkRecodeCommunity re-codes the largest community and builds the
// next snapshot. Target: at most 100 ms.
func BenchmarkRecodeCommunity(b *testing.B) {
	s := testSnapshot(b)
	var comm geo.DivisionCode
	for _, u := range s.City.Units {
		if u.Level() == geo.LevelCommunity && len(s.GridsOf(u.Code)) > len(s.GridsOf(comm)) {
			comm = u.Code
		}
	}
	hist := NewCodeHistory(s.City, time.Time{})
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		rr, err := Recode(s, comm, at, hist)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := geo.NewSnapshot(rr.Next, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeOp decodes a split operation.
func BenchmarkDecodeOp(b *testing.B) {
	data := []byte(sampleOps()["replace_layout"])
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseOp(data); err != nil {
			b.Fatal(err)
		}
	}
}
