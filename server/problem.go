package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/geo/wire"
)

// ErrNotReady is returned by data routes while no snapshot is loaded.
var ErrNotReady = errors.New("server: no snapshot loaded yet")

// The problem types this server reports, as RFC 9457 "type" URIs.
const (
	problemInvalidField = "urn:gridmap:problem:invalid-field"
	problemNoGrid       = "urn:gridmap:problem:no-grid"
	problemNotFound     = "urn:gridmap:problem:not-found"
	problemNotReady     = "urn:gridmap:problem:not-ready"
	problemInternal     = "urn:gridmap:problem:internal"
	problemOffNetwork   = "urn:gridmap:problem:off-network"
	problemNoNetwork    = "urn:gridmap:problem:no-walking-network"
	problemBadRequest   = "urn:gridmap:problem:bad-request"
	problemNoRoute      = "urn:gridmap:problem:no-route"
	problemMethod       = "urn:gridmap:problem:method-not-allowed"
	problemTooLarge     = "urn:gridmap:problem:too-large"
)

// A FieldError says one request parameter, body member or header is at
// fault. Status is the HTTP status it maps to (400 when zero).
type FieldError struct {
	// Field names the offending input: "lon", "points[17]", "body",
	// "Content-Type", "code".
	Field string
	// Reason says what is wrong with it, for people.
	Reason string
	// Status is the HTTP status: 400 (the default), 404, 413, 415 or 422.
	Status int
}

// Error returns "field: reason".
func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// status returns e.Status or 400.
func (e *FieldError) status() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// fieldErr builds a *FieldError with a formatted reason.
func fieldErr(status int, field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Status: status}
}

// A problem is the RFC 9457 document written for an error.
type problem struct {
	typ, title, detail, field string
	status                    int
	nearest                   *geo.Grid
	distanceMeters            float64
	// challenge is the WWW-Authenticate header of a 401.
	challenge string
	// retryAfter is the Retry-After header in seconds, 0 for none.
	retryAfter int
	// extra holds more members, each starting with a comma (edits.go).
	extra []byte
}

// problemOf maps err to its problem document. It is the one place where an
// error becomes an HTTP status.
func problemOf(err error) problem {
	var fe *FieldError
	var ng *geo.NoGridError
	var fiberErr *fiber.Error
	var limitErr *LimitError
	switch {
	case errors.As(err, &fe):
		st := fe.status()
		return problem{typ: problemInvalidField, title: titleOf(st), status: st, detail: fe.Error(), field: fe.Field}
	case editStatus(err) != 0:
		return editProblem(err)
	case errors.Is(err, address.ErrEmpty), errors.Is(err, address.ErrTooLong), errors.Is(err, address.ErrInvalidText):
		return problem{typ: problemInvalidField, title: titleOf(http.StatusBadRequest), status: http.StatusBadRequest,
			detail: err.Error(), field: "address"}
	case errors.As(err, &ng):
		return problem{typ: problemNoGrid, title: "Point is in no grid", status: http.StatusNotFound,
			detail: ng.Error(), nearest: ng.Nearest, distanceMeters: ng.DistanceMeters}
	case errors.Is(err, geo.ErrNoGrid):
		return problem{typ: problemNoGrid, title: "Point is in no grid", status: http.StatusNotFound, detail: err.Error()}
	case errors.Is(err, geo.ErrNotFound):
		return problem{typ: problemNotFound, title: "Not found", status: http.StatusNotFound, detail: err.Error()}
	case walkStatus(err) != 0:
		return walkProblem(err)
	case errors.Is(err, ErrNotReady):
		return problem{typ: problemNotReady, title: "Not ready", status: http.StatusServiceUnavailable, detail: err.Error()}
	case errors.As(err, &limitErr):
		return limitProblem(limitErr)
	case storeFault(err) != nil:
		return limitProblem(storeFault(err))
	case errors.As(err, &fiberErr):
		return problem{typ: fiberProblemType(fiberErr.Code), title: titleOf(fiberErr.Code), status: fiberErr.Code, detail: fiberErr.Message}
	}
	return problem{typ: problemInternal, title: titleOf(http.StatusInternalServerError),
		status: http.StatusInternalServerError, detail: "internal error"}
}

// fiberProblemType is the stable type of an error Fiber raised itself
// (no route, a method not allowed, a body or header too large, ...).
func fiberProblemType(status int) string {
	switch {
	case status == http.StatusNotFound:
		return problemNoRoute
	case status == http.StatusMethodNotAllowed:
		return problemMethod
	case status == http.StatusRequestEntityTooLarge || status == http.StatusRequestHeaderFieldsTooLarge:
		return problemTooLarge
	case status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests:
		return problemBusy
	case status >= 500:
		return problemInternal
	}
	return problemBadRequest
}

// walkStatus returns the HTTP status of an error of the walking engine
// (package walk), or 0 when err carries none of its sentinels.
func walkStatus(err error) int {
	switch {
	case errors.Is(err, walk.ErrUnknownStation), errors.Is(err, walk.ErrUnknownBuilding):
		return http.StatusNotFound
	case errors.Is(err, walk.ErrLimitRange), errors.Is(err, walk.ErrBadK), errors.Is(err, walk.ErrBadGeometry):
		return http.StatusBadRequest
	case errors.Is(err, walk.ErrOffNetwork), errors.Is(err, walk.ErrNoStation), errors.Is(err, walk.ErrNoCandidates):
		return http.StatusUnprocessableEntity
	case errors.Is(err, walk.ErrEmptyNetwork):
		return http.StatusServiceUnavailable
	}
	return 0
}

// walkProblem is the problem document of a walking-engine error that no
// handler has tied to a field.
func walkProblem(err error) problem {
	st := walkStatus(err)
	typ := problemBadRequest
	switch {
	case st == http.StatusNotFound:
		typ = problemNotFound
	case errors.Is(err, walk.ErrOffNetwork), errors.Is(err, walk.ErrNoStation):
		typ = problemOffNetwork
	case st == http.StatusServiceUnavailable:
		typ = problemNoNetwork
	}
	return problem{typ: typ, title: titleOf(st), status: st, detail: err.Error()}
}

func titleOf(status int) string {
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Status " + strconv.Itoa(status)
}

// appendProblem appends p as JSON, with instance as its "instance".
func appendProblem(b []byte, p problem, instance string) []byte {
	b = append(b, `{"type":`...)
	b = wire.AppendString(b, p.typ)
	b = append(b, `,"title":`...)
	b = wire.AppendString(b, p.title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(p.status), 10)
	b = append(b, `,"detail":`...)
	b = wire.AppendString(b, p.detail)
	b = append(b, `,"instance":`...)
	b = wire.AppendString(b, instance)
	if p.field != "" {
		b = append(b, `,"field":`...)
		b = wire.AppendString(b, p.field)
	}
	if p.nearest != nil {
		b = append(b, `,"nearest":{"id":`...)
		b = strconv.AppendUint(b, uint64(p.nearest.ID), 10)
		b = append(b, `,"code":"`...)
		b = append(b, p.nearest.Code.String()...)
		b = append(b, `","name":`...)
		b = wire.AppendString(b, p.nearest.Name)
		b = append(b, `},"distance_m":`...)
		b = strconv.AppendFloat(b, p.distanceMeters, 'f', 1, 64)
	}
	b = append(b, p.extra...)
	return append(b, '}')
}
