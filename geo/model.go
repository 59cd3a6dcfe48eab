package geo

import (
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// A Unit is a division of the hierarchy above the grids: the city, a
// district (county-level unit), a subdistrict (街道) or a community (社区).
type Unit struct {
	// Code is the unit's 12-digit division code; its level is Code.Level().
	Code DivisionCode
	// Name is the official name, for example 荷城街道 or 钟环社区居民委员会.
	Name string
	// Geometry is the unit's area in WGS-84. For a community it is the union
	// of its grids. It may be nil for a unit with no area (a subdistrict with
	// no urban community).
	Geometry orb.MultiPolygon
}

// Level returns the unit's level.
func (u *Unit) Level() Level { return u.Code.Level() }

// ShortName returns the name without the suffixes 居民委员会 and 居委会, so
// 钟环社区居民委员会 reads 钟环社区.
func (u *Unit) ShortName() string { return ShortUnitName(u.Name) }

// ShortUnitName strips the committee suffixes from a community name.
func ShortUnitName(name string) string {
	for _, suf := range []string{"居民委员会", "居委会", "村民委员会", "委员会"} {
		if strings.HasSuffix(name, suf) {
			return strings.TrimSuffix(name, suf)
		}
	}
	return name
}

// A GridID is a grid's stable internal id. It never changes when the grid is
// re-coded and is never reused. It is positive.
type GridID uint32

// A Grid is a unit grid (网格): a closed area of 300-500 households inside
// one community.
type Grid struct {
	// ID is the stable internal id.
	ID GridID
	// Code is the 15-digit grid code; Code.Community() is its community.
	Code GridCode
	// Name is a display name, for example 钟环社区第3网格.
	Name string
	// Geometry is the grid's area in WGS-84: outer rings counter-clockwise,
	// holes clockwise, coordinates snapped to 1e-7 degrees.
	Geometry orb.MultiPolygon
	// Bound is Geometry's bounding box.
	Bound orb.Bound
	// Households is the number of resident households in the grid's buildings.
	Households int
	// Buildings is the number of buildings in the grid.
	Buildings int
	// Staff are the grid's head and workers (see CheckStaff), nil when
	// not known. Shared between versions: never modified.
	Staff []Staff
}

// Community returns the code of the grid's community.
func (g *Grid) Community() DivisionCode { return g.Code.Community() }

// A BuildingID is a building's stable internal id. It is positive.
type BuildingID uint64

// An Address holds the parts of a standard Chinese address, from the
// province down to the building. Empty parts are unknown.
type Address struct {
	Province    string // 贵州省
	City        string // 六盘水市
	District    string // 钟山区
	Subdistrict string // 荷城街道
	Community   string // 钟环社区 (short form)
	Road        string // 人民中路
	Number      int    // door number 门牌号 (12 in 人民中路12号); 0 if none
	Estate      string // 小区 or compound, for example 凉都花园; may be empty
	Building    string // building number inside the estate, for example "3" (3栋); may be empty
}

// Door returns the road and door number, for example 人民中路12号.
func (a Address) Door() string {
	if a.Number <= 0 {
		return a.Road
	}
	return string(a.appendDoor(nil))
}

// appendDoor appends the road and door number Door returns to b.
func (a Address) appendDoor(b []byte) []byte {
	b = append(b, a.Road...)
	if a.Number > 0 {
		b = strconv.AppendInt(b, int64(a.Number), 10)
		b = append(b, "号"...)
	}
	return b
}

// String returns the standard form, for example
// 贵州省六盘水市钟山区荷城街道人民中路12号凉都花园3栋.
func (a Address) String() string { return string(a.AppendTo(nil)) }

// AppendTo appends the standard form String returns to b.
func (a Address) AppendTo(b []byte) []byte {
	for _, s := range [...]string{a.Province, a.City, a.District, a.Subdistrict} {
		b = append(b, s...)
	}
	b = append(a.appendDoor(b), a.Estate...)
	if a.Building != "" {
		b = append(b, a.Building...)
		b = append(b, "栋"...)
	}
	return b
}

// A Building is a residential building (楼栋) with its door point.
type Building struct {
	// ID is the stable internal id.
	ID BuildingID
	// Point is the building's entrance in WGS-84.
	Point orb.Point
	// Address is the building's standard address.
	Address Address
	// Households is the number of resident households.
	Households int
	// Floors is the number of storeys above ground.
	Floors int
	// Units is the number of stairwells (单元).
	Units int
	// Grid is the code of the grid that holds the building.
	Grid GridCode
}

// A StationKind says whether a station is a subdistrict centre or a
// community station.
type StationKind uint8

// The station kinds.
const (
	// StationCommunity is a community Party-mass service station (社区党群服务站).
	StationCommunity StationKind = iota + 1
	// StationCentre is a subdistrict Party-mass service centre (街道党群服务中心).
	StationCentre
)

// String returns "community" or "centre".
func (k StationKind) String() string {
	switch k {
	case StationCommunity:
		return "community"
	case StationCentre:
		return "centre"
	}
	return "unknown"
}

// ParseStationKind parses "community" or "centre".
func ParseStationKind(s string) (StationKind, bool) {
	switch s {
	case "community":
		return StationCommunity, true
	case "centre", "center":
		return StationCentre, true
	}
	return 0, false
}

// A StationID is a station's stable internal id. It is positive.
type StationID uint32

// A Station is a service station: one per community, one centre per subdistrict.
type Station struct {
	ID    StationID
	Kind  StationKind
	Name  string // 钟环社区党群服务站
	Unit  DivisionCode
	Point orb.Point
}

// A StreetID is a street segment's stable internal id. It is positive.
type StreetID uint32

// A Street is a named street segment (a polyline between junctions or a
// whole street) that people can walk along.
type Street struct {
	ID   StreetID
	Name string // 人民中路
	// Class is the road class: "primary", "secondary", "tertiary" or "alley".
	Class string
	Line  orb.LineString
}

// A City is the whole data set of one city: the units, grids, buildings,
// stations and streets. Slices are sorted: units and grids by code,
// buildings, stations and streets by id. A City handed to NewSnapshot must
// not be modified afterwards.
type City struct {
	// Code and Name identify the city (5202, 六盘水市); Province is 贵州省.
	Code      DivisionCode
	Name      string
	Province  string
	Units     []*Unit
	Grids     []*Grid
	Buildings []*Building
	Stations  []*Station
	Streets   []*Street
}
