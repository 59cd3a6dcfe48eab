package store

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
)

// key returns the big-endian key of a version, so keys sort by version.
func key(v uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], v)
	return k[:]
}

// version decodes a key written by key.
func version(k []byte) uint64 {
	if len(k) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}

// A checkpoint is a stored state. The base (version 0) holds the whole
// city, its buildings in columns; later ones hold only what changesets
// change: the grids (those the base does not hold in full), the buildings
// whose grid differs from the base, and the code history. Checkpoints
// written before the columns hold the base buildings in City and every
// grid in Grids; they load as before.
type checkpoint struct {
	Version   uint64
	Time      time.Time
	City      *geo.City
	Buildings *buildingColumns
	Grids     []*geo.Grid
	GridRefs  *gridRefs
	Moved     []movedBuilding
	History   []byte
}

// A movedBuilding is a building whose grid differs from the base city's.
type movedBuilding struct {
	ID   geo.BuildingID
	Grid geo.GridCode
}

// encodeCheckpoint gob-encodes and gzips a checkpoint of st. With base nil
// it stores the whole city (the base checkpoint).
func encodeCheckpoint(st *State, base *baseCity) ([]byte, error) {
	hist, err := json.Marshal(st.History)
	if err != nil {
		return nil, fmt.Errorf("encoding checkpoint %d: %w", st.Version, err)
	}
	cp := checkpoint{Version: st.Version, Time: st.Time, History: hist}
	if base == nil {
		c := *st.City
		c.Buildings = nil
		cp.City, cp.Buildings = &c, newBuildingColumns(st.City.Buildings)
	} else {
		cp.GridRefs = newGridRefs(st.City.Grids, base)
		for _, b := range st.City.Buildings {
			if i, ok := base.index[b.ID]; !ok || base.city.Buildings[i].Grid != b.Grid {
				cp.Moved = append(cp.Moved, movedBuilding{ID: b.ID, Grid: b.Grid})
			}
		}
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := gob.NewEncoder(zw).Encode(&cp); err != nil {
		return nil, fmt.Errorf("encoding checkpoint %d: %w", st.Version, err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("encoding checkpoint %d: %w", st.Version, err)
	}
	return buf.Bytes(), nil
}

// decodeCheckpoint reverses encodeCheckpoint. data may be bbolt memory:
// nothing decoded refers to it.
func decodeCheckpoint(data []byte) (*checkpoint, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", ErrCorrupt, err)
	}
	var cp checkpoint
	if err := gob.NewDecoder(zr).Decode(&cp); err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", ErrCorrupt, err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", ErrCorrupt, err)
	}
	if cp.City != nil && cp.Buildings != nil {
		if cp.City.Buildings, err = cp.Buildings.buildings(); err != nil {
			return nil, err
		}
		cp.Buildings = nil
	}
	return &cp, nil
}

// A baseCity is the version-0 city with its buildings and grids indexed
// by id.
type baseCity struct {
	city  *geo.City
	index map[geo.BuildingID]int
	grids map[geo.GridID]*geo.Grid
	// zero is the version-0 state (on city), once known; later states
	// share its city instead of decoding the base checkpoint again.
	zero *State
}

// newBaseCity indexes the base city.
func newBaseCity(c *geo.City) *baseCity {
	b := &baseCity{city: c, index: make(map[geo.BuildingID]int, len(c.Buildings)), grids: make(map[geo.GridID]*geo.Grid, len(c.Grids))}
	for i, bl := range c.Buildings {
		b.index[bl.ID] = i
	}
	for _, g := range c.Grids {
		b.grids[g.ID] = g
	}
	return b
}

// state rebuilds the State a checkpoint holds on top of the base city.
func (b *baseCity) state(cp *checkpoint) (*State, error) {
	var hist edit.CodeHistory
	if err := json.Unmarshal(cp.History, &hist); err != nil {
		return nil, fmt.Errorf("%w: checkpoint %d history: %v", ErrCorrupt, cp.Version, err)
	}
	if cp.City != nil {
		return &State{Version: cp.Version, Time: cp.Time, City: cp.City, History: &hist}, nil
	}
	c := *b.city
	c.Grids = cp.Grids
	if cp.GridRefs != nil {
		var err error
		if c.Grids, err = cp.GridRefs.resolve(b, cp.Version); err != nil {
			return nil, err
		}
	}
	if len(cp.Moved) > 0 {
		c.Buildings = append([]*geo.Building(nil), b.city.Buildings...)
		for _, m := range cp.Moved {
			i, ok := b.index[m.ID]
			if !ok {
				return nil, fmt.Errorf("%w: checkpoint %d moves unknown building %d", ErrCorrupt, cp.Version, m.ID)
			}
			nb := *c.Buildings[i]
			nb.Grid = m.Grid
			c.Buildings[i] = &nb
		}
	}
	return &State{Version: cp.Version, Time: cp.Time, City: &c, History: &hist}, nil
}

// Replay applies changesets in order to st, returning a new state; st is
// not modified. The history is cloned once and recorded into. Every Store
// implementation replays with it, so they agree on what a changeset does.
func Replay(st *State, css ...*Changeset) (*State, error) {
	city, hist := st.City, st.History.Clone()
	next := &State{Version: st.Version, Time: st.Time}
	for _, cs := range css {
		if cs.Version != next.Version+1 {
			return nil, fmt.Errorf("%w: changeset %d follows version %d", ErrCorrupt, cs.Version, next.Version)
		}
		d, err := cs.Delta()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if city, err = d.Apply(city); err != nil {
			return nil, fmt.Errorf("%w: changeset %d: %v", ErrInvalid, cs.Version, err)
		}
		hist.Record(d.Changes, cs.Time)
		next.Version, next.Time = cs.Version, cs.Time
	}
	next.City, next.History = city, hist
	return next, nil
}
