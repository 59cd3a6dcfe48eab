package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/valyala/bytebufferpool"
)

// readReason reads an optional JSON body {"reason":"..."}; required makes
// an empty reason a 400 naming reason.
func readReason(c *fiber.Ctx, required bool) (string, error) {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := readSmallJSON(c, &body); err != nil {
		return "", err
	}
	reason := strings.TrimSpace(body.Reason)
	switch {
	case required && reason == "":
		return "", &FieldError{Field: "reason", Reason: "is required: say why"}
	case len([]rune(reason)) > edit.MaxReasonRunes:
		return "", fieldErr(http.StatusBadRequest, "reason", "is longer than %d characters", edit.MaxReasonRunes)
	}
	return reason, nil
}

// maxSmallBody caps the small JSON bodies of revert, re-code and token
// requests.
const maxSmallBody = 64 << 10

// readSmallJSON decodes the request's JSON object body, if any, into v,
// refusing unknown members, trailing data and more than maxSmallBody
// bytes.
func readSmallJSON(c *fiber.Ctx, v any) error {
	buf := &bytebufferpool.ByteBuffer{}
	if hasBody(c) {
		if err := readBody(c, buf, maxSmallBody); err != nil {
			return err
		}
	}
	if len(bytes.TrimSpace(buf.B)) == 0 {
		return nil
	}
	return decodeStrict(buf.B, v)
}

// decodeStrict decodes a small JSON object body into v, refusing unknown
// members and trailing data.
func decodeStrict(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fieldErr(http.StatusBadRequest, "body", "%v", err)
	}
	if d.More() {
		return fieldErr(http.StatusBadRequest, "body", "holds more than one JSON value")
	}
	return nil
}

// writeJSON answers with v as JSON.
func writeJSON(c *fiber.Ctx, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the response: %w", err)
	}
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// appendJSONValue appends v as JSON, or null when it cannot be encoded.
func appendJSONValue(b []byte, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, data...)
}

// nonNilSlice returns s, or an empty slice for nil, so JSON shows [].
func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
