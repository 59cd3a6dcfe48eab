package osmload

import (
	"encoding/xml"

	"github.com/paulmach/osm"
)

func xmlUnmarshal(data []byte, o *osm.OSM) error { return xml.Unmarshal(data, o) }
