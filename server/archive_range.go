package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// writeRange answers with body, or with the one byte range the Range
// header asks for (206, RFC 9110 section 14): "bytes=first-last",
// "bytes=first-" or "bytes=-suffix". A range starting past the end is 416
// with the size in Content-Range; a header this does not understand (a
// list of ranges, another unit) gets the whole body, as the RFC allows.
// If-Range is honoured: a tag other than the response's ETag gets the
// whole body.
func writeRange(c *fiber.Ctx, body []byte) error {
	rng := string(c.Request().Header.Peek(fiber.HeaderRange))
	if ir := c.Request().Header.Peek(fiber.HeaderIfRange); len(ir) > 0 && string(ir) != string(c.Response().Header.Peek(fiber.HeaderETag)) {
		rng = ""
	}
	first, last, ok, satisfiable := parseRange(rng, int64(len(body)))
	switch {
	case !ok:
		c.Response().SetBodyRaw(body)
	case !satisfiable:
		c.Set(fiber.HeaderContentRange, "bytes */"+strconv.Itoa(len(body)))
		c.Status(http.StatusRequestedRangeNotSatisfiable)
	default:
		c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(first, 10)+"-"+strconv.FormatInt(last, 10)+"/"+strconv.Itoa(len(body)))
		c.Status(http.StatusPartialContent)
		c.Response().SetBodyRaw(body[first : last+1])
	}
	return nil
}

// parseRange parses a single byte range of a body of size bytes. ok is
// false when the header is absent or not a single byte range; satisfiable
// is false when the range starts past the end.
func parseRange(h string, size int64) (first, last int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, false
	}
	if a == "" { // suffix: the last b bytes
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		return max(0, size-n), size - 1, true, true
	}
	first, err := strconv.ParseInt(a, 10, 64)
	if err != nil || first < 0 {
		return 0, 0, false, false
	}
	last = size - 1
	if b != "" {
		if last, err = strconv.ParseInt(b, 10, 64); err != nil || last < first {
			return 0, 0, false, false
		}
		last = min(last, size-1)
	}
	if first >= size {
		return 0, 0, true, false
	}
	return first, last, true, true
}
