package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/wire"
)

// errNothingToCommit is returned by a plan whose change is empty.
var errNothingToCommit = errors.New("server: nothing to commit")

// handleRecode answers POST /v1/units/{code}/recode: the community's grids
// are renumbered in the standard order (west to east, then north to
// south), never reusing a retired code, committed as one changeset; the
// answer is the crosswalk, as JSON or (Accept: text/csv or format=csv)
// CSV. A community already in order answers 200 with an unchanged
// crosswalk and commits nothing.
func (s *Server) handleRecode(c *fiber.Ctx) error {
	if _, err := s.requireStore(); err != nil {
		return err
	}
	tok, err := s.authorize(c, access.RolePlanner)
	if err != nil {
		return err
	}
	comm, err := geo.ParseDivisionCode(c.Params("code"))
	if err != nil || comm.Level() != geo.LevelCommunity {
		return fieldErr(http.StatusBadRequest, "code", "%s is not a 12-digit community code", quoteClip([]byte(c.Params("code"))))
	}
	if err := checkScope(tok, comm); err != nil {
		return err
	}
	base, _, err := parseIfMatch(c, true)
	if err != nil {
		return err
	}
	reason, err := readReason(c, true)
	if err != nil {
		return err
	}
	var rr *edit.RecodeResult
	cs, err := s.commit(c.UserContext(), base, func(_ context.Context, v *view, hist *edit.CodeHistory) (*store.Changeset, *geo.City, error) {
		var err error
		if rr, err = edit.Recode(v.snap, comm, time.Now().UTC(), hist); err != nil {
			return nil, nil, err
		}
		if len(rr.Changes) == 0 {
			return nil, nil, errNothingToCommit
		}
		return store.NewRecodeChangeset(v.snap.Version, tok.Name, reason, rr), rr.Next, nil
	})
	status := http.StatusCreated
	switch {
	case errors.Is(err, errNothingToCommit):
		status, cs = http.StatusOK, &store.Changeset{Version: base}
	case err != nil:
		return err
	default:
		c.Set(fiber.HeaderLocation, changeHref(cs.Version))
	}
	c.Status(status)
	c.Set("Gridmap-Version", strconv.FormatUint(cs.Version, 10))
	return writeCrosswalk(c, rr.Rows, func(b []byte) []byte {
		b = append(b, `{"changeset":`...)
		if cs.ID == "" {
			b = append(b, "null"...)
		} else {
			b = wire.AppendString(b, cs.ID)
		}
		b = strconv.AppendUint(append(b, `,"version":`...), cs.Version, 10)
		b = wire.AppendString(append(b, `,"community":`...), comm.String())
		return append(b, `,"crosswalk":`...)
	})
}

// handleCrosswalk answers GET /v1/crosswalk?from=&to=: every re-coding in
// the period as rows old code, new code, grid id, date, as JSON or CSV.
// Bounds are dates, RFC 3339 times or versions (from=3&to=7 is what
// versions 4 to 7 re-coded); a missing bound is open.
func (s *Server) handleCrosswalk(c *fiber.Ctx) error {
	st, err := s.requireStore()
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	state, err := st.Load(ctx)
	if err != nil {
		return err
	}
	var bounds [2]time.Time
	for i, name := range []string{"from", "to"} {
		raw := c.Query(name)
		if raw == "" {
			continue
		}
		w, err := parseWhen(name, raw)
		if err != nil {
			return err
		}
		if bounds[i], err = s.versionTime(c, name, w, state.Version); err != nil {
			return err
		}
	}
	rows := s.scopeCrosswalk(c, state.History.Crosswalk(bounds[0], bounds[1]))
	return writeCrosswalk(c, rows, func(b []byte) []byte {
		b = strconv.AppendUint(append(b, `{"version":`...), state.Version, 10)
		for i, name := range []string{"from", "to"} {
			if !bounds[i].IsZero() {
				b = append(b, `,"`+name+`":"`...)
				b = append(bounds[i].AppendFormat(b, time.RFC3339Nano), '"')
			}
		}
		return append(b, `,"crosswalk":`...)
	})
}

// versionTime turns a bound into a time: a time as it is; a version v into
// just after its commit, so that the period holds what versions after v,
// up to and including the upper bound's, changed (zero for version 0).
func (s *Server) versionTime(c *fiber.Ctx, field string, w when, current uint64) (time.Time, error) {
	switch {
	case w.isTime:
		return w.at, nil
	case w.version == 0:
		return time.Time{}, nil
	case w.version > current:
		return time.Time{}, fieldErr(http.StatusNotFound, field, "version %d does not exist yet: the current version is %d", w.version, current)
	}
	cs, err := s.store.Changeset(c.UserContext(), w.version)
	if err != nil {
		return time.Time{}, err
	}
	return cs.Time.Add(time.Nanosecond), nil
}

// writeCrosswalk answers with rows as CSV when the client asks for it
// (Accept: text/csv, or format=csv), else as the JSON object that head
// opens, with the rows as its last member.
func writeCrosswalk(c *fiber.Ctx, rows []edit.CrosswalkRow, head func([]byte) []byte) error {
	var buf bytes.Buffer
	if c.Query("format") == "csv" || (c.Query("format") == "" && c.Accepts(fiber.MIMEApplicationJSON, "text/csv") == "text/csv") {
		if err := edit.WriteCrosswalkCSV(&buf, rows); err != nil {
			return fmt.Errorf("writing the crosswalk: %w", err)
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Response().SetBodyRaw(buf.Bytes())
		return nil
	}
	if f := c.Query("format"); f != "" && f != "json" {
		return fieldErr(http.StatusBadRequest, "format", "%s: want json or csv", quoteClip([]byte(f)))
	}
	if err := edit.WriteCrosswalkJSON(&buf, rows); err != nil {
		return fmt.Errorf("writing the crosswalk: %w", err)
	}
	b := head(make([]byte, 0, buf.Len()+256))
	b = append(b, bytes.TrimSpace(buf.Bytes())...)
	b = append(b, '}')
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}
