package importer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/repair"
)

// A Result is what Run built: the city (nil when the import failed), the
// report (always), and the repairs as a GeoJSON FeatureCollection.
type Result struct {
	City    *geo.City
	Report  *Report
	Repairs []byte
}

// Steps, as Options.Progress names them.
const (
	StepProject   = "reprojecting"
	StepRepair    = "repairing grids"
	StepBuildings = "placing buildings"
	StepValidate  = "validating"
)

// run holds one import's state.
type run struct {
	o    *Options
	gz   *gazetteer
	rep  *Report
	fs   faults
	cols map[Role]*columns
}

// Run builds a city from o's layers; see the package documentation for
// the steps. The layers' geometries are converted in place. On any fault
// it returns a Result with the report (its Faults filled) and no city,
// and an error: a *FaultError listing every fault, or ctx's error.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	r := &run{o: &o, gz: newGazetteer(o.Divisions), rep: &Report{CommunitiesBy: map[string]int{}, RepairCounts: map[string]int{}},
		cols: map[Role]*columns{}}
	city, repairs, err := r.build(ctx)
	res := &Result{Report: r.rep}
	if err != nil {
		var fe *FaultError
		if errors.As(err, &fe) {
			for _, f := range fe.Faults {
				r.rep.Faults = append(r.rep.Faults, f.Error())
			}
		} else {
			r.rep.Faults = append(r.rep.Faults, err.Error())
		}
		return res, err
	}
	res.City, res.Repairs = city, repairs
	return res, nil
}

// build runs the steps, stopping at the first step with faults.
func (r *run) build(ctx context.Context) (*geo.City, []byte, error) {
	if err := r.prepare(ctx); err != nil {
		return nil, nil, err
	}
	gl := r.o.Inputs[RoleGrids].Layer
	grids := readGrids(gl, r.cols[RoleGrids], &r.fs, r.rep)
	var units []*unitRec
	if in, ok := r.o.Inputs[RoleUnits]; ok {
		units = readUnits(in.Layer, r.cols[RoleUnits], r.gz, &r.fs)
	}
	placeGrids(grids, units, r.gz, gl, &r.fs)
	if err := r.fs.err(); err != nil {
		return nil, nil, err
	}
	assignCodes(grids, r.rep)
	cityCode, us, err := buildUnits(grids, units, r.gz, r.rep)
	if err != nil {
		return nil, nil, err
	}
	city := &geo.City{Code: cityCode, Units: us, Province: r.o.Province}
	if city.Province == "" {
		city.Province = "省" + cityCode.String()[:2]
		r.rep.warnf("no province name given: the province is called %s", city.Province)
	}
	for _, u := range us {
		if u.Code == cityCode {
			city.Name = u.Name
		}
	}
	repaired, err := r.repair(ctx, grids, us)
	if err != nil {
		return nil, nil, err
	}
	r.gridsOf(city, grids, repaired)
	if err := r.features(ctx, city); err != nil {
		return nil, nil, err
	}
	if err := r.staff(city); err != nil {
		return nil, nil, err
	}
	r.o.progress(StepValidate, 0, 1)
	cityio.Normalize(city)
	if err := cityio.Validate(city); err != nil {
		return nil, nil, r.validationFaults(err)
	}
	r.o.progress(StepValidate, 1, 1)
	r.count(city)
	return city, repaired.geojson, nil
}

// prepare chooses columns, builds points from coordinate columns and
// reprojects every layer to WGS-84.
func (r *run) prepare(ctx context.Context) error {
	total, done := 0, 0
	for _, in := range r.o.Inputs {
		total += len(in.Layer.Features)
	}
	for _, role := range Roles {
		in, ok := r.o.Inputs[role]
		if !ok {
			continue
		}
		l := in.Layer
		cols, err := chooseColumns(role, l, r.o.Mapping)
		if err != nil {
			r.fs.add(err)
			continue
		}
		r.cols[role] = cols
		proj, err := layerProjection(role, in, r.o.CRS)
		if err != nil {
			r.fs.add(err)
			continue
		}
		if err := checkUnits(l, proj); err != nil {
			r.fs.add(err)
			continue
		}
		r.rep.Inputs = append(r.rep.Inputs, InputReport{Role: role, Source: l.Source, Layer: l.Name, Features: len(l.Features),
			Encoding: encodingText(l.Encoding, l.EncodingFrom), CRS: proj.name, Columns: cols.list(role), Note: in.Note})
		for i := range l.Features {
			f := &l.Features[i]
			if f.Geometry == nil {
				continue
			}
			g, err := projectGeometry(f.Geometry, proj.to)
			if err != nil {
				r.fs.addf(l, f.Index, "%v", err)
			}
			f.Geometry = g
			if done++; done%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				r.o.progress(StepProject, done, total)
			}
		}
	}
	r.o.progress(StepProject, total, total)
	return r.fs.err()
}

func encodingText(enc, from string) string {
	if from == "" {
		return enc
	}
	return enc + " (" + from + ")"
}

// repair hands the grids to package repair and records its changes. An
// unrepairable grid is a fault naming the grids file and its feature.
func (r *run) repair(ctx context.Context, grids []*gridRec, units []*geo.Unit) (*repairOutput, error) {
	in := repairInput{opts: r.o.Repair.withDefaults().options()}
	feature := map[string]int{}
	for _, g := range grids {
		key := g.code.String()
		in.grids = append(in.grids, repair.Grid{Key: key, Community: g.comm.String(), Geometry: g.geom})
		if _, ok := feature[key]; !ok {
			feature[key] = g.feature
		}
		r.rep.CommunitiesBy[g.commFrom]++
	}
	for _, u := range units {
		if u.Level() == geo.LevelCommunity && len(u.Geometry) > 0 {
			in.communities = append(in.communities, repair.Community{Key: u.Code.String(), Geometry: u.Geometry})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.o.progress(StepRepair, 0, len(in.grids))
	out, err := repairGrids(in)
	var re *repair.Error
	if errors.As(err, &re) {
		gl := r.o.Inputs[RoleGrids].Layer
		for _, f := range re.Faults {
			r.fs.addf(gl, feature[f.Grid], "%s", f.String())
		}
		return nil, r.fs.err()
	}
	if err != nil {
		return nil, err
	}
	r.o.progress(StepRepair, len(in.grids), len(in.grids))
	for _, rec := range out.records {
		r.rep.addRepair(rec)
	}
	for _, u := range units {
		if g, ok := out.communities[u.Code]; ok && u.Level() == geo.LevelCommunity {
			u.Geometry = g
		}
	}
	return out, nil
}

// gridsOf puts the repaired grids into city, with ids in code order and
// names from the data or made from the community's name.
func (r *run) gridsOf(city *geo.City, recs []*gridRec, out *repairOutput) {
	names := map[geo.GridCode]string{}
	ids := map[geo.GridCode]uint64{}
	for _, g := range recs {
		if g.name != "" && names[g.code] == "" {
			names[g.code] = g.name
		}
		ids[g.code] = g.id
	}
	unitName := map[geo.DivisionCode]string{}
	for _, u := range city.Units {
		unitName[u.Code] = u.ShortName()
	}
	for _, rg := range out.grids {
		name := names[rg.code]
		if name == "" {
			name = fmt.Sprintf("%s第%d网格", unitName[rg.comm], rg.code.Seq())
		}
		city.Grids = append(city.Grids, &geo.Grid{Code: rg.code, Name: name, Geometry: rg.geom})
	}
	slices.SortFunc(city.Grids, func(a, b *geo.Grid) int { return cmp.Compare(a.Code, b.Code) })
	own := ownIDs(len(city.Grids), func(i int) uint64 { return ids[city.Grids[i].Code] })
	for i, g := range city.Grids {
		g.ID = geo.GridID(i + 1)
		if own {
			g.ID = geo.GridID(ids[g.Code])
		}
		g.Bound = g.Geometry.Bound()
	}
}

// features builds the buildings, stations and streets, and the grids'
// counts.
func (r *run) features(ctx context.Context, city *geo.City) error {
	loc := geo.NewLocator(city.Grids)
	units := map[geo.DivisionCode]*geo.Unit{}
	for _, u := range city.Units {
		units[u.Code] = u
	}
	if in, ok := r.o.Inputs[RoleBuildings]; ok {
		r.o.progress(StepBuildings, 0, len(in.Layer.Features))
		bc := &buildingCtx{loc: loc, units: units, city: city, rep: r.rep, fs: &r.fs}
		city.Buildings = bc.readBuildings(in.Layer, r.cols[RoleBuildings])
		r.o.progress(StepBuildings, len(in.Layer.Features), len(in.Layer.Features))
	}
	if in, ok := r.o.Inputs[RoleStations]; ok {
		city.Stations = readStations(in.Layer, r.cols[RoleStations], loc, &r.fs, r.rep)
	}
	if in, ok := r.o.Inputs[RoleStreets]; ok {
		city.Streets = readStreets(in.Layer, r.cols[RoleStreets], r.rep)
	}
	byCode := map[geo.GridCode]*geo.Grid{}
	for _, g := range city.Grids {
		byCode[g.Code] = g
	}
	for _, b := range city.Buildings {
		g := byCode[b.Grid]
		g.Households += b.Households
		g.Buildings++
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.fs.err()
}

// count fills the report's counts.
func (r *run) count(c *geo.City) {
	n := &r.rep.Counts
	n.Units, n.Grids, n.Buildings, n.Stations, n.Streets = len(c.Units), len(c.Grids), len(c.Buildings), len(c.Stations), len(c.Streets)
	for _, b := range c.Buildings {
		n.Households += b.Households
	}
}

// validationFaults turns cityio's problems into faults, each naming the
// file of its layer (the pipeline's roles are cityio's layers).
func (r *run) validationFaults(err error) error {
	var ve *cityio.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	fe := &FaultError{}
	for _, p := range ve.Problems {
		where := "the built city"
		if in, ok := r.o.Inputs[Role(p.Layer)]; ok {
			where = in.Layer.Source
		}
		fe.Faults = append(fe.Faults, fmt.Errorf("%s: after repair, %s", where, p.String()))
	}
	return fe
}

// ownIDs reports whether the data's own ids (id(i) for i < n) are all
// positive and distinct, so that they can be kept as the stable ids.
func ownIDs(n int, id func(i int) uint64) bool {
	seen := make(map[uint64]bool, n)
	for i := range n {
		v := id(i)
		if v == 0 || seen[v] {
			return false
		}
		seen[v] = true
	}
	return n > 0
}
