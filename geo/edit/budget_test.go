package edit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// countdownCtx is a context whose deadline passes after its Err has been
// asked n times: a deterministic stand-in for a clock, so a test can stop
// the planner at every check in turn.
type countdownCtx struct {
	context.Context
	n, calls int
}

// Err reports DeadlineExceeded from the n+1th call on.
func (c *countdownCtx) Err() error {
	c.calls++
	if c.calls > c.n {
		return context.DeadlineExceeded
	}
	return nil
}

// denseRing returns r with n points spread evenly along each edge: the
// same shape with many more vertices, as a careless export makes.
func denseRing(r orb.Ring, n int) orb.Ring {
	per := max(1, n/(len(r)-1))
	var out orb.Ring
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		for k := range per {
			f := float64(k) / float64(per)
			out = append(out, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])})
		}
	}
	return append(out, out[0])
}

// denseReplace returns a replace of a grid by its own shape carrying about
// n vertices.
func denseReplace(t testing.TB, n int) Op {
	t.Helper()
	s := testSnapshot(t)
	g := largestGrid(s, testCommunity(t, s, 8).Code)
	var mp orb.MultiPolygon
	for _, poly := range g.Geometry {
		var np orb.Polygon
		for _, r := range poly {
			np = append(np, denseRing(r, n/len(g.Geometry)/len(poly)))
		}
		mp = append(mp, np)
	}
	return Op{Kind: KindReplace, Grid: g.Code, Geometry: mp}
}

// TestApplyContextStops stops a dense replace at the planner's first
// checks and at checks spread over the rest of its work: every stop is ErrBudget wrapping the context's error
// with no result, and a context that never ends gives Apply's result.
func TestApplyContextStops(t *testing.T) {
	s := testSnapshot(t)
	op := denseReplace(t, 4_000)
	want, err := Apply(s, op, Options{})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	never := &countdownCtx{Context: context.Background(), n: 1 << 30}
	got, err := ApplyContext(never, s, op, Options{})
	if err != nil || got.Valid != want.Valid || len(got.Changes) != len(want.Changes) || len(got.Errors) != len(want.Errors) {
		t.Fatalf("ApplyContext without a deadline = %v, %v; want Apply's valid=%v with %d changes", got, err, want.Valid, len(want.Changes))
	}
	checks := never.calls
	if checks < 8 {
		t.Fatalf("the planner looked at its context %d times on a 4,000-vertex replace, want at least 8 (between stages and inside loops)", checks)
	}
	stops := []int{0, 1, 2, 3, 4, 5}
	for k := 1; k < 8; k++ {
		stops = append(stops, checks*k/8)
	}
	for _, n := range append(stops, checks-1) {
		ctx := &countdownCtx{Context: context.Background(), n: n}
		res, err := ApplyContext(ctx, s, op, Options{})
		if res != nil || !errors.Is(err, ErrBudget) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("stopped at check %d of %d: ApplyContext = %v, %v; want no result and ErrBudget wrapping DeadlineExceeded", n, checks, res, err)
		}
	}
}

// TestApplyContextDeadline gives a dense replace a deadline that has
// already passed and one that passes while it runs.
func TestApplyContextDeadline(t *testing.T) {
	s := testSnapshot(t)
	op := denseReplace(t, 50_000)
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel()
	if res, err := ApplyContext(ctx, s, op, Options{}); res != nil || !errors.Is(err, ErrBudget) {
		t.Errorf("ApplyContext past its deadline = %v, %v; want ErrBudget", res, err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := ApplyContext(ctx, s, op, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ApplyContext cancelled = %v; want context.Canceled wrapped", err)
	}
}

// BenchmarkDenseReplace validates a replace of a grid by its own shape
// with 200,000 vertices (MaxOpVertices): the work one planner's
// oversized upload costs.
func BenchmarkDenseReplace(b *testing.B) {
	s := testSnapshot(b)
	op := denseReplace(b, MaxOpVertices)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Apply(s, op, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
