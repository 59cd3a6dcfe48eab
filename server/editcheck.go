package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gridmap/gridmap/geo/edit"
)

// problemBudget is the problem type of an edit whose validation ran over
// Config.EditBudget.
const problemBudget = "urn:gridmap:problem:validation-budget"

// A budgetError says that validating an edit took longer than
// Config.EditBudget: nothing was committed.
type budgetError struct {
	budget string
	err    error
}

// Error names the limit.
func (e *budgetError) Error() string {
	return fmt.Sprintf("validating the edit took longer than its budget of %s (EditBudget, --edit-budget); "+
		"nothing was changed: send fewer vertices, or retry when fewer edits are being validated", e.budget)
}

func (e *budgetError) Unwrap() error { return e.err }

// budgetProblem is the 503 problem of a budgetError.
func budgetProblem(e *budgetError) problem {
	return problem{typ: problemBudget, title: titleOf(http.StatusServiceUnavailable), status: http.StatusServiceUnavailable,
		detail: e.Error(), field: "body", retryAfter: 5}
}

// validate runs check, the computing and validating of an edit, outside
// the commit lock: at most Config.MaxEditValidations at once (more get 429
// with Retry-After), each within Config.EditBudget (over it, a 503
// budgetError). check must pass its context to edit.ApplyContext.
func (s *Server) validate(ctx context.Context, check func(ctx context.Context) error) error {
	if !s.editor.validations.tryAcquire() {
		return &LimitError{Status: http.StatusTooManyRequests, RetryAfter: 2,
			Reason: fmt.Sprintf("%d edits are being validated (MaxEditValidations, --max-edit-validations); retry shortly", cap(s.editor.validations))}
	}
	defer s.editor.validations.release()
	bctx, cancel := context.WithTimeout(ctx, s.cfg.EditBudget)
	defer cancel()
	if hook := s.editor.onValidate; hook != nil {
		hook(bctx)
	}
	err := check(bctx)
	if errors.Is(err, edit.ErrBudget) && errors.Is(bctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		return &budgetError{budget: s.cfg.EditBudget.String(), err: err}
	}
	return err
}
