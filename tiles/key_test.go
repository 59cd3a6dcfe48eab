package tiles

import (
	"errors"
	"testing"
)

func TestParseKey(t *testing.T) {
	cases := []struct {
		name    string
		z, x, y string
		want    Key
		field   string // the field at fault; "" when valid
	}{
		{name: "z0", z: "0", x: "0", y: "0", want: Key{0, 0, 0}},
		{name: "z14 city", z: "14", x: "13123", y: "7012", want: Key{14, 13123, 7012}},
		{name: "max zoom corner", z: "22", x: "4194303", y: "4194303", want: Key{22, 4194303, 4194303}},
		{name: "leading zeros", z: "014", x: "013123", y: "07012", want: Key{14, 13123, 7012}},
		{name: "z too deep", z: "23", x: "0", y: "0", field: "z"},
		{name: "z huge", z: "4294967295", x: "0", y: "0", field: "z"},
		{name: "x out of range", z: "1", x: "2", y: "0", field: "x"},
		{name: "y out of range", z: "0", x: "0", y: "1", field: "y"},
		{name: "y with extension", z: "14", x: "13123", y: "7012.mvt", field: "y"},
		{name: "empty z", z: "", x: "0", y: "0", field: "z"},
		{name: "negative x", z: "3", x: "-1", y: "0", field: "x"},
		{name: "plus sign", z: "+3", x: "1", y: "0", field: "z"},
		{name: "space", z: "3", x: " 1", y: "0", field: "x"},
		{name: "hex", z: "3", x: "0x1", y: "0", field: "x"},
		{name: "too long", z: "3", x: "00000000001", y: "0", field: "x"},
		{name: "overflows uint32", z: "3", x: "9999999999", y: "0", field: "x"},
		{name: "fullwidth digit", z: "１", x: "0", y: "0", field: "z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseKey(c.z, c.x, c.y)
			if c.field == "" {
				if err != nil || got != c.want {
					t.Fatalf("ParseKey(%q, %q, %q) = %v, %v, want %v, nil", c.z, c.x, c.y, got, err, c.want)
				}
				return
			}
			var ke *KeyError
			if !errors.As(err, &ke) || !errors.Is(err, ErrBadKey) {
				t.Fatalf("ParseKey(%q, %q, %q) = %v, %v, want a *KeyError wrapping ErrBadKey", c.z, c.x, c.y, got, err)
			}
			if ke.Field != c.field {
				t.Errorf("ParseKey(%q, %q, %q) blames field %q (%v), want %q", c.z, c.x, c.y, ke.Field, err, c.field)
			}
		})
	}
}

func TestKeyValid(t *testing.T) {
	cases := []struct {
		name string
		k    Key
		ok   bool
	}{
		{"origin", Key{0, 0, 0}, true},
		{"z1 last", Key{1, 1, 1}, true},
		{"z1 x past", Key{1, 2, 0}, false},
		{"z22 last", Key{22, 1<<22 - 1, 1<<22 - 1}, true},
		{"z22 y past", Key{22, 0, 1 << 22}, false},
		{"z23", Key{23, 0, 0}, false},
		{"z31", Key{31, 0, 0}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.k.Valid(); (err == nil) != c.ok {
				t.Errorf("%v.Valid() = %v, want ok %v", c.k, err, c.ok)
			}
		})
	}
}

func TestKeyParent(t *testing.T) {
	cases := []struct{ k, want Key }{
		{Key{0, 0, 0}, Key{0, 0, 0}},
		{Key{14, 13123, 7012}, Key{13, 6561, 3506}},
		{Key{1, 1, 0}, Key{0, 0, 0}},
	}
	for _, c := range cases {
		if got := c.k.Parent(); got != c.want {
			t.Errorf("%v.Parent() = %v, want %v", c.k, got, c.want)
		}
	}
}

// FuzzParseKey checks that ParseKey never panics, that what it accepts is
// valid and prints back to the same numbers, and that what it rejects is a
// *KeyError.
func FuzzParseKey(f *testing.F) {
	for _, s := range [][3]string{{"0", "0", "0"}, {"14", "13123", "7012"}, {"22", "4194303", "1"}, {"23", "0", "0"}, {"3", "-1", "x"}, {"", "", ""}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		k, err := ParseKey(z, x, y)
		if err != nil {
			var ke *KeyError
			if !errors.As(err, &ke) {
				t.Fatalf("ParseKey(%q, %q, %q) error %v is not a *KeyError", z, x, y, err)
			}
			return
		}
		if err := k.Valid(); err != nil {
			t.Fatalf("ParseKey(%q, %q, %q) = %v, which is not valid: %v", z, x, y, k, err)
		}
		back, err := ParseKey(itoa(k.Z), itoa(k.X), itoa(k.Y))
		if err != nil || back != k {
			t.Fatalf("ParseKey round trip of %v = %v, %v", k, back, err)
		}
	})
}

func itoa(v uint32) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v /= 10 {
		b = append([]byte{byte('0' + v%10)}, b...)
	}
	return string(b)
}
