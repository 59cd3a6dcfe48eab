package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/valyala/bytebufferpool"
)

// maxStaleChanges caps the changesets a 409 lists.
const maxStaleChanges = 100

// handlePreview answers POST /v1/edits/preview: the edit's validation
// result and impact on the current version, computed but not committed.
// An invalid edit is a successful preview (200, "valid":false). If-Match
// is optional; when given it must be the current version.
func (s *Server) handlePreview(c *fiber.Ctx) error {
	if _, err := s.requireStore(); err != nil {
		return err
	}
	tok, err := s.authorize(c, access.RolePlanner)
	if err != nil {
		return err
	}
	base, hasBase, err := parseIfMatch(c, false)
	if err != nil {
		return err
	}
	op, err := s.readOp(c)
	if err != nil {
		return err
	}
	if err := checkScope(tok, op.CommunityCode()); err != nil {
		return err
	}
	ctx := c.UserContext()
	v, hist, err := s.previewBase(ctx)
	if err != nil {
		return err
	}
	if hasBase && base != v.snap.Version {
		return s.stale(ctx, base, v.snap.Version)
	}
	var res *edit.Result
	err = s.validate(ctx, func(ctx context.Context) error {
		res, err = edit.ApplyContext(ctx, v.snap, op, edit.Options{History: hist, PreviewOnly: true})
		return err
	})
	if err != nil {
		return err
	}
	if err := checkScope(tok, res.Community); err != nil {
		return err
	}
	doc, err := res.MarshalJSON()
	if err != nil {
		return fmt.Errorf("encoding the preview: %w", err)
	}
	b := strconv.AppendUint([]byte(`{"base":`), v.snap.Version, 10)
	b = append(append(b, ','), doc[1:]...)
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// handleCommit answers POST /v1/edits: it validates the edit on the
// version If-Match names, commits it durably as a changeset authored by
// the token's name, and serves the new version at once.
func (s *Server) handleCommit(c *fiber.Ctx) error {
	if _, err := s.requireStore(); err != nil {
		return err
	}
	tok, err := s.authorize(c, access.RolePlanner)
	if err != nil {
		return err
	}
	base, _, err := parseIfMatch(c, true)
	if err != nil {
		return err
	}
	op, err := s.readOp(c)
	if err != nil {
		return err
	}
	cs, res, err := s.commitOp(c.UserContext(), tok, base, op)
	if err != nil {
		return err
	}
	return writeCommitted(c, cs, res.Warnings)
}

// commitOp validates op on version base and commits it as tok's: the one
// path every edit route (/v1/edits, the OGC API's Part 4) goes through.
func (s *Server) commitOp(ctx context.Context, tok access.Token, base uint64, op edit.Op) (*store.Changeset, *edit.Result, error) {
	if strings.TrimSpace(op.Reason) == "" {
		return nil, nil, &FieldError{Field: "reason", Reason: "is required: say why the grids change"}
	}
	if err := checkScope(tok, op.CommunityCode()); err != nil {
		return nil, nil, err
	}
	var res *edit.Result
	cs, err := s.commit(ctx, base, func(ctx context.Context, v *view, hist *edit.CodeHistory) (*store.Changeset, *geo.City, error) {
		var err error
		res, err = s.planEdit(ctx, tok, v, hist, op)
		if err != nil {
			return nil, nil, err
		}
		cs, err := store.NewChangeset(v.snap.Version, tok.Name, op.Reason, op, res)
		return cs, res.Next, err
	})
	return cs, res, err
}

// planEdit applies op on v and checks that the token may make it and that
// it is valid.
func (s *Server) planEdit(ctx context.Context, tok access.Token, v *view, hist *edit.CodeHistory, op edit.Op) (*edit.Result, error) {
	res, err := edit.ApplyContext(ctx, v.snap, op, edit.Options{History: hist})
	if err != nil {
		return nil, err
	}
	if err := checkScope(tok, res.Community); err != nil {
		return nil, err
	}
	if !res.Valid {
		return nil, &invalidEditError{res: res}
	}
	return res, nil
}

// A planFunc computes a change on view v (whose code history is hist):
// the changeset to commit and the city it makes. It passes ctx to
// edit.ApplyContext, so that its validation keeps to Config.EditBudget.
type planFunc func(ctx context.Context, v *view, hist *edit.CodeHistory) (*store.Changeset, *geo.City, error)

// commit runs plan on the current version, which must be base, appends its
// changeset to the store (durably, before it returns) with the city it
// makes, which the store keeps as its state (AppendNext: the edit is not
// applied a second time), and serves that city as the changeset's
// version. plan runs before the commit lock is
// taken (through validate: bounded in number and time), so one large edit
// never holds up the others; under the lock the base is checked again,
// and a version committed meanwhile makes it stale. A stale base gives a
// staleBaseError listing the changesets since. When Append fails nothing
// is served.
func (s *Server) commit(ctx context.Context, base uint64, plan planFunc) (*store.Changeset, error) {
	v, hist, err := s.previewBase(ctx)
	if err != nil {
		return nil, err
	}
	if base != v.snap.Version {
		return nil, s.stale(ctx, base, v.snap.Version)
	}
	var cs *store.Changeset
	var next *geo.City
	err = s.validate(ctx, func(ctx context.Context) error {
		cs, next, err = plan(ctx, v, hist)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.editor.commitMu.Lock()
	defer s.editor.commitMu.Unlock()
	cur, _, err := s.editBase(ctx)
	if err != nil {
		return nil, err
	}
	if cur.snap.Version != base {
		return nil, s.stale(ctx, base, cur.snap.Version)
	}
	if err := s.store.AppendNext(ctx, cs, next); err != nil {
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			// Another instance committed: catch up for the next attempt.
			if rerr := s.reloadLocked(ctx); rerr != nil {
				s.log.Error("catching up after a conflict", "err", rerr)
			}
			return nil, s.stale(ctx, ce.Base, ce.Current)
		}
		return nil, fmt.Errorf("committing on version %d: %w", base, err)
	}
	snap, err := geo.NextSnapshot(v.snap, next, cs.Version)
	if err != nil {
		s.log.Error("indexing a committed version; reloading the store", "version", cs.Version, "err", err)
		if rerr := s.reloadLocked(ctx); rerr != nil {
			return nil, fmt.Errorf("serving committed version %d: %w", cs.Version, errors.Join(err, rerr))
		}
		return cs, nil
	}
	s.Swap(snap)
	s.log.Info("committed", "version", cs.Version, "changeset", cs.ID, "author", cs.Author, "kind", cs.Kind, "unit", cs.Unit.String())
	return cs, nil
}

// previewBase returns the current view and its code history without the
// commit lock, catching up first when the store is ahead of the view.
func (s *Server) previewBase(ctx context.Context) (*view, *edit.CodeHistory, error) {
	st, err := s.store.Load(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("loading the store: %w", err)
	}
	if v := s.view.Load(); v != nil && v.snap.Version == st.Version {
		return v, st.History, nil
	}
	s.editor.commitMu.Lock()
	defer s.editor.commitMu.Unlock()
	return s.editBase(ctx)
}

// editBase returns the current view and its code history from the store,
// catching up first when the store is ahead of the view. The caller holds
// the commit lock.
func (s *Server) editBase(ctx context.Context) (*view, *edit.CodeHistory, error) {
	st, err := s.store.Load(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("loading the store: %w", err)
	}
	v := s.view.Load()
	if v == nil || v.snap.Version != st.Version {
		if err := s.reloadLocked(ctx); err != nil {
			return nil, nil, err
		}
		if st, err = s.store.Load(ctx); err != nil {
			return nil, nil, fmt.Errorf("loading the store: %w", err)
		}
		v = s.view.Load()
	}
	if v.snap.Version != st.Version {
		return nil, nil, fmt.Errorf("%w: serving version %d, but the store is at %d", store.ErrConflict, v.snap.Version, st.Version)
	}
	return v, st.History, nil
}

// stale builds the 409 error for a base that is not the current version,
// listing the changesets committed after it.
func (s *Server) stale(ctx context.Context, base, current uint64) error {
	e := &staleBaseError{base: base, current: current}
	if base >= current {
		return e
	}
	css, err := s.store.Changes(ctx, store.Filter{After: base, Limit: maxStaleChanges + 1})
	if err != nil {
		return fmt.Errorf("listing the changes since version %d: %w", base, err)
	}
	if len(css) > maxStaleChanges {
		css, e.more = css[:maxStaleChanges], true
	}
	for _, cs := range css {
		e.changes = append(e.changes, summarize(cs))
	}
	return e
}

// writeCommitted answers 201 with the changeset id and the new version.
func writeCommitted(c *fiber.Ctx, cs *store.Changeset, warnings []edit.Problem) error {
	c.Status(http.StatusCreated)
	c.Set(fiber.HeaderLocation, changeHref(cs.Version))
	return writeJSON(c, struct {
		Changeset string         `json:"changeset"`
		Version   uint64         `json:"version"`
		Base      uint64         `json:"base"`
		Warnings  []edit.Problem `json:"warnings"`
	}{cs.ID, cs.Version, cs.Base, nonNilSlice(warnings)})
}

// readOp reads and decodes the edit in the request body.
func (s *Server) readOp(c *fiber.Ctx) (edit.Op, error) {
	if ct := c.Request().Header.ContentType(); len(ct) > 0 {
		if mt := mediaType(ct); mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			return edit.Op{}, &FieldError{Field: "Content-Type", Status: http.StatusUnsupportedMediaType,
				Reason: "must be application/json"}
		}
	}
	// A fresh buffer, not a pooled one: nothing decoded may alias memory
	// that a later request reuses.
	buf := &bytebufferpool.ByteBuffer{}
	if err := readBody(c, buf, min(s.cfg.BodyLimit, edit.MaxOpBytes)); err != nil {
		return edit.Op{}, err
	}
	return edit.ParseOp(buf.B)
}

// parseIfMatch reads the base version from If-Match: a version number,
// bare or quoted, or an ETag of this server ("v12-..."). A missing header
// is 428 when required.
func parseIfMatch(c *fiber.Ctx, required bool) (uint64, bool, error) {
	h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if h == "" {
		if required {
			return 0, false, &FieldError{Field: "If-Match", Status: http.StatusPreconditionRequired,
				Reason: "is required: the version the change was made on (GET /v1/version)"}
		}
		return 0, false, nil
	}
	t := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	t = strings.TrimPrefix(t, "v")
	if i := strings.IndexByte(t, '-'); i >= 0 {
		t = t[:i]
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		return 0, false, fieldErr(http.StatusBadRequest, "If-Match", "%s is not a version number", quoteClip([]byte(h)))
	}
	return n, true, nil
}
