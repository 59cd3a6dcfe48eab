package geo

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	cases := []struct {
		name, in, want string
		ok             bool
	}{
		{"mobile plain", "13812345678", "138-1234-5678", true},
		{"mobile dashed", "138-1234-5678", "138-1234-5678", true},
		{"mobile spaced +86", "+86 138 1234 5678", "138-1234-5678", true},
		{"mobile 0086", "008613812345678", "138-1234-5678", true},
		{"landline 0858", "0858-8221234", "0858-8221234", true},
		{"landline bracketed", "(0858)82212345", "0858-82212345", true},
		{"landline beijing", "010 6512 3456", "010-65123456", true},
		{"too short", "1381234567", "", false},
		{"12 prefix", "12812345678", "", false},
		{"letters", "138abc45678", "", false},
		{"empty", "", "", false},
		{"landline short", "0858-12345", "", false},
		{"long run", strings.Repeat("1", 40), "", false},
	}
	for _, c := range cases {
		got, ok := NormalizePhone(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: NormalizePhone(%q) = %q, %v; want %q, %v", c.name, c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestMask(t *testing.T) {
	cases := []struct{ in, want string }{{"王秀英", "王**"}, {"张三", "张*"}, {"李", "李*"}, {"欧阳娜娜", "欧***"}, {"", ""}}
	for _, c := range cases {
		if got := MaskName(c.in); got != c.want {
			t.Errorf("MaskName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	phones := []struct{ in, want string }{{"138-1234-5678", "138****5678"}, {"0858-8221234", "085****1234"}, {"010-65123456", "010****3456"}}
	for _, c := range phones {
		if got := MaskPhone(c.in); got != c.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCheckStaff(t *testing.T) {
	head := Staff{Name: " 王秀英 ", Role: RoleHead, Type: StaffPartTime, Phone: "13812345678"}
	worker := Staff{Name: "李明", Role: RoleWorker, Type: StaffFullTime, Phone: "139 0000 1111"}
	got, err := CheckStaff([]Staff{head, worker})
	if err != nil {
		t.Fatalf("CheckStaff(head, worker) = %v", err)
	}
	if got[0].Name != "王秀英" || got[0].Phone != "138-1234-5678" || got[1].Phone != "139-0000-1111" {
		t.Errorf("CheckStaff normalized to %+v", got)
	}
	if head.Name != " 王秀英 " {
		t.Errorf("CheckStaff modified its input")
	}
	many := make([]Staff, MaxStaff+1)
	for i := range many {
		many[i] = worker
	}
	cases := []struct {
		name  string
		list  []Staff
		index int
		field string
	}{
		{"empty name", []Staff{{Name: " ", Role: RoleWorker, Phone: "13812345678"}}, 0, "name"},
		{"long name", []Staff{{Name: strings.Repeat("王", MaxStaffName+1), Role: RoleWorker, Phone: "13812345678"}}, 0, "name"},
		{"control", []Staff{{Name: "王\x00", Role: RoleWorker, Phone: "13812345678"}}, 0, "name"},
		{"no role", []Staff{worker, {Name: "王", Phone: "13812345678"}}, 1, "role"},
		{"bad type", []Staff{{Name: "王", Role: RoleWorker, Type: 9, Phone: "13812345678"}}, 0, "type"},
		{"bad phone", []Staff{{Name: "王", Role: RoleWorker, Phone: "12345"}}, 0, "phone"},
		{"two heads", []Staff{head, worker, head}, 2, "role"},
		{"too many", many, -1, ""},
	}
	for _, c := range cases {
		_, err := CheckStaff(c.list)
		var se *StaffError
		if !errors.As(err, &se) || !errors.Is(err, ErrStaff) {
			t.Errorf("%s: CheckStaff = %v, want a *StaffError", c.name, err)
			continue
		}
		if se.Index != c.index || se.Field != c.field {
			t.Errorf("%s: CheckStaff = %v, want index %d field %q", c.name, err, c.index, c.field)
		}
	}
	if list, err := CheckStaff(nil); err != nil || len(list) != 0 {
		t.Errorf("CheckStaff(nil) = %v, %v; want an empty list", list, err)
	}
}

func TestStaffRoleTypeText(t *testing.T) {
	for _, s := range []string{"head", "网格长", "worker", "网格员", "兼职网格员"} {
		var r StaffRole
		if err := r.UnmarshalText([]byte(s)); err != nil {
			t.Errorf("StaffRole.UnmarshalText(%q) = %v", s, err)
		}
	}
	var r StaffRole
	if err := r.UnmarshalText([]byte("boss")); err == nil {
		t.Errorf("StaffRole.UnmarshalText(boss) = nil, want an error")
	}
	for s, want := range map[string]StaffType{"专职": StaffFullTime, "part-time": StaffPartTime, "": 0} {
		var ty StaffType
		if err := ty.UnmarshalText([]byte(s)); err != nil || ty != want {
			t.Errorf("StaffType.UnmarshalText(%q) = %v, %v; want %v", s, ty, err, want)
		}
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138-1234-5678", "0858-8221234", "(010)65123456", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := NormalizePhone(s)
		if !ok {
			return
		}
		again, ok2 := NormalizePhone(p)
		if !ok2 || again != p {
			t.Fatalf("NormalizePhone(%q) = %q, which normalizes to %q, %v", s, p, again, ok2)
		}
		if m := MaskPhone(p); len(m) != len(PhoneDigits(p)) {
			t.Fatalf("MaskPhone(%q) = %q, not as long as the digits", p, m)
		}
	})
}
