package tiles

import "encoding/binary"

// MVT geometry commands (specification 4.3).
const (
	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

func command(id, count uint32) uint32 { return id&7 | count<<3 }

func zigzag(v int32) uint32 { return uint32((v << 1) ^ (v >> 31)) }

// Protocol buffer field keys (field number << 3 | wire type) of the MVT
// messages the encoder writes. It writes the fields of every message in
// field number order, as the gogo/protobuf code of orb's vectortile
// package does, so its tiles are byte for byte what that code marshals.
const (
	// The wire types the keys use.
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2

	keyTileLayer    = 3<<3 | 2
	keyLayerName    = 1<<3 | 2
	keyLayerFeature = 2<<3 | 2
	keyLayerKey     = 3<<3 | 2
	keyLayerValue   = 4<<3 | 2
	keyLayerExtent  = 5<<3 | wireVarint
	keyLayerVersion = 15<<3 | wireVarint
	keyFeatureID    = 1<<3 | wireVarint
	keyFeatureTags  = 2<<3 | 2
	keyFeatureType  = 3<<3 | wireVarint
	keyFeatureGeom  = 4<<3 | 2
	layerVersion    = 2
)

// The MVT geometry types.
const (
	geomTypePoint   = 1
	geomTypeLine    = 2
	geomTypePolygon = 3
)

// An encoder writes one tile as MVT 2.1 protocol buffer bytes. Its buffers
// are reused between tiles (through the renderer's pool).
type encoder struct {
	out    []byte   // the finished layers
	layer  []byte   // the current layer: its name, then its features
	values []uint32 // the dictionary indices of the current layer's values, in tile order
	tags   []uint32 // the current feature's tags, renumbered
	geom   []uint32 // the current feature's geometry commands
	remap  []uint32 // dictionary index -> tile value index + 1
	cands  []int32
	stack  []int32
	ends   []int
	clip   clipper
	feats  int   // features written in the current layer
	cx, cy int32 // cursor of the current feature's geometry
}

// reset empties the encoder for a new tile, keeping its memory.
func (e *encoder) reset() { e.out = e.out[:0] }

// beginLayer starts a layer named name whose values come from d.
func (e *encoder) beginLayer(name string, d *valueDict) {
	e.layer = appendString(e.layer[:0], keyLayerName, name)
	e.values, e.feats = e.values[:0], 0
	if cap(e.remap) < d.len() {
		e.remap = make([]uint32, d.len())
	}
	e.remap = e.remap[:d.len()]
}

// beginFeature starts the geometry of a feature.
func (e *encoder) beginFeature() {
	e.geom = e.geom[:0]
	e.cx, e.cy = 0, 0
}

// point adds a MoveTo of one point to the current feature.
func (e *encoder) point(x, y int32) {
	e.geom = append(e.geom, command(cmdMoveTo, 1), zigzag(x-e.cx), zigzag(y-e.cy))
	e.cx, e.cy = x, y
}

// path adds a MoveTo and a LineTo through the x, y pairs of pts, and a
// ClosePath when closed.
func (e *encoder) path(pts []int32, closed bool) {
	e.point(pts[0], pts[1])
	e.geom = append(e.geom, command(cmdLineTo, uint32(len(pts)/2-1)))
	for i := 2; i+1 < len(pts); i += 2 {
		x, y := pts[i], pts[i+1]
		e.geom = append(e.geom, zigzag(x-e.cx), zigzag(y-e.cy))
		e.cx, e.cy = x, y
	}
	if closed {
		e.geom = append(e.geom, command(cmdClosePath, 1))
	}
}

// endFeature writes the current feature with its id, geometry type and
// packed tags (key, dictionary value pairs, see tagTable); a feature
// without geometry is dropped.
func (e *encoder) endFeature(id uint64, typ uint32, packed []byte) {
	if len(e.geom) == 0 {
		return
	}
	e.tags = e.tags[:0]
	for len(packed) > 0 {
		var k, v uint32
		k, packed = nextTag(packed)
		v, packed = nextTag(packed)
		if e.remap[v] == 0 {
			e.values = append(e.values, v)
			e.remap[v] = uint32(len(e.values))
		}
		e.tags = append(e.tags, k, e.remap[v]-1)
	}
	tagBytes, geomBytes := packedLen(e.tags), packedLen(e.geom)
	size := 1 + uvarintLen(id) + 2 + 1 + uvarintLen(uint64(geomBytes)) + geomBytes
	if len(e.tags) > 0 {
		size += 1 + uvarintLen(uint64(tagBytes)) + tagBytes
	}
	b := binary.AppendUvarint(append(e.layer, keyLayerFeature), uint64(size))
	b = binary.AppendUvarint(append(b, keyFeatureID), id)
	if len(e.tags) > 0 {
		b = appendPacked(binary.AppendUvarint(append(b, keyFeatureTags), uint64(tagBytes)), e.tags)
	}
	b = append(b, keyFeatureType, byte(typ))
	b = appendPacked(binary.AppendUvarint(append(b, keyFeatureGeom), uint64(geomBytes)), e.geom)
	e.layer = b
	e.feats++
}

// endLayer finishes the layer with its keys, values, extent and version;
// a layer without features is left out.
func (e *encoder) endLayer(info *LayerInfo, d *valueDict) {
	for _, v := range e.values {
		e.remap[v] = 0
	}
	if e.feats == 0 {
		return
	}
	b := e.layer
	for _, k := range info.keys {
		b = appendString(b, keyLayerKey, k)
	}
	for _, v := range e.values {
		b = d.appendValue(append(b, keyLayerValue), v)
	}
	b = binary.AppendUvarint(append(b, keyLayerExtent), Extent)
	b = binary.AppendUvarint(append(b, keyLayerVersion), layerVersion)
	e.layer = b
	e.out = binary.AppendUvarint(append(e.out, keyTileLayer), uint64(len(b)))
	e.out = append(e.out, b...)
}

// marshal returns a copy of the finished tile; nil for a tile without any
// feature.
func (e *encoder) marshal() []byte {
	if len(e.out) == 0 {
		return nil
	}
	return append([]byte(nil), e.out...)
}

// appendString appends a length-delimited string field.
func appendString(b []byte, key byte, s string) []byte {
	return append(binary.AppendUvarint(append(b, key), uint64(len(s))), s...)
}

// appendPacked appends numbers as unsigned varints.
func appendPacked(b []byte, nums []uint32) []byte {
	for _, v := range nums {
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		b = append(b, byte(v))
	}
	return b
}

// packedLen returns the bytes appendPacked writes for nums.
func packedLen(nums []uint32) int {
	n := 0
	for _, v := range nums {
		n += uvarintLen(uint64(v))
	}
	return n
}

// uvarintLen returns the bytes of v as an unsigned varint.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
