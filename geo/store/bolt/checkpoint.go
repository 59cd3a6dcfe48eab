package bolt

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
	"github.com/gridmap/gridmap/geo/store"
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
// city, its bulk in raw columns (see encodeBase); later ones hold only what changesets
// change: the grids (those the base does not hold in full), the buildings
// whose grid differs from the base, and the code history. Checkpoints
// written before the columns hold the base buildings in City and every
// grid in Grids, and base checkpoints of format 2 hold the building
// columns inside the gob; they load as before.
type checkpoint struct {
	Version   uint64
	Time      time.Time
	City      *geo.City
	Buildings *buildingColumns
	Grids     []*geo.Grid
	GridRefs  *gridRefs
	Moved     []store.MovedBuilding
	History   []byte
}

// encodeCheckpoint gob-encodes and gzips a checkpoint of st. With base nil
// it stores the whole city (the base checkpoint, see encodeBase).
func encodeCheckpoint(st *store.State, base *store.BaseCity) ([]byte, error) {
	hist, err := json.Marshal(st.History)
	if err != nil {
		return nil, fmt.Errorf("encoding checkpoint %d: %w", st.Version, err)
	}
	cp := checkpoint{Version: st.Version, Time: st.Time, History: hist}
	if base == nil {
		return encodeBase(&cp, st.City)
	}
	cp.GridRefs, cp.Moved = newGridRefs(st.City.Grids, base), base.Moved(st.City)
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
	if isBase(data) {
		return decodeBase(data)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", store.ErrCorrupt, err)
	}
	var cp checkpoint
	if err := gob.NewDecoder(zr).Decode(&cp); err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", store.ErrCorrupt, err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", store.ErrCorrupt, err)
	}
	if cp.City != nil && cp.Buildings != nil {
		if cp.City.Buildings, err = cp.Buildings.buildings(); err != nil {
			return nil, err
		}
		cp.Buildings = nil
	}
	return &cp, nil
}

// stateOf rebuilds the State a checkpoint holds on top of the base city.
func stateOf(base *store.BaseCity, cp *checkpoint) (*store.State, error) {
	var hist edit.CodeHistory
	if err := json.Unmarshal(cp.History, &hist); err != nil {
		return nil, fmt.Errorf("%w: checkpoint %d history: %v", store.ErrCorrupt, cp.Version, err)
	}
	st := &store.State{Version: cp.Version, Time: cp.Time, City: cp.City, History: &hist}
	if cp.City != nil {
		return st, nil
	}
	grids := cp.Grids
	if cp.GridRefs != nil {
		var err error
		if grids, err = cp.GridRefs.resolve(base, cp.Version); err != nil {
			return nil, err
		}
	}
	var err error
	if st.City, err = base.Rebuild(cp.Version, grids, cp.Moved); err != nil {
		return nil, err
	}
	return st, nil
}
