package server

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
)

// handleExport answers GET /v1/export/{layer}.geojson with the whole layer
// in the loader's GeoJSON format, streamed as it is encoded.
func (s *Server) handleExport(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	name := c.Params("layer")
	layer, err := cityio.ParseLayer(name)
	if err != nil || string(layer) != name {
		return fieldErr(http.StatusNotFound, "layer", "%s is not a layer; want units, grids, buildings, stations or streets", quoteClip([]byte(name)))
	}
	if notModified(c, v) {
		return nil
	}
	c.Response().Header.SetContentType("application/geo+json")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+string(layer)+`.geojson"`)
	if c.Method() == http.MethodHead {
		return nil
	}
	c.Response().SetBodyStream(exportStream(v.snap.City, layer, s.log), -1)
	return nil
}

// exportStream encodes a layer on its own goroutine into a pipe. An
// encoding error closes the pipe with that error, so the server aborts the
// response instead of ending it as if it were complete; a client that goes
// away closes the pipe and stops the encoder.
func exportStream(city *geo.City, layer cityio.Layer, log *slog.Logger) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 64<<10)
		err := cityio.WriteLayer(w, city, layer)
		if err == nil {
			err = w.Flush()
		}
		if err != nil && !errors.Is(err, io.ErrClosedPipe) {
			log.Error("exporting layer", "layer", string(layer), "err", err)
		}
		pw.CloseWithError(err)
	}()
	return pr
}
