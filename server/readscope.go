package server

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Reads by division (属地): with Config.ReadRequiresToken, a viewer's token
// with scopes reads only inside them. Every read route answers from a
// scoped view: a view of a city cut down to the scopes (scopedCity), built
// once per version and scope set and cached, so that lookups, units,
// grids, exports, search, geocoding, walking circles, coverage, tiles and
// the OGC API all see only the scopes' grids without a filter of their
// own. Routes that read the store (history, changes, the change feed,
// crosswalks, import repairs) filter by the token's scopes themselves
// (readscope_store.go).

// scopedViewCacheSize is how many scoped views are kept: a few scope sets
// of the current version and of recent past versions.
const scopedViewCacheSize = 16

// localReadToken is the Fiber local under which the token a read was
// verified with is kept for the handler.
const localReadToken = "gridmap.read-token"

// readScopes returns the divisions the request may read inside, or nil
// when it reads the whole city: reads are open, or its token is an
// admin's, a planner's or a viewer's without scopes.
func (s *Server) readScopes(c *fiber.Ctx) []geo.DivisionCode {
	if !s.cfg.ReadRequiresToken {
		return nil
	}
	t, ok := c.Locals(localReadToken).(access.Token)
	if !ok {
		return nil
	}
	return t.ReadScopes()
}

// readView returns the view a read route answers from: the current view,
// or its scoped view when the request's token reads only inside scopes.
// ErrNotReady before the first snapshot.
func (s *Server) readView(c *fiber.Ctx) (*view, error) {
	v := s.view.Load()
	if v == nil {
		return nil, ErrNotReady
	}
	return s.scopeView(c, v)
}

// scopeView returns v cut down to the request's read scopes (v itself when
// it has none).
func (s *Server) scopeView(c *fiber.Ctx, v *view) (*view, error) {
	scopes := s.readScopes(c)
	if scopes == nil || v == nil {
		return v, nil
	}
	return s.cutView(v, scopes)
}

// cutView returns whole view v cut down to scopes, from the cache or built
// once. The view keeps its scopes, so that the past versions read through
// it (viewAt) are cut the same way.
func (s *Server) cutView(v *view, scopes []geo.DivisionCode) (*view, error) {
	return s.scoped.get(scopedKey{base: v, scopes: scopeKey(scopes)}, func() (*view, error) {
		snap, err := geo.NewSnapshot(scopedCity(v.snap.City, scopes), v.snap.Version)
		if err != nil {
			return nil, fmt.Errorf("indexing version %d inside %s: %w", v.snap.Version, scopeKey(scopes), err)
		}
		sv := newView(snap)
		sv.scopes = slices.Clone(scopes)
		sv.walkCfg = v.walkCfg
		if sv.walkCfg == nil {
			sv.walkCfg = &s.walkCfg
		}
		// The scoped answers differ from the whole city's: never the same tag.
		sv.etag = append(v.etag[:len(v.etag)-1:len(v.etag)-1], []byte("-s"+scopeKey(scopes)+`"`)...)
		return sv, nil
	})
}

// inReadScope reports whether unit or grid community code lies inside the
// request's read scopes (always, when it has none).
func (s *Server) inReadScope(c *fiber.Ctx, code geo.DivisionCode) bool {
	scopes := s.readScopes(c)
	return scopes == nil || inScopes(scopes, code)
}

// inScopes reports whether code lies inside one of scopes.
func inScopes(scopes []geo.DivisionCode, code geo.DivisionCode) bool {
	return slices.ContainsFunc(scopes, func(sc geo.DivisionCode) bool { return sc.Contains(code) })
}

// aboveScopes reports whether code is an ancestor of one of scopes.
func aboveScopes(scopes []geo.DivisionCode, code geo.DivisionCode) bool {
	return slices.ContainsFunc(scopes, func(sc geo.DivisionCode) bool { return code != sc && code.Contains(sc) })
}

// scopeKey is a scope set's canonical name: its short codes, sorted.
func scopeKey(scopes []geo.DivisionCode) string {
	names := make([]string, len(scopes))
	for i, sc := range scopes {
		names[i] = sc.Short()
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), "+")
}

// scopedCity returns the part of city inside scopes: the units inside
// them and their ancestors (named, for the hierarchy, but without their
// geometry, which reaches outside), the grids of the communities inside,
// their buildings, the stations of units inside, and the streets whose
// box meets the scoped grids' box (whole: they are the walking network
// of the circles near the scopes' edge). It shares the objects it keeps
// with city, which must not be modified.
func scopedCity(city *geo.City, scopes []geo.DivisionCode) *geo.City {
	out := &geo.City{Code: city.Code, Name: city.Name, Province: city.Province}
	var box orb.Bound
	boxSet := false
	extend := func(b orb.Bound) {
		if boxSet {
			box = box.Union(b)
		} else {
			box, boxSet = b, true
		}
	}
	for _, u := range city.Units {
		switch {
		case inScopes(scopes, u.Code):
			out.Units = append(out.Units, u)
			if len(u.Geometry) > 0 {
				extend(u.Geometry.Bound())
			}
		case aboveScopes(scopes, u.Code):
			named := *u
			named.Geometry = nil
			out.Units = append(out.Units, &named)
		}
	}
	grids := map[geo.GridCode]bool{}
	for _, g := range city.Grids {
		if inScopes(scopes, g.Community()) {
			out.Grids = append(out.Grids, g)
			grids[g.Code] = true
			extend(g.Bound)
		}
	}
	for _, b := range city.Buildings {
		if grids[b.Grid] {
			out.Buildings = append(out.Buildings, b)
		}
	}
	for _, st := range city.Stations {
		if inScopes(scopes, st.Unit) {
			out.Stations = append(out.Stations, st)
		}
	}
	for _, st := range city.Streets {
		if boxSet && st.Line.Bound().Intersects(box) {
			out.Streets = append(out.Streets, st)
		}
	}
	return out
}

// A scopedViews cache keeps the scoped views of recently read versions
// and scope sets, least recently used first out. Concurrent requests for
// one share one build.
type scopedViews = lazyLRU[scopedKey, *view]

// A scopedKey names a scoped view: the view it cuts and the scope set.
type scopedKey struct {
	base   *view
	scopes string
}

// markPrivate makes a cacheable answer to a scoped read private, so that
// no shared cache (a CDN, a proxy) hands one scope's answer to another
// token; answers to unscoped reads keep their Cache-Control.
func (s *Server) markPrivate(c *fiber.Ctx) {
	if s.readScopes(c) != nil {
		c.Set(fiber.HeaderCacheControl, "private, max-age=60")
	}
}
