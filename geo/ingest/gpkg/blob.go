package gpkg

import (
	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb"
)

// The GeoPackage binary header's flag bits (GeoPackage 1.3, 2.1.3).
const (
	flagLittleEndian = 1 << 0
	flagEnvelope     = 7 << 1 // envelope contents indicator, bits 1-3
	flagEmpty        = 1 << 4
	flagExtended     = 1 << 5
)

// envelopeBytes is the envelope size for each contents indicator 0-4:
// none, xy, xyz, xym, xyzm.
var envelopeBytes = [...]int{0, 32, 48, 48, 64}

// decodeBlob decodes a GeoPackage geometry blob: the "GP" header (magic,
// version, flags, srs_id, envelope) then ISO WKB. It returns nil for a
// blob flagged empty or an empty WKB geometry, and the header's srs_id.
func decodeBlob(b []byte) (orb.Geometry, int32, error) {
	if len(b) < 8 {
		return nil, 0, fmt.Errorf("geometry blob of %d bytes, shorter than the 8-byte GeoPackage header", len(b))
	}
	if b[0] != 'G' || b[1] != 'P' {
		return nil, 0, fmt.Errorf("geometry blob starts %q, not the GeoPackage magic \"GP\"", b[:2])
	}
	if b[2] != 0 {
		return nil, 0, fmt.Errorf("geometry blob version %d, want 0 (GeoPackage 1)", b[2])
	}
	flags := b[3]
	if flags&flagExtended != 0 {
		return nil, 0, fmt.Errorf("extended GeoPackage geometry (flags %#x) is not supported", flags)
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&flagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	srs := int32(order.Uint32(b[4:8]))
	env := int(flags&flagEnvelope) >> 1
	if env >= len(envelopeBytes) {
		return nil, srs, fmt.Errorf("geometry blob envelope indicator %d (flags %#x), want 0-4", env, flags)
	}
	start := 8 + envelopeBytes[env]
	if len(b) < start {
		return nil, srs, fmt.Errorf("geometry blob of %d bytes ends inside its %d-byte envelope", len(b), envelopeBytes[env])
	}
	if flags&flagEmpty != 0 {
		return nil, srs, nil
	}
	g, err := decodeWKB(b[start:])
	if err != nil {
		return nil, srs, err
	}
	return g, srs, nil
}
