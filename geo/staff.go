package geo

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A StaffRole is a grid staff member's post.
type StaffRole uint8

// The staff roles.
const (
	// RoleHead is the grid head (网格长); a grid has at most one.
	RoleHead StaffRole = iota + 1
	// RoleWorker is a grid worker (网格员).
	RoleWorker
)

// String returns "head" or "worker".
func (r StaffRole) String() string {
	switch r {
	case RoleHead:
		return "head"
	case RoleWorker:
		return "worker"
	}
	return "unknown"
}

// Chinese returns 网格长 or 网格员.
func (r StaffRole) Chinese() string {
	switch r {
	case RoleHead:
		return "网格长"
	case RoleWorker:
		return "网格员"
	}
	return ""
}

// ParseStaffRole parses a role: head or worker, or their Chinese names
// 网格长 and 网格员 (also 专职网格员 and 兼职网格员).
func ParseStaffRole(s string) (StaffRole, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "head", "网格长":
		return RoleHead, true
	case "worker", "网格员", "专职网格员", "兼职网格员":
		return RoleWorker, true
	}
	return 0, false
}

// MarshalText writes the role's English name.
func (r StaffRole) MarshalText() ([]byte, error) {
	if r != RoleHead && r != RoleWorker {
		return nil, fmt.Errorf("geo: staff role %d is not head or worker", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads a role ParseStaffRole accepts.
func (r *StaffRole) UnmarshalText(b []byte) error {
	v, ok := ParseStaffRole(string(b))
	if !ok {
		return fmt.Errorf("geo: staff role %q is not head (网格长) or worker (网格员)", clip(string(b)))
	}
	*r = v
	return nil
}

// A StaffType says whether a staff member works for the grid full-time
// (专职) or part-time (兼职). The zero value is unknown.
type StaffType uint8

// The staff types.
const (
	// StaffFullTime is 专职.
	StaffFullTime StaffType = iota + 1
	// StaffPartTime is 兼职.
	StaffPartTime
)

// String returns "full_time", "part_time" or "" for unknown.
func (t StaffType) String() string {
	switch t {
	case StaffFullTime:
		return "full_time"
	case StaffPartTime:
		return "part_time"
	}
	return ""
}

// Chinese returns 专职, 兼职 or "".
func (t StaffType) Chinese() string {
	switch t {
	case StaffFullTime:
		return "专职"
	case StaffPartTime:
		return "兼职"
	}
	return ""
}

// ParseStaffType parses a type: full_time or part_time (also full-time,
// fulltime, part-time, parttime), 专职 or 兼职; empty is unknown.
func ParseStaffType(s string) (StaffType, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return 0, true
	case "full_time", "full-time", "fulltime", "专职":
		return StaffFullTime, true
	case "part_time", "part-time", "parttime", "兼职":
		return StaffPartTime, true
	}
	return 0, false
}

// MarshalText writes the type's English name ("" for unknown).
func (t StaffType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a type ParseStaffType accepts.
func (t *StaffType) UnmarshalText(b []byte) error {
	v, ok := ParseStaffType(string(b))
	if !ok {
		return fmt.Errorf("geo: staff type %q is not full_time (专职) or part_time (兼职)", clip(string(b)))
	}
	*t = v
	return nil
}

// A Staff is one member of a grid's staff: the grid head (网格长) or a
// grid worker (网格员), with the phone a resident calls.
type Staff struct {
	// Name is the person's name, for example 王秀英.
	Name string `json:"name"`
	// Role is head or worker.
	Role StaffRole `json:"role"`
	// Type is full-time or part-time; zero when not known.
	Type StaffType `json:"type,omitempty"`
	// Phone is in NormalizePhone's form: a mobile as 138-1234-5678, a
	// landline as 0858-8221234.
	Phone string `json:"phone"`
}

// Limits on a grid's staff.
const (
	// MaxStaff is the most staff members one grid may have.
	MaxStaff = 20
	// MaxStaffName is the longest name, in characters.
	MaxStaffName = 32
)

// ErrStaff is matched by a *StaffError.
var ErrStaff = errors.New("geo: invalid staff")

// A StaffError names the staff member (by index in the list) and the
// field at fault.
type StaffError struct {
	// Index is the member's position in the list; -1 for the list itself.
	Index int
	// Field is name, role, type or phone; empty for the list.
	Field string
	// Fault says what is wrong.
	Fault string
}

// Error describes the fault.
func (e *StaffError) Error() string {
	if e.Index < 0 {
		return "staff: " + e.Fault
	}
	return fmt.Sprintf("staff[%d].%s: %s", e.Index, e.Field, e.Fault)
}

// Is makes errors.Is(err, ErrStaff) true.
func (e *StaffError) Is(target error) bool { return target == ErrStaff }

// CheckStaff validates a grid's staff list and returns it with names
// trimmed and phones normalized: every name non-empty and at most
// MaxStaffName characters, every role head or worker, every phone a
// Chinese mobile or landline number, at most one head and MaxStaff
// members. The first fault is returned as a *StaffError. list is not
// modified.
func CheckStaff(list []Staff) ([]Staff, error) {
	if len(list) > MaxStaff {
		return nil, &StaffError{Index: -1, Fault: fmt.Sprintf("%d members, at most %d", len(list), MaxStaff)}
	}
	out := make([]Staff, len(list))
	head := -1
	for i, s := range list {
		n, err := CheckStaffMember(s)
		if err != nil {
			err.Index = i
			return nil, err
		}
		if n.Role == RoleHead {
			if head >= 0 {
				return nil, &StaffError{Index: i, Field: "role", Fault: fmt.Sprintf("a grid has one head (网格长); staff[%d] is already head", head)}
			}
			head = i
		}
		out[i] = n
	}
	return out, nil
}

// CheckStaffMember validates one member as CheckStaff does (without the
// list rules) and returns it normalized; the error's Index is 0.
func CheckStaffMember(s Staff) (Staff, *StaffError) {
	s.Name = strings.TrimSpace(s.Name)
	switch n := utf8.RuneCountInString(s.Name); {
	case n == 0:
		return s, &StaffError{Field: "name", Fault: "empty"}
	case n > MaxStaffName || !utf8.ValidString(s.Name):
		return s, &StaffError{Field: "name", Fault: fmt.Sprintf("%q is not a name of at most %d characters", clip(s.Name), MaxStaffName)}
	case strings.IndexFunc(s.Name, unicode.IsControl) >= 0:
		return s, &StaffError{Field: "name", Fault: "holds a control character"}
	}
	if s.Role != RoleHead && s.Role != RoleWorker {
		return s, &StaffError{Field: "role", Fault: "must be head (网格长) or worker (网格员)"}
	}
	if s.Type > StaffPartTime {
		return s, &StaffError{Field: "type", Fault: "must be full_time (专职) or part_time (兼职)"}
	}
	p, ok := NormalizePhone(s.Phone)
	if !ok {
		return s, &StaffError{Field: "phone", Fault: fmt.Sprintf("%q is not a mobile (1xx-xxxx-xxxx) or landline (0xxx-xxxxxxx) number", clip(s.Phone))}
	}
	s.Phone = p
	return s, nil
}

// NormalizePhone returns a Chinese phone number in one form: a mobile
// (11 digits, 13-19) as 138-1234-5678, a landline (0, a 2-3 digit area
// code, a 7-8 digit number) as 0858-8221234. Spaces, dashes, dots and
// brackets are ignored, as are +86 and 0086. It reports false for
// anything else.
func NormalizePhone(s string) (string, bool) {
	var d []byte
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, byte(r))
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '+' || r == '（' || r == '）':
		default:
			return "", false
		}
		if len(d) > 16 {
			return "", false
		}
	}
	ds := string(d)
	if strings.HasPrefix(strings.TrimSpace(s), "+86") || strings.HasPrefix(ds, "0086") {
		ds = strings.TrimPrefix(strings.TrimPrefix(ds, "00"), "86")
	}
	switch {
	case len(ds) == 11 && ds[0] == '1' && ds[1] >= '3':
		return ds[:3] + "-" + ds[3:7] + "-" + ds[7:], true
	case len(ds) >= 10 && len(ds) <= 12 && ds[0] == '0' && ds[1] != '0':
		area := 4 // 0xxx for most cities
		if ds[1] == '1' || ds[1] == '2' {
			area = 3 // 010 and 02x
		}
		if n := len(ds) - area; n < 7 || n > 8 {
			return "", false
		}
		return ds[:area] + "-" + ds[area:], true
	}
	return "", false
}

// PhoneDigits returns the digits of a normalized phone, for a tel: link.
func PhoneDigits(phone string) string { return strings.ReplaceAll(phone, "-", "") }

// MaskName keeps a name's first character and replaces the rest with
// one * each (at least one): 王秀英 reads 王**.
func MaskName(name string) string { return string(AppendMaskedName(nil, name)) }

// AppendMaskedName appends MaskName(name) to b.
func AppendMaskedName(b []byte, name string) []byte {
	r, size := utf8.DecodeRuneInString(name)
	if size == 0 {
		return b
	}
	b = utf8.AppendRune(b, r)
	for n := max(utf8.RuneCountInString(name)-1, 1); n > 0; n-- {
		b = append(b, '*')
	}
	return b
}

// MaskPhone keeps a phone's first three and last four digits: 138-1234-5678
// reads 138****5678. A number with fewer than 8 digits is all stars.
func MaskPhone(phone string) string { return string(AppendMaskedPhone(nil, phone)) }

// AppendMaskedPhone appends MaskPhone(phone) to b.
func AppendMaskedPhone(b []byte, phone string) []byte {
	n := 0
	for i := 0; i < len(phone); i++ {
		if phone[i] >= '0' && phone[i] <= '9' {
			n++
		}
	}
	k := 0
	for i := 0; i < len(phone); i++ {
		c := phone[i]
		if c < '0' || c > '9' {
			continue
		}
		if n >= 8 && (k < 3 || k >= n-4) {
			b = append(b, c)
		} else {
			b = append(b, '*')
		}
		k++
	}
	return b
}

// Masked returns the member with name and phone masked (MaskName,
// MaskPhone); role and type stay.
func (s Staff) Masked() Staff {
	s.Name, s.Phone = MaskName(s.Name), MaskPhone(s.Phone)
	return s
}

// Head returns the grid's head, if it has one.
func (g *Grid) Head() (Staff, bool) {
	for _, s := range g.Staff {
		if s.Role == RoleHead {
			return s, true
		}
	}
	return Staff{}, false
}

// clip shortens s to 40 bytes (on a character boundary) for a message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	i := 40
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
