package osmload

import "github.com/paulmach/osm"

// highwayFoot says whether a highway value is walkable and whether it
// needs an explicit foot tag to be (cycleways and bridleways do).
func highwayFoot(v string) (walkable, needsFoot bool) {
	switch v {
	case "footway", "pedestrian", "path", "steps", "residential", "living_street",
		"service", "unclassified", "road", "track", "corridor",
		"tertiary", "tertiary_link", "secondary", "secondary_link",
		"primary", "primary_link", "trunk", "trunk_link":
		return true, false
	case "cycleway", "bridleway":
		return true, true
	}
	return false, false
}

// Walkable reports whether a way with these tags may be walked: a walkable
// highway value, not an area, and not closed to people on foot. A foot tag
// that allows walking overrides access=no/private.
func Walkable(tags osm.Tags) bool {
	ok, needsFoot := highwayFoot(tags.Find("highway"))
	if !ok || tags.Find("area") == "yes" {
		return false
	}
	switch tags.Find("foot") {
	case "no", "private", "use_sidepath":
		return false
	case "yes", "designated", "permissive", "destination", "discouraged":
		return true
	}
	if needsFoot {
		return false
	}
	switch tags.Find("access") {
	case "no", "private":
		return false
	}
	return true
}
