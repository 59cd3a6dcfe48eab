package address_test

import (
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/paulmach/orb"
)

func ExampleNormalize() {
	fmt.Println(address.Normalize("六盘水钟山区人民中路十二号凉都花园３号楼二单元五零一（附近）电话:13812345678"))
	// Output: 六盘水钟山区人民中路12号凉都花园3栋2单元501
}

func ExampleParse() {
	p := address.Parse("钟山区 荷城街道 人民中路12号3-2-501")
	fmt.Println(p.District, p.Subdistrict, p.Road, p.Number, p.Building, p.Unit, p.Room)
	// Output: 钟山区 荷城街道 人民中路 12 3 2 501
}

func ExampleIndex_Geocode() {
	grid := geo.GridCode(520201014001001)
	city := &geo.City{
		Code: 520200000000, Name: "六盘水市", Province: "贵州省",
		Units: []*geo.Unit{
			{Code: 520201000000, Name: "钟山区"},
			{Code: 520201014000, Name: "荷城街道"},
			{Code: 520201014001, Name: "钟环社区居民委员会"},
		},
		Buildings: []*geo.Building{{
			ID: 1, Point: orb.Point{104.8304, 26.5925}, Grid: grid,
			Address: geo.Address{Province: "贵州省", City: "六盘水市", District: "钟山区", Subdistrict: "荷城街道",
				Community: "钟环社区", Road: "人民中路", Number: 12, Estate: "凉都花园", Building: "3"},
		}},
	}
	x := address.NewCityIndex(city)
	r, err := x.Geocode("六盘水钟山区人民中路十二号凉都花园3栋二单元501")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Best.Building.ID, r.Best.Grid, r.Best.Confidence, r.Best.Matched)
	fmt.Println(address.StandardAddress(r.Best.Building))
	// Output:
	// 1 520201014001001 0.97 [district road number estate building]
	// 贵州省六盘水市钟山区荷城街道人民中路12号凉都花园3栋
}
