package address

import (
	"strconv"
	"strings"
)

// Parts holds the parts of a parsed address, from the province down to the
// room. Empty strings and zero numbers are parts the address did not give.
type Parts struct {
	Province    string `json:"province,omitempty"`    // 贵州省
	City        string `json:"city,omitempty"`        // 六盘水市
	District    string `json:"district,omitempty"`    // 钟山区
	Subdistrict string `json:"subdistrict,omitempty"` // 荷城街道
	Community   string `json:"community,omitempty"`   // 钟环社区
	Road        string `json:"road,omitempty"`        // 人民中路
	Number      int    `json:"number,omitempty"`      // door number: 12 in 人民中路12号
	Estate      string `json:"estate,omitempty"`      // 凉都花园
	Building    string `json:"building,omitempty"`    // "3" in 3栋, "A" in A座
	Unit        int    `json:"unit,omitempty"`        // 2 in 2单元
	Floor       int    `json:"floor,omitempty"`       // 5 in 5层; negative below ground
	Room        string `json:"room,omitempty"`        // "501" in 501室
	// Rest holds the pieces of the address the parser could not place, in
	// the order they appeared.
	Rest []string `json:"rest,omitempty"`
}

// String returns the parts in the standard order and spelling, for example
// 贵州省六盘水市钟山区荷城街道钟环社区人民中路12号凉都花园3栋2单元5层501室;
// Rest is left out.
func (p Parts) String() string {
	var b strings.Builder
	for _, s := range []string{p.Province, p.City, p.District, p.Subdistrict, p.Community, p.Road} {
		b.WriteString(s)
	}
	if p.Number > 0 {
		b.WriteString(strconv.Itoa(p.Number))
		b.WriteString("号")
	}
	b.WriteString(p.Estate)
	if p.Building != "" {
		b.WriteString(p.Building)
		b.WriteString("栋")
	}
	writeNumber(&b, p.Unit, "单元")
	writeNumber(&b, p.Floor, "层")
	if p.Room != "" {
		b.WriteString(p.Room)
		b.WriteString("室")
	}
	return b.String()
}

func writeNumber(b *strings.Builder, n int, word string) {
	if n != 0 {
		b.WriteString(strconv.Itoa(n))
		b.WriteString(word)
	}
}

// A level is a rung of the address order, used to keep parts in order.
type level uint8

// The address levels, from the top.
const (
	levelNone level = iota
	levelProvince
	levelCity
	levelDistrict
	levelSubdistrict
	levelCommunity
	levelRoad
	levelDoor
	levelEstate
	levelBuilding
	levelUnit
	levelFloor
	levelRoom
)

// field returns the string field of p that holds level l, or nil for the
// numeric levels.
func (p *Parts) field(l level) *string {
	switch l {
	case levelProvince:
		return &p.Province
	case levelCity:
		return &p.City
	case levelDistrict:
		return &p.District
	case levelSubdistrict:
		return &p.Subdistrict
	case levelCommunity:
		return &p.Community
	case levelRoad:
		return &p.Road
	case levelEstate:
		return &p.Estate
	case levelBuilding:
		return &p.Building
	case levelRoom:
		return &p.Room
	}
	return nil
}

// set stores text at level l if that part is still empty and reports
// whether it did; a filled part sends the text to Rest.
func (p *Parts) set(l level, text string) bool {
	if text == "" {
		return false
	}
	f := p.field(l)
	if f == nil || *f != "" {
		p.Rest = append(p.Rest, text)
		return false
	}
	*f = text
	return true
}
