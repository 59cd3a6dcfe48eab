package server

import (
	"bytes"
	_ "embed" // the web map's style
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// gridmapStyle is the web map's style as a standalone MapLibre style,
// written by web/tools/style-json.mjs from web/static/js/style.js (the
// page's style) with its URLs under styleOrigin.
//
//go:embed style_gridmap.json
var gridmapStyle []byte

// styleOrigin is the placeholder origin of gridmapStyle's URLs.
const styleOrigin = "http://gridmap.invalid/"

// handleStyle answers GET /styles/gridmap.json: the web map's base style
// (MapLibre style version 8: districts to buildings, streets, stations and
// labels, fonts from the vendored Noto Sans SC) with absolute URLs on the
// request's own Host (X-Forwarded-Host is not trusted), its source being
// this server's /tiles.json, for QGIS, Maputnik or any MapLibre client.
func (s *Server) handleStyle(c *fiber.Ctx) error {
	origin := hostOrigin(string(c.Request().Host()), c.Protocol() == "https")
	if origin == "" {
		return fieldErr(http.StatusBadRequest, "Host", "the Host header is missing or is not a host name: the style's URLs are built from it")
	}
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Response().SetBodyRaw(bytes.ReplaceAll(gridmapStyle, []byte(styleOrigin), []byte(origin)))
	return nil
}
