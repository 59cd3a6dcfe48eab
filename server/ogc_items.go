package server

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/cql2"
	"github.com/paulmach/orb"
	"github.com/valyala/fasthttp"
)

// handleOGCItems answers GET /ogc/collections/{collectionId}/items: a
// page of the features that match bbox, the simple property filters and
// filter, in the collection's stable order, with numberMatched and a next
// link that pins the version, so paging returns every feature once.
func (s *Server) handleOGCItems(c *fiber.Ctx) error {
	col, err := ogcCollectionByID(c.Params("collectionId"))
	if err != nil {
		return err
	}
	q, err := parseOGCQuery(c, col)
	if err != nil {
		return err
	}
	v, err := s.ogcViewFor(c, q)
	if err != nil {
		return err
	}
	l := v.ogcLayers().byID[col.id]
	matched, total, err := q.match(l)
	if err != nil {
		return err
	}
	lo, hi := min(q.offset, total), min(q.offset+q.limit, total)
	b := make([]byte, 0, 4096+(hi-lo)*col.sizeHint())
	b = append(b, `{"type":"FeatureCollection","timeStamp":"`...)
	b = time.Now().UTC().AppendFormat(b, time.RFC3339)
	b = append(b, `","numberMatched":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, `,"numberReturned":`...)
	b = strconv.AppendInt(b, int64(hi-lo), 10)
	b = appendPageLinks(b, c, q, v.snap.Version, total)
	b = append(b, `,"features":[`...)
	start := len(b)
	enc := q.crs.encoder()
	for k := lo; k < hi; k++ {
		if k > lo {
			b = append(b, ',')
		}
		i := k
		if matched != nil {
			i = int(matched[k])
		}
		b = l.Append(b, enc, i)
	}
	if err := enc.Err(); err != nil {
		return err
	}
	col.learnSize(len(b)-start, hi-lo)
	b = append(b, "]}"...)
	c.Set("Content-Crs", "<"+q.crs.uri+">")
	c.Response().Header.SetContentType("application/geo+json")
	c.Response().SetBodyRaw(b)
	return nil
}

// sizeHint is about how many bytes one feature of col takes: the largest
// average seen on a page, or a guess by geometry type.
func (col *ogcCollection) sizeHint() int {
	if n := col.bytesPerItem.Load(); n > 0 {
		return int(n) + 16
	}
	switch col.geomType {
	case "Point":
		return 600
	case "LineString":
		return 300
	}
	return 2000
}

// learnSize records the average size of the features of a page.
func (col *ogcCollection) learnSize(bytes, features int) {
	if features < 100 {
		return
	}
	avg := int64(bytes / features)
	for {
		cur := col.bytesPerItem.Load()
		if avg <= cur || col.bytesPerItem.CompareAndSwap(cur, avg) {
			return
		}
	}
}

// ogcViewFor returns the view a query reads: the current one, or the one
// its datetime or pinned version names.
func (s *Server) ogcViewFor(c *fiber.Ctx, q *ogcQuery) (*view, error) {
	cur, err := s.ogcView(c)
	if err != nil || !q.hasAt {
		return cur, err
	}
	if q.at.isTime && s.store == nil {
		// Without a store the data never changes.
		return cur, nil
	}
	ver, field := q.at.version, "version"
	if q.at.isTime {
		field = "datetime"
		if ver, err = s.store.VersionAt(c.UserContext(), q.at.at); err != nil {
			return nil, err
		}
		ver = min(ver, cur.snap.Version)
	}
	return s.viewAt(c.UserContext(), cur, ver, field)
}

// An ogcFeature presents the i-th feature of a layer to a cql2.Matcher.
type ogcFeature struct {
	l ogcLayer
	i int
}

func (f *ogcFeature) Property(name string) cql2.Value { return f.l.Property(f.i, name) }
func (f *ogcFeature) Geometry() orb.Geometry          { return f.l.Geometry(f.i) }

// match returns the positions of the matching features in ascending order
// and their number; nil positions mean all of them.
func (q *ogcQuery) match(l ogcLayer) ([]int32, int, error) {
	if q.expr == nil {
		return nil, l.Len(), nil
	}
	m, err := cql2.Compile(q.src, q.expr)
	if err != nil {
		return nil, 0, fieldErr(http.StatusBadRequest, "filter", "%v", err)
	}
	out := []int32{}
	f := &ogcFeature{l: l}
	test := func(i int) {
		f.i = i
		if m.Match(f) {
			out = append(out, int32(i))
		}
	}
	if box, ok := cql2.SearchBound(q.expr); ok {
		if sr, ok := l.(ogcSearcher); ok {
			if !box.IsEmpty() {
				sr.search(box, test)
			}
			slices.Sort(out)
			return out, len(out), nil
		}
	}
	for i := range l.Len() {
		test(i)
	}
	return out, len(out), nil
}

// appendPageLinks appends the links member: self, and next and prev
// where there are such pages. Next and prev carry every parameter of the
// request, the new offset and the version read (unless datetime names
// it), so that edits between pages cannot shift them.
func appendPageLinks(b []byte, c *fiber.Ctx, q *ogcQuery, version uint64, total int) []byte {
	path := ogcBase(c) + c.Path()
	page := func(offset int) string {
		args := fasthttp.AcquireArgs()
		defer fasthttp.ReleaseArgs(args)
		c.Request().URI().QueryArgs().CopyTo(args)
		args.Set("offset", strconv.Itoa(offset))
		args.Set("limit", strconv.Itoa(q.limit))
		if !q.hasAt || !q.at.isTime {
			args.Set("version", strconv.FormatUint(version, 10))
		}
		return path + "?" + string(args.QueryString())
	}
	self := path
	if qs := c.Request().URI().QueryString(); len(qs) > 0 {
		self += "?" + string(qs)
	}
	b = append(b, `,"links":[`...)
	b = appendLink(b, self, "self", "application/geo+json", "this page")
	if q.offset+q.limit < total {
		b = append(b, ',')
		b = appendLink(b, page(q.offset+q.limit), "next", "application/geo+json", "next page")
	}
	if q.offset > 0 {
		b = append(b, ',')
		b = appendLink(b, page(max(q.offset-q.limit, 0)), "prev", "application/geo+json", "previous page")
	}
	return append(b, ']')
}

// handleOGCItem answers GET /ogc/collections/{collectionId}/items/{featureId}.
// Its ETag is the version, for If-Match of Part 4 edits.
func (s *Server) handleOGCItem(c *fiber.Ctx) error {
	col, err := ogcCollectionByID(c.Params("collectionId"))
	if err != nil {
		return err
	}
	if err := checkOGCParams(c, nil, "f", "crs", "datetime", "version"); err != nil {
		return err
	}
	if err := checkFormat(c); err != nil {
		return err
	}
	q := &ogcQuery{}
	if q.crs, err = parseOGCCRS("crs", c.Query("crs")); err != nil {
		return err
	}
	if err := q.parseWhen(c); err != nil {
		return err
	}
	v, err := s.ogcViewFor(c, q)
	if err != nil {
		return err
	}
	l := v.ogcLayers().byID[col.id]
	id := c.Params("featureId")
	i, ok := l.Index(id)
	if !ok {
		return fieldErr(http.StatusNotFound, "featureId", "collection %s has no feature %s", col.id, quoteClip([]byte(id)))
	}
	enc := q.crs.encoder()
	b := l.Append(make([]byte, 0, 4096), enc, i)
	if err := enc.Err(); err != nil {
		return err
	}
	base := ogcBase(c) + "/ogc/collections/" + col.id
	b = append(b[:len(b)-1], `,"links":[`...)
	b = appendLink(b, base+"/items/"+l.ID(i), "self", "application/geo+json", "this feature")
	b = append(b, ',')
	b = appendLink(b, base, "collection", "application/json", col.title)
	b = append(b, "]}"...)
	c.Response().Header.SetCanonical(headerETag, v.etag)
	c.Set("Content-Crs", "<"+q.crs.uri+">")
	c.Response().Header.SetContentType("application/geo+json")
	c.Response().SetBodyRaw(b)
	return nil
}
