package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"net/http"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// framingFault is the private request header by which HeaderReceived
// tells the handler chain that the request's framing is refused: "large"
// (a body declared over BodyLimit) or "conflict" (two different
// Content-Length headers). Such a body is never read.
const framingFault = "X-Gridmap-Internal-Framing"

// receiveHeaders runs when a request's headers are in, before its body is
// read or "100 Continue" sent. A POST whose body is not a bulk stream and
// declares more than BodyLimit is marked, its Expect dropped and its body
// left unread, so that the answer is 413 without 100 Continue.
func (s *Server) receiveHeaders(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	h.Del(framingFault)
	fault := ""
	switch {
	case conflictingLengths(h.RawHeaders()):
		fault = "conflict"
	case h.IsPost() && h.ContentLength() > s.cfg.BodyLimit && !isStreamType(h.ContentType()):
		fault = "large"
	}
	if fault != "" {
		h.Del(fiber.HeaderExpect)
		h.Set(framingFault, fault)
		h.SetContentLength(0)
	}
	if !h.IsPost() {
		return fasthttp.RequestConfig{}
	}
	return fasthttp.RequestConfig{ReadTimeout: s.cfg.StreamTimeout, WriteTimeout: s.cfg.StreamTimeout}
}

// isStreamType reports whether a request body is a bulk CSV or NDJSON
// stream, which MaxStreamPoints limits instead of BodyLimit.
func isStreamType(ct []byte) bool {
	ct = bytes.ToLower(bytes.TrimSpace(ct))
	for _, p := range []string{"text/csv", "application/x-ndjson", "application/jsonl", "application/ndjson"} {
		if bytes.HasPrefix(ct, []byte(p)) {
			return true
		}
	}
	return false
}

// checkFraming refuses what the request's framing makes ambiguous or too
// large: two different Content-Length headers (RFC 9112 6.3: 400) and a
// body declared larger than BodyLimit (413). The connection is closed
// after the answer, since its next request cannot be found.
func (s *Server) checkFraming(c *fiber.Ctx) error {
	fault := string(c.Request().Header.Peek(framingFault))
	if fault == "" {
		return nil
	}
	c.Context().SetConnectionClose()
	lingerOnClose(c.Context())
	if fault == "large" {
		return fieldErr(http.StatusRequestEntityTooLarge, "body", "declares more than the %d-byte limit", s.cfg.BodyLimit)
	}
	return fieldErr(http.StatusBadRequest, "Content-Length", "is given more than once with different values")
}

var contentLengthLine = regexp.MustCompile(`(?im)^content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?$`)

// conflictingLengths reports whether raw headers hold Content-Length
// fields with different values.
func conflictingLengths(raw []byte) bool {
	if bytes.Count(bytes.ToLower(raw), []byte("content-length")) < 2 {
		return false
	}
	first := ""
	for _, m := range contentLengthLine.FindAllSubmatch(raw, -1) {
		v := string(m[1])
		if first == "" {
			first = v
		} else if v != first {
			return true
		}
	}
	return false
}

// setSecurityHeaders sets what every answer carries (nosniff, the referrer
// policy) and, on HTML pages, the content security policy and frame
// protection.
func (s *Server) setSecurityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderReferrerPolicy, "same-origin")
	if bytes.HasPrefix(h.ContentType(), []byte("text/html")) {
		h.Set(fiber.HeaderContentSecurityPolicy, s.csp)
		h.Set(fiber.HeaderXFrameOptions, "DENY")
	}
}

var inlineScript = regexp.MustCompile(`(?s)<script(?:\s[^>]*)?>(.*?)</script>`)

// pageCSP is the Content-Security-Policy of the web page in fsys: its own
// files only, its inline scripts (the import map) by hash, MapLibre's
// workers from the site or blob: URLs, inline styles (MapLibre and the
// drawing tools set them), data: fonts and images, no framing.
func pageCSP(fsys fs.FS) string {
	scripts := []string{"'self'"}
	if fsys != nil {
		if page, err := fs.ReadFile(fsys, "index.html"); err == nil {
			for _, m := range inlineScript.FindAllSubmatch(page, -1) {
				if len(bytes.TrimSpace(m[1])) == 0 {
					continue
				}
				sum := sha256.Sum256(m[1])
				scripts = append(scripts, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
			}
		}
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(scripts, " "),
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"worker-src 'self' blob:",
		"child-src 'self' blob:",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}
