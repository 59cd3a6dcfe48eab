package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

// Errors of the editing routes.
var (
	// ErrNoStore is returned by editing and history routes on a server
	// without a store (see WithStore).
	ErrNoStore = errors.New("server: no store: the city is served read-only")
	// ErrNoTokens is returned when a route needs a token but the server
	// has no token registry (see WithTokens).
	ErrNoTokens = errors.New("server: no token registry")
)

// Problem types of the editing routes.
const (
	problemInvalidEdit   = "urn:gridmap:problem:invalid-edit"
	problemStaleBase     = "urn:gridmap:problem:stale-base"
	problemNoStore       = "urn:gridmap:problem:no-store"
	problemConflict      = "urn:gridmap:problem:conflict"
	problemNotRevertible = "urn:gridmap:problem:not-revertible"
)

// An editor holds the editing state of a server.
type editor struct {
	// commitMu serializes commits in this process; the store's base check
	// catches commits of other instances.
	commitMu sync.Mutex
	// validations bounds the edits computed and validated at once
	// (Config.MaxEditValidations), outside commitMu.
	validations semaphore
	// onValidate, when set (by tests), is called as each validation
	// starts, holding its slot, with its budgeted context.
	onValidate func(ctx context.Context)
	// asof caches the views of past versions for as-of lookups.
	asof asOfCache
}

// registerEditing registers the editing, history, re-coding and token
// routes. They answer 503 on a server without a store.
func (s *Server) registerEditing() error {
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodPost, "/v1/edits/preview", s.handlePreview},
		{http.MethodPost, "/v1/edits", s.handleCommit},
		{http.MethodGet, "/v1/changes", s.handleChanges},
		{http.MethodGet, "/v1/changes/:version", s.handleChange},
		{http.MethodPost, "/v1/changes/:version/revert", s.handleRevert},
		{http.MethodGet, "/v1/grids/:code/history", s.handleGridHistory},
		{http.MethodPost, "/v1/units/:code/recode", s.handleRecode},
		{http.MethodGet, "/v1/crosswalk", s.handleCrosswalk},
		{http.MethodGet, "/v1/token", s.handleWhoAmI},
		{http.MethodGet, "/v1/tokens", s.handleTokens},
		{http.MethodPost, "/v1/tokens", s.handleCreateToken},
		{http.MethodDelete, "/v1/tokens/:id", s.handleRevokeToken},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	s.editor.asof.size = asOfCacheSize
	s.editor.validations = make(semaphore, s.cfg.MaxEditValidations)
	return nil
}

// Reload serves the store's latest state: it loads it, indexes it as a
// snapshot of the store's version and swaps it in. It is how a server
// started with WithStore and a nil snapshot gets its first, and how it
// catches up when another instance committed.
func (s *Server) Reload(ctx context.Context) error {
	if s.store == nil {
		return ErrNoStore
	}
	s.editor.commitMu.Lock()
	defer s.editor.commitMu.Unlock()
	return s.reloadLocked(ctx)
}

// reloadLocked is Reload for a caller holding the commit lock, so that no
// commit can swap in a newer version meanwhile.
func (s *Server) reloadLocked(ctx context.Context) error {
	st, err := s.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("loading the store: %w", err)
	}
	if v := s.view.Load(); v != nil && v.snap.Version == st.Version {
		return nil
	}
	snap, err := geo.NewSnapshot(st.City, st.Version)
	if err != nil {
		return fmt.Errorf("indexing version %d: %w", st.Version, err)
	}
	s.Swap(snap)
	return nil
}

// requireStore returns the store, or ErrNoStore.
func (s *Server) requireStore() (store.Store, error) {
	if s.store == nil {
		return nil, ErrNoStore
	}
	return s.store, nil
}

// An invalidEditError carries an edit that failed validation: the
// preview document, written into the 422 problem.
type invalidEditError struct {
	res *edit.Result
}

// Error names the first problem.
func (e *invalidEditError) Error() string {
	if len(e.res.Errors) == 0 {
		return "the edit is not valid"
	}
	return "the edit is not valid: " + e.res.Errors[0].String()
}

// A staleBaseError says that If-Match names a version that is no longer
// the current one; changes lists what was committed since.
type staleBaseError struct {
	base, current uint64
	changes       []changeSummary
	more          bool
}

// Error describes the conflict.
func (e *staleBaseError) Error() string {
	return fmt.Sprintf("If-Match names version %d but the current version is %d: %d changeset(s) were committed since",
		e.base, e.current, e.current-min(e.base, e.current))
}

// editStatus returns the HTTP status of an error of the editing routes,
// or 0 for an error they do not define.
func editStatus(err error) int {
	var ae *AuthError
	var ie *invalidEditError
	var se *staleBaseError
	var be *budgetError
	switch {
	case errors.As(err, &ae):
		return ae.Status
	case errors.As(err, &be):
		return http.StatusServiceUnavailable
	case errors.As(err, &ie):
		return http.StatusUnprocessableEntity
	case errors.As(err, &se), errors.Is(err, store.ErrConflict), errors.Is(err, access.ErrTokenExists):
		return http.StatusConflict
	case errors.Is(err, store.ErrNotRevertible):
		return http.StatusUnprocessableEntity
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, access.ErrTokenSpec), errors.Is(err, edit.ErrBadOp):
		return http.StatusBadRequest
	case errors.Is(err, ErrNoStore), errors.Is(err, ErrNoTokens):
		return http.StatusServiceUnavailable
	}
	return 0
}

// editProblem is the problem document of an error editStatus knows.
func editProblem(err error) problem {
	st := editStatus(err)
	p := problem{typ: problemBadRequest, title: titleOf(st), status: st, detail: err.Error()}
	var ae *AuthError
	var ie *invalidEditError
	var se *staleBaseError
	var fe *edit.FieldError
	var be *budgetError
	switch {
	case errors.As(err, &ae):
		return authProblem(ae)
	case errors.As(err, &be):
		return budgetProblem(be)
	case errors.As(err, &ie):
		p.typ = problemInvalidEdit
		p.extra = spliceMembers(ie.res)
	case errors.As(err, &se):
		p.typ = problemStaleBase
		p.extra = staleMembers(se)
	case errors.Is(err, store.ErrConflict), errors.Is(err, access.ErrTokenExists):
		p.typ = problemConflict
	case errors.Is(err, store.ErrNotRevertible):
		p.typ = problemNotRevertible
	case st == http.StatusNotFound:
		p.typ = problemNotFound
	case errors.As(err, &fe):
		p.typ, p.field = problemInvalidField, fe.Field
		if p.field == "" {
			p.field = "body"
		}
	case st == http.StatusServiceUnavailable:
		p.typ = problemNoStore
	}
	return p
}

// spliceMembers returns the members of r's preview document, each
// preceded by a comma, to extend a problem document with.
func spliceMembers(r *edit.Result) []byte {
	doc, err := r.MarshalJSON()
	if err != nil || len(doc) < 3 {
		return nil
	}
	return append([]byte{','}, doc[1:len(doc)-1]...)
}

// staleMembers returns the base, current and committed members of a 409:
// committed lists the changesets since the base.
func staleMembers(e *staleBaseError) []byte {
	b := []byte(`,"base":`)
	b = strconv.AppendUint(b, e.base, 10)
	b = append(b, `,"current":`...)
	b = strconv.AppendUint(b, e.current, 10)
	b = append(b, `,"committed":`...)
	b = appendJSONValue(b, nonNilSlice(e.changes))
	if e.more {
		b = append(b, `,"more":true`...)
	}
	return b
}
