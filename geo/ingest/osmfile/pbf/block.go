package pbf

import (
	"fmt"

	"github.com/paulmach/osm"
	"google.golang.org/protobuf/encoding/protowire"
)

// A block is a decoded PrimitiveBlock's string table and coordinate
// frame.
type block struct {
	strings        []string
	granularity    int64
	latOff, lonOff int64
	groups         [][]byte
	emit           func(osm.Object) error
	// scratch is reused for every dense node: emit copies what it keeps.
	scratch osm.Node
}

// decodeBlock decodes an OSMData PrimitiveBlock and emits its objects.
func decodeBlock(b []byte, emit func(osm.Object) error) error {
	blk := &block{granularity: 100, emit: emit}
	var table []byte
	err := eachField(b, func(num protowire.Number, v []byte, x uint64) error {
		switch num {
		case 1:
			table = v
		case 2:
			blk.groups = append(blk.groups, v)
		case 17:
			blk.granularity = int64(int32(x))
		case 19:
			blk.latOff = int64(x)
		case 20:
			blk.lonOff = int64(x)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if blk.granularity <= 0 {
		return fmt.Errorf("granularity %d is not positive", blk.granularity)
	}
	err = eachField(table, func(num protowire.Number, v []byte, _ uint64) error {
		if num == 1 {
			blk.strings = append(blk.strings, string(v))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("string table: %w", err)
	}
	for _, g := range blk.groups {
		if err := eachField(g, blk.group); err != nil {
			return err
		}
	}
	return nil
}

// group decodes one field of a PrimitiveGroup.
func (blk *block) group(num protowire.Number, v []byte, _ uint64) error {
	switch num {
	case 1:
		return blk.node(v)
	case 2:
		return blk.dense(v)
	case 3:
		return blk.way(v)
	case 4:
		return blk.relation(v)
	}
	return nil
}

func (blk *block) str(i uint64) (string, error) {
	if i >= uint64(len(blk.strings)) {
		return "", fmt.Errorf("string index %d is outside the block's string table of %d", i, len(blk.strings))
	}
	return blk.strings[i], nil
}

// tags pairs key and value string indexes.
func (blk *block) tags(keys, vals []uint64) (osm.Tags, error) {
	if len(keys) != len(vals) {
		return nil, fmt.Errorf("%d tag keys but %d values", len(keys), len(vals))
	}
	var out osm.Tags
	for i := range keys {
		k, err := blk.str(keys[i])
		if err != nil {
			return nil, err
		}
		v, err := blk.str(vals[i])
		if err != nil {
			return nil, err
		}
		out = append(out, osm.Tag{Key: k, Value: v})
	}
	return out, nil
}

func (blk *block) coord(lat, lon int64) (float64, float64) {
	return 1e-9 * float64(blk.latOff+blk.granularity*lat), 1e-9 * float64(blk.lonOff+blk.granularity*lon)
}

// element holds the fields common to Node, Way and Relation messages.
type element struct {
	id         int64
	keys, vals []uint64
	lat, lon   int64
	// refs (way node ids, relation member ids), roles and types.
	refs         []int64
	roles, types []uint64
}

func parseElement(v []byte, zigzagID bool) (element, error) {
	var e element
	err := eachField(v, func(num protowire.Number, p []byte, x uint64) error {
		var err error
		switch num {
		case 1:
			e.id = int64(x)
			if zigzagID {
				e.id = protowire.DecodeZigZag(x)
			}
		case 2:
			e.keys, err = packed(p)
		case 3:
			e.vals, err = packed(p)
		}
		return err
	})
	return e, err
}

// node decodes a plain (non-dense) Node.
func (blk *block) node(v []byte) error {
	e, err := parseElement(v, true)
	if err != nil {
		return err
	}
	err = eachField(v, func(num protowire.Number, _ []byte, x uint64) error {
		switch num {
		case 8:
			e.lat = protowire.DecodeZigZag(x)
		case 9:
			e.lon = protowire.DecodeZigZag(x)
		}
		return nil
	})
	if err != nil {
		return err
	}
	tags, err := blk.tags(e.keys, e.vals)
	if err != nil {
		return fmt.Errorf("node %d: %w", e.id, err)
	}
	lat, lon := blk.coord(e.lat, e.lon)
	return blk.emit(&osm.Node{ID: osm.NodeID(e.id), Lat: lat, Lon: lon, Tags: tags, Visible: true})
}

// dense decodes DenseNodes: delta-coded ids and coordinates, and tags as
// key/value string indexes with a 0 after each node's.
func (blk *block) dense(v []byte) error {
	var ids, lats, lons []int64
	var kv []uint64
	err := eachField(v, func(num protowire.Number, p []byte, _ uint64) error {
		var err error
		switch num {
		case 1:
			ids, err = deltas(p)
		case 8:
			lats, err = deltas(p)
		case 9:
			lons, err = deltas(p)
		case 10:
			kv, err = packed(p)
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(lats) != len(ids) || len(lons) != len(ids) {
		return fmt.Errorf("dense nodes: %d ids, %d latitudes, %d longitudes", len(ids), len(lats), len(lons))
	}
	for i, id := range ids {
		var tags osm.Tags
		for len(kv) > 0 {
			if kv[0] == 0 {
				kv = kv[1:]
				break
			}
			if len(kv) < 2 {
				return fmt.Errorf("node %d: a tag key without a value", id)
			}
			t, err := blk.tags(kv[:1], kv[1:2])
			if err != nil {
				return fmt.Errorf("node %d: %w", id, err)
			}
			tags = append(tags, t...)
			kv = kv[2:]
		}
		lat, lon := blk.coord(lats[i], lons[i])
		blk.scratch = osm.Node{ID: osm.NodeID(id), Lat: lat, Lon: lon, Tags: tags, Visible: true}
		if err := blk.emit(&blk.scratch); err != nil {
			return err
		}
	}
	return nil
}

// way decodes a Way: tags and delta-coded node references.
func (blk *block) way(v []byte) error {
	e, err := parseElement(v, false)
	if err != nil {
		return err
	}
	err = eachField(v, func(num protowire.Number, p []byte, _ uint64) error {
		if num == 8 {
			e.refs, err = deltas(p)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("way %d: %w", e.id, err)
	}
	tags, err := blk.tags(e.keys, e.vals)
	if err != nil {
		return fmt.Errorf("way %d: %w", e.id, err)
	}
	nodes := make(osm.WayNodes, len(e.refs))
	for i, r := range e.refs {
		nodes[i].ID = osm.NodeID(r)
	}
	return blk.emit(&osm.Way{ID: osm.WayID(e.id), Nodes: nodes, Tags: tags, Visible: true})
}

// relation decodes a Relation: tags and members (role string indexes,
// delta-coded member ids, member types).
func (blk *block) relation(v []byte) error {
	e, err := parseElement(v, false)
	if err != nil {
		return err
	}
	err = eachField(v, func(num protowire.Number, p []byte, _ uint64) error {
		switch num {
		case 8:
			e.roles, err = packed(p)
		case 9:
			e.refs, err = deltas(p)
		case 10:
			e.types, err = packed(p)
		}
		return err
	})
	if err == nil && (len(e.roles) != len(e.refs) || len(e.types) != len(e.refs)) {
		err = fmt.Errorf("%d member roles, %d ids, %d types", len(e.roles), len(e.refs), len(e.types))
	}
	var tags osm.Tags
	if err == nil {
		tags, err = blk.tags(e.keys, e.vals)
	}
	if err != nil {
		return fmt.Errorf("relation %d: %w", e.id, err)
	}
	members := make(osm.Members, len(e.refs))
	for i := range members {
		role, err := blk.str(e.roles[i])
		if err != nil {
			return fmt.Errorf("relation %d: %w", e.id, err)
		}
		var typ osm.Type
		switch e.types[i] {
		case 0:
			typ = osm.TypeNode
		case 1:
			typ = osm.TypeWay
		case 2:
			typ = osm.TypeRelation
		default:
			return fmt.Errorf("relation %d: member type %d is not node, way or relation", e.id, e.types[i])
		}
		members[i] = osm.Member{Type: typ, Ref: e.refs[i], Role: role}
	}
	return blk.emit(&osm.Relation{ID: osm.RelationID(e.id), Members: members, Tags: tags, Visible: true})
}
