package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
)

// A Mapping names, per role, the column that holds each attribute, and
// optionally the layer of a multi-layer file (a GeoPackage table). Its
// file form is JSON, one object per role:
//
//	{"grids": {"layer": "wg", "code": "WGBM", "name": "WGMC", "community": "SQMC"},
//	 "buildings": {"address": "BZDZ", "households": "HS"}}
//
// Attribute names are those of the attrs table (see Attributes); an
// attribute a Mapping leaves out is recognised by its usual names.
type Mapping map[Role]map[string]string

// ParseMapping reads a mapping file's JSON, refusing unknown roles,
// unknown attributes and values that are not strings.
func ParseMapping(data []byte) (*Mapping, error) {
	var raw map[string]map[string]string
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("mapping: want {\"grids\": {\"code\": \"WGBM\", ...}, ...}: %w", err)
	}
	m := Mapping{}
	for role, attrs := range raw {
		r := Role(role)
		if !validRole(r) && r != RoleStaff {
			return nil, fmt.Errorf("mapping: unknown layer %q (want one of %v or staff)", role, Roles)
		}
		for a, col := range attrs {
			if a != "layer" && !slices.ContainsFunc(attrTable[r], func(d attrDef) bool { return d.name == a }) {
				return nil, fmt.Errorf("mapping: %s: unknown attribute %q (want layer or one of %s)", role, a, strings.Join(Attributes(r), ", "))
			}
			if strings.TrimSpace(col) == "" {
				return nil, fmt.Errorf("mapping: %s.%s: empty column name", role, a)
			}
		}
		m[r] = attrs
	}
	return &m, nil
}

// Layer returns the layer name the mapping picks for role, or "".
func (m *Mapping) Layer(r Role) string { return m.Column(r, "layer") }

// Column returns the column the mapping names for attribute a of role r,
// or "".
func (m *Mapping) Column(r Role, a string) string {
	if m == nil {
		return ""
	}
	return (*m)[r][a]
}

// An attrDef is one attribute a role can have and the column names that
// usually hold it, matched ignoring case, spaces and underscores.
type attrDef struct {
	name  string
	usual []string
}

// attrTable lists the attributes of each role. The order of usual names
// is the order of preference.
var attrTable = map[Role][]attrDef{
	RoleGrids: {
		{"id", []string{"id", "fid", "objectid"}},
		{"code", []string{"网格编码", "网格代码", "网格编号", "WGBM", "WGDM", "WGBH", "grid_code", "gridcode", "code"}},
		{"name", []string{"网格名称", "网格名", "WGMC", "grid_name", "gridname", "name", "名称"}},
		{"community_code", []string{"社区编码", "社区代码", "SQBM", "SQDM", "community_code", "community"}},
		{"community", []string{"社区名称", "社区", "所属社区", "SQMC", "community_name"}},
		{"subdistrict_code", []string{"街道编码", "街道代码", "JDBM", "JDDM", "subdistrict_code"}},
		{"subdistrict", []string{"街道名称", "街道", "所属街道", "JDMC", "subdistrict_name", "subdistrict"}},
		{"district", []string{"区县名称", "区县", "QXMC", "district_name", "district"}},
	},
	RoleUnits: {
		{"code", []string{"社区编码", "社区代码", "SQBM", "SQDM", "区划代码", "code"}},
		{"name", []string{"社区名称", "社区", "SQMC", "name", "名称"}},
		{"level", []string{"level", "级别"}},
		{"subdistrict_code", []string{"街道编码", "街道代码", "JDBM", "JDDM", "subdistrict_code"}},
		{"subdistrict", []string{"街道名称", "街道", "JDMC", "subdistrict_name", "subdistrict"}},
		{"district", []string{"区县名称", "区县", "QXMC", "district_name", "district"}},
	},
	RoleBuildings: {
		{"id", []string{"id", "fid", "楼栋编码", "LDBM"}},
		{"address", []string{"标准地址", "地址", "详细地址", "门牌地址", "BZDZ", "DZ", "address", "addr", "addr:full"}},
		{"households", []string{"户数", "住户数", "HS", "households", "hh"}},
		{"floors", []string{"层数", "楼层数", "CS", "floors", "building:levels"}},
		{"units", []string{"单元数", "DYS", "units"}},
		{"lon", nil}, // for a table: its x column (else the reader recognises it)
		{"lat", nil},
		{"wkt", nil},
		{"province", []string{"省", "province"}},
		{"city", []string{"市", "city", "addr:city"}},
		{"district", []string{"区县", "district", "addr:district"}},
		{"subdistrict", []string{"街道名称", "街道", "subdistrict", "addr:subdistrict"}},
		{"community", []string{"社区名称", "社区", "community"}},
		{"road", []string{"道路", "路名", "road", "addr:street"}},
		{"number", []string{"门牌号", "MPH", "number", "addr:housenumber"}},
		{"estate", []string{"小区", "小区名称", "estate"}},
		{"building", []string{"楼栋号", "楼号", "LDH", "building"}},
	},
	RoleStations: {
		{"name", []string{"站点名称", "名称", "name", "MC"}},
		{"kind", []string{"类型", "kind", "type"}},
		{"unit", []string{"所属单位编码", "unit", "community"}},
		{"lon", nil},
		{"lat", nil},
		{"wkt", nil},
	},
	RoleStreets: {
		{"name", []string{"道路名称", "路名", "DLMC", "name", "名称"}},
		{"class", []string{"道路等级", "等级", "class", "highway"}},
	},
	RoleStaff: staffAttrs,
}

// Attributes returns the attribute names of role r, in table order.
func Attributes(r Role) []string {
	var out []string
	for _, d := range attrTable[r] {
		out = append(out, d.name)
	}
	return out
}

// A Column is the column chosen for an attribute: how it was chosen
// ("mapping" or "recognised") and its index in the layer's fields.
type Column struct {
	Attribute string `json:"attribute"`
	Field     string `json:"column"`
	By        string `json:"by"`
	index     int
}

// columns holds the columns chosen for one layer.
type columns struct {
	layer  *ingest.Layer
	chosen map[string]Column
}

// chooseColumns picks a column for every attribute of role r in layer l.
// A column the mapping names but the layer lacks is a fault.
func chooseColumns(r Role, l *ingest.Layer, m *Mapping) (*columns, error) {
	c := &columns{layer: l, chosen: map[string]Column{}}
	taken := map[int]bool{}
	var explicit map[string]string
	if m != nil {
		explicit = (*m)[r]
	}
	for _, d := range attrTable[r] {
		if col, ok := explicit[d.name]; ok {
			i := slices.Index(l.Fields, col)
			if i < 0 {
				return nil, ingest.Errorf(l.Source, 0, "mapping names column %q for %s.%s, but the layer's columns are %s",
					col, r, d.name, strings.Join(l.Fields, ", "))
			}
			c.chosen[d.name] = Column{Attribute: d.name, Field: col, By: "mapping", index: i}
			taken[i] = true
		}
	}
	for _, d := range attrTable[r] {
		if _, ok := c.chosen[d.name]; ok {
			continue
		}
		if i := recognise(l.Fields, d.usual, taken); i >= 0 {
			c.chosen[d.name] = Column{Attribute: d.name, Field: l.Fields[i], By: "recognised", index: i}
			taken[i] = true
		}
	}
	return c, nil
}

// recognise returns the index of the first field (in the order of usual)
// whose folded name equals a usual name, skipping taken fields, or -1.
func recognise(fields, usual []string, taken map[int]bool) int {
	for _, u := range usual {
		fu := foldName(u)
		for i, f := range fields {
			if !taken[i] && foldName(f) == fu {
				return i
			}
		}
	}
	return -1
}

// foldName folds a column name for matching: lower case, without spaces,
// underscores and hyphens.
func foldName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(s)
}

// get returns feature f's value of attribute a, trimmed, or "".
func (c *columns) get(f *ingest.Feature, a string) string {
	col, ok := c.chosen[a]
	if !ok || col.index >= len(f.Props) {
		return ""
	}
	return strings.TrimSpace(f.Props[col.index])
}

// list returns the chosen columns in table order, for the report.
func (c *columns) list(r Role) []Column {
	var out []Column
	for _, d := range attrTable[r] {
		if col, ok := c.chosen[d.name]; ok {
			out = append(out, col)
		}
	}
	return out
}
