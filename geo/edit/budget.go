package edit

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo"
)

// ErrBudget is returned (wrapped, with the context's error) by ApplyContext
// when its context ends before the edit is validated: no result is given,
// so nothing half-validated can be committed.
var ErrBudget = errors.New("edit: validation stopped before it finished")

// pollEvery is how many steps of a long loop pass between two looks at
// the context: often enough to stop within milliseconds, rarely enough to
// cost nothing measurable.
const pollEvery = 1024

// A budgetStop carries the context's error from a loop that saw it ended
// up to ApplyContext, which recovers it. It never leaves the package.
type budgetStop struct{ err error }

// ApplyContext is Apply under ctx: when ctx is cancelled or its deadline
// passes while the edit is computed and validated, it stops at the next
// check (between stages, and every pollEvery steps inside the loops over
// vertices, grids and buildings) and returns an error wrapping ErrBudget
// and ctx.Err(). One geometry operation of the overlay library is not
// interrupted, so it may overrun the deadline by that operation's time.
func ApplyContext(ctx context.Context, s *geo.Snapshot, op Op, opts Options) (res *Result, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("applying %s: %w: %w", op.Kind, ErrBudget, err)
	}
	defer func() {
		if r := recover(); r != nil {
			stop, ok := r.(budgetStop)
			if !ok {
				panic(r)
			}
			res, err = nil, fmt.Errorf("applying %s: %w: %w", op.Kind, ErrBudget, stop.err)
		}
	}()
	return apply(ctx, s, op, opts)
}

// checkpoint stops the planner when its context has ended.
func (p *planner) checkpoint() {
	if err := p.ctx.Err(); err != nil {
		panic(budgetStop{err})
	}
}

// poll is checkpoint for the inside of long loops: it looks at the context
// once every pollEvery calls.
func (p *planner) poll() {
	p.polls++
	if p.polls%pollEvery == 0 {
		p.checkpoint()
	}
}
