package cityio

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// A featureReader turns raw features of one layer into model values and
// records what is wrong with them. One feature is read at a time: begin,
// then the property getters, then done.
type featureReader struct {
	layer  Layer
	probs  *problems
	f      *rawFeature
	name   string // the feature's identity for problems
	bad    bool   // a fault was recorded for the current feature
	coords coords
	intern map[string]string
}

func newFeatureReader(l Layer, probs *problems) *featureReader {
	return &featureReader{layer: l, probs: probs, intern: make(map[string]string)}
}

// begin starts reading f, naming it by the first of the identity
// properties that is present, or by its index.
func (r *featureReader) begin(f *rawFeature, identity ...string) {
	r.f, r.bad = f, false
	r.name = "#" + strconv.Itoa(f.index)
	for _, key := range identity {
		if p, ok := r.get(key); ok && (p.kind == kindString || p.kind == kindNumber) && len(p.text) > 0 {
			r.name = truncate(string(p.text), 40)
			break
		}
	}
	for _, msg := range f.faults {
		r.fault("%s", msg)
	}
}

func (r *featureReader) fault(format string, args ...any) {
	r.bad = true
	r.probs.addf(r.layer, r.name, format, args...)
}

func (r *featureReader) get(key string) (prop, bool) {
	for _, p := range r.f.props {
		if string(p.key) == key {
			return p, true
		}
	}
	return prop{}, false
}

// lookup returns a property of the wanted kind, recording a fault when it
// is missing or has another kind.
func (r *featureReader) lookup(key string, kind byte) (prop, bool) {
	p, ok := r.get(key)
	switch {
	case !ok:
		r.fault("missing property %q", key)
		return p, false
	case p.kind != kind:
		r.fault("property %q is %s, want a %s", key, describe(p), kindName(kind))
		return p, false
	}
	return p, true
}

// str returns a required string property.
func (r *featureReader) str(key string) string {
	p, ok := r.lookup(key, kindString)
	if !ok {
		return ""
	}
	return string(p.text)
}

// shared returns a required string property, sharing one copy of each
// distinct value: address parts repeat across tens of thousands of features.
func (r *featureReader) shared(key string) string {
	p, ok := r.lookup(key, kindString)
	if !ok {
		return ""
	}
	if s, ok := r.intern[string(p.text)]; ok {
		return s
	}
	s := string(p.text)
	r.intern[s] = s
	return s
}

// code returns a required code property: a string of digits, or an
// integer number (some tools write codes as numbers).
func (r *featureReader) code(key string) (string, bool) {
	p, ok := r.get(key)
	switch {
	case !ok:
		r.fault("missing property %q", key)
		return "", false
	case p.kind == kindString || p.kind == kindNumber:
		return string(p.text), true
	}
	r.fault("property %q is %s, want a code string", key, describe(p))
	return "", false
}

// integer returns a required integer property in [lo, hi].
func (r *featureReader) integer(key string, lo, hi int64) (int64, bool) {
	p, ok := r.lookup(key, kindNumber)
	if !ok {
		return 0, false
	}
	v, ok := parseInteger(p.text)
	if !ok {
		r.fault("property %q is %s, want an integer", key, describe(p))
		return 0, false
	}
	if v < lo || v > hi {
		r.fault("property %q is %d, want %d to %d", key, v, lo, hi)
		return 0, false
	}
	return v, true
}

// parseInteger parses an integer written as JSON number text. Integral
// values written with a fraction or exponent (12.0, 1e3) are accepted up
// to 2^53.
func parseInteger(t []byte) (int64, bool) {
	if v, err := strconv.ParseInt(string(t), 10, 64); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(string(t), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// checkID checks the Feature's own "id" member, when present, against
// the identity the properties give: want lists the accepted spellings.
func (r *featureReader) checkID(want ...string) {
	id := r.f.id
	if id.kind == 0 || id.kind == kindNull {
		return
	}
	if (id.kind == kindString || id.kind == kindNumber) && slices.Contains(want, string(id.text)) {
		return
	}
	r.fault("feature id %s disagrees with its properties (%s)", describe(id), strings.Join(want, " or "))
}

// geometry decodes the feature's geometry into r.coords. types lists the
// accepted GeoJSON types; nullOK accepts a null or absent geometry. It
// returns false for a null geometry and for any fault (recorded).
func (r *featureReader) geometry(nullOK bool, types ...string) bool {
	f := r.f
	if f.geomType == nil {
		if !nullOK {
			r.fault("geometry is missing, want %s", strings.Join(types, " or "))
		}
		return false
	}
	typ := string(f.geomType)
	if !slices.Contains(types, typ) {
		r.fault("geometry type %q, want %s", truncate(typ, 40), strings.Join(types, " or "))
		return false
	}
	if f.coords == nil {
		r.fault("geometry has no coordinates")
		return false
	}
	if err := r.coords.decode(f.coords); err != nil {
		r.fault("%s", err.Error())
		return false
	}
	if r.coords.leaf != geometryLeaf(typ) {
		r.fault("coordinates do not match geometry type %s", typ)
		return false
	}
	return true
}
