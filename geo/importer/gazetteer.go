package importer

import (
	"strings"

	"github.com/gridmap/gridmap/geo"
)

// A gazetteer knows units by code and by name.
type gazetteer struct {
	byCode map[geo.DivisionCode]string
	byName map[string][]geo.DivisionCode // short name -> codes, any level
}

func newGazetteer(divs []Division) *gazetteer {
	g := &gazetteer{byCode: map[geo.DivisionCode]string{}, byName: map[string][]geo.DivisionCode{}}
	for _, d := range divs {
		g.add(d.Code, d.Name)
	}
	return g
}

func (g *gazetteer) add(c geo.DivisionCode, name string) {
	if name == "" || c.Validate() != nil {
		return
	}
	if _, ok := g.byCode[c]; !ok {
		g.byCode[c] = name
	}
	k := nameKey(name)
	for _, x := range g.byName[k] {
		if x == c {
			return
		}
	}
	g.byName[k] = append(g.byName[k], c)
}

// nameKey folds a unit name for lookup: the committee suffixes dropped
// (钟环社区居民委员会 = 钟环社区), spaces removed.
func nameKey(name string) string {
	return strings.ReplaceAll(geo.ShortUnitName(strings.TrimSpace(name)), " ", "")
}

// find returns the unit of level lvl named name, inside parent when
// parent is not zero; ok is false when none or several match.
func (g *gazetteer) find(name string, lvl geo.Level, parent geo.DivisionCode) (geo.DivisionCode, bool) {
	var found geo.DivisionCode
	n := 0
	for _, c := range g.byName[nameKey(name)] {
		if c.Level() != lvl || (parent != 0 && !parent.Contains(c)) {
			continue
		}
		found = c
		n++
	}
	return found, n == 1
}
