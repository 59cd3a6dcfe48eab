package shapefile

import (
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
)

// srsOf returns the SRS a .prj declares: its WKT as written, and the EPSG
// code of the root's AUTHORITY["EPSG","n"] (WKT1) or ID["EPSG",n] (WKT2)
// when it has one. ESRI-flavoured .prj files usually carry none; the
// pipeline then resolves the WKT. The WKT is not otherwise interpreted.
func srsOf(prj []byte) ingest.SRS {
	wkt := strings.TrimSpace(strings.TrimPrefix(string(prj), "\uFEFF"))
	return ingest.SRS{WKT: wkt, EPSG: rootEPSG(wkt)}
}

// rootEPSG finds an AUTHORITY or ID node directly under the WKT's root
// node naming EPSG, and returns its code (0 when there is none).
func rootEPSG(wkt string) int {
	depth := 0
	inString := false
	for i := 0; i < len(wkt); i++ {
		switch c := wkt[i]; {
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '(':
			if depth == 1 {
				if code, ok := authority(wkt[:i], wkt[i+1:]); ok {
					return code
				}
			}
			depth++
		case c == ']' || c == ')':
			depth--
		}
	}
	return 0
}

// authority parses `"EPSG","4544"]` or `"EPSG",4544]` after an opening
// bracket when the keyword before it is AUTHORITY or ID.
func authority(before, after string) (int, bool) {
	kw := strings.ToUpper(before[strings.LastIndexAny(before, ",[( \t\r\n")+1:])
	if kw != "AUTHORITY" && kw != "ID" {
		return 0, false
	}
	end := strings.IndexAny(after, "])")
	if end < 0 {
		return 0, false
	}
	parts := strings.Split(after[:end], ",")
	if len(parts) < 2 || !strings.EqualFold(strings.Trim(strings.TrimSpace(parts[0]), `"`), "EPSG") {
		return 0, false
	}
	code, err := strconv.Atoi(strings.Trim(strings.TrimSpace(parts[1]), `"`))
	if err != nil || code <= 0 {
		return 0, false
	}
	return code, true
}
