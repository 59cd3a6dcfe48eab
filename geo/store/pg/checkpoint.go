package pg

import (
	"bytes"
	"compress/gzip"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

// A cityBody is a checkpoint's city column before compression. The base
// checkpoint (version 0) holds the whole City; later ones only what
// changesets change: every grid and the buildings whose grid differs
// from the base city's.
type cityBody struct {
	City  *geo.City
	Grids []*geo.Grid
	Moved []store.MovedBuilding
}

// encodeCheckpoint returns the city and history columns of a checkpoint
// of st. With base nil it stores the whole city (the base checkpoint).
func encodeCheckpoint(st *store.State, base *store.BaseCity) (city, history []byte, err error) {
	body := cityBody{}
	if base == nil {
		body.City = st.City
	} else {
		body.Grids, body.Moved = st.City.Grids, base.Moved(st.City)
	}
	if city, err = gzipped(func(w io.Writer) error { return gob.NewEncoder(w).Encode(&body) }); err != nil {
		return nil, nil, fmt.Errorf("encoding checkpoint %d: %w", st.Version, err)
	}
	if history, err = gzipped(func(w io.Writer) error { return json.NewEncoder(w).Encode(st.History) }); err != nil {
		return nil, nil, fmt.Errorf("encoding checkpoint %d history: %w", st.Version, err)
	}
	return city, history, nil
}

// gzipped returns what write writes, gzipped.
func gzipped(write func(io.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := write(zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gunzipped runs read on the decompressed data and checks that the
// stream is whole.
func gunzipped(data []byte, read func(io.Reader) error) error {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := read(zr); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, zr)
	return err
}

// decodeCheckpoint decodes the columns of checkpoint v.
func decodeCheckpoint(v uint64, city, history []byte) (*cityBody, *edit.CodeHistory, error) {
	var body cityBody
	if err := gunzipped(city, func(r io.Reader) error { return gob.NewDecoder(r).Decode(&body) }); err != nil {
		return nil, nil, fmt.Errorf("%w: checkpoint %d city: %v", store.ErrCorrupt, v, err)
	}
	var hist edit.CodeHistory
	if err := gunzipped(history, func(r io.Reader) error { return json.NewDecoder(r).Decode(&hist) }); err != nil {
		return nil, nil, fmt.Errorf("%w: checkpoint %d history: %v", store.ErrCorrupt, v, err)
	}
	return &body, &hist, nil
}
