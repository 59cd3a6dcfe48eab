package shapefile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/simplifiedchinese"
)

type dbfField struct {
	name  string
	typ   byte
	width int
}

// makeDBF builds a dBase III table; each record starts with its deletion
// flag (' ' or '*') followed by the fields' bytes, padded to width.
func makeDBF(ldid byte, fields []dbfField, records [][]string, deleted map[int]bool) []byte {
	recLen := 1
	for _, f := range fields {
		recLen += f.width
	}
	hdr := 32 + 32*len(fields) + 1
	var b bytes.Buffer
	h := make([]byte, 32)
	h[0] = 3
	binary.LittleEndian.PutUint32(h[4:], uint32(len(records)))
	binary.LittleEndian.PutUint16(h[8:], uint16(hdr))
	binary.LittleEndian.PutUint16(h[10:], uint16(recLen))
	h[29] = ldid
	b.Write(h)
	for _, f := range fields {
		d := make([]byte, 32)
		copy(d, f.name)
		d[11] = f.typ
		d[16] = byte(f.width)
		b.Write(d)
	}
	b.WriteByte(0x0D)
	for i, r := range records {
		if deleted[i] {
			b.WriteByte('*')
		} else {
			b.WriteByte(' ')
		}
		for j, f := range fields {
			v := []byte(r[j])
			b.Write(append(v, bytes.Repeat([]byte(" "), f.width-len(v))...))
		}
	}
	b.WriteByte(0x1A)
	return b.Bytes()
}

// pointSHP builds a .shp/.shx pair of n null-shape records.
func nullSHP(n int) (shp, shx []byte) {
	hdr := func(words int) []byte {
		h := make([]byte, 100)
		binary.BigEndian.PutUint32(h, fileCode)
		binary.BigEndian.PutUint32(h[24:], uint32(words))
		binary.LittleEndian.PutUint32(h[28:], version)
		binary.LittleEndian.PutUint32(h[32:], typePoint)
		return h
	}
	shp = hdr(50 + n*6)
	shx = hdr(50 + n*4)
	for i := 0; i < n; i++ {
		e := make([]byte, 8)
		binary.BigEndian.PutUint32(e, uint32((len(shp))/2))
		binary.BigEndian.PutUint32(e[4:], 2)
		shx = append(shx, e...)
		r := make([]byte, 12)
		binary.BigEndian.PutUint32(r, uint32(i+1))
		binary.BigEndian.PutUint32(r[4:], 2)
		shp = append(shp, r...)
	}
	return shp, shx
}

// TestDBFValues checks the text every field type gives, and that deleted
// records are skipped while the others keep their record numbers.
func TestDBFValues(t *testing.T) {
	fields := []dbfField{{"C", 'C', 12}, {"N", 'N', 12}, {"F", 'F', 12}, {"L", 'L', 1}, {"D", 'D', 8}, {"M", 'M', 10}}
	records := [][]string{
		{"  abc  ", "  007", " 12.500", "T", "20240501", "        12"},
		{"", "", "", "?", "", ""},
		{"deleted", "1", "1", "F", "20240101", ""},
		{"x", "-0.0", "1.5e3", "n", "00000000", ""},
		{"y", "**********", "1,5", "y", "2024-5-1", ""},
		{"z", "123456789012", "-.25", "f", "19991231", ""},
	}
	want := [][]string{
		{"abc", "7", "12.5", "true", "2024-05-01", ""},
		{"", "", "", "", "", ""},
		{"x", "0", "1500", "false", "", ""},
		{"y", "", "1,5", "true", "2024-5-1", ""},
		{"z", "123456789012", "-0.25", "false", "1999-12-31", ""},
	}
	shp, shx := nullSHP(len(records))
	l, err := Parse(Files{Name: "t", Source: "t.shp", SHP: shp, SHX: shx, DBF: makeDBF(0, fields, records, map[int]bool{2: true})}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.Fields, ","); got != "C,N,F,L,D,M" {
		t.Errorf("Fields = %s", got)
	}
	if len(l.Features) != len(want) {
		t.Fatalf("%d features, want %d (deleted record skipped)", len(l.Features), len(want))
	}
	for i, f := range l.Features {
		if fmt.Sprint(f.Props) != fmt.Sprint(want[i]) {
			t.Errorf("feature %d: Props = %q, want %q", f.Index, f.Props, want[i])
		}
	}
	if idx := l.Features[2].Index; idx != 4 {
		t.Errorf("the record after the deleted one has Index %d, want 4", idx)
	}
}

// TestEncodings checks how the encoding is chosen: declared, .cpg, LDID,
// detected, with GBK and Latin-1 text.
func TestEncodings(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("钟山区荷城街道")
	latin := "S\xe3o Benedito"
	cases := []struct {
		name, declared, cpg string
		ldid                byte
		text                string
		want, wantEnc, from string
	}{
		{"cpg GBK", "", "GBK", 0, gbk, "钟山区荷城街道", "GBK", "cpg"},
		{"cpg 936", "", " 936\r\n", 0, gbk, "钟山区荷城街道", "GBK", "cpg"},
		{"cpg CP936", "", "CP936", 0, gbk, "钟山区荷城街道", "GBK", "cpg"},
		{"cpg GB2312", "", "GB2312", 0, gbk, "钟山区荷城街道", "GBK", "cpg"},
		{"cpg GB18030", "", "gb18030", 0, gbk, "钟山区荷城街道", "GB18030", "cpg"},
		{"cpg 65001", "", "65001", 0, "钟山区", "钟山区", "UTF-8", "cpg"},
		{"cpg UTF-8 with BOM", "", "\ufeffUTF-8", 0, "钟山区", "钟山区", "UTF-8", "cpg"},
		{"ldid 0x4D", "", "", 0x4D, gbk, "钟山区荷城街道", "GBK", "ldid"},
		{"ldid 0x57 detected GBK", "", "", 0x57, gbk, "钟山区荷城街道", "GB18030", "detected"},
		{"detected UTF-8", "", "", 0, "钟山区", "钟山区", "UTF-8", "detected"},
		{"detected Latin", "", "", 0x57, latin, "São Benedito", "windows-1252", "detected"},
		{"declared beats cpg", "GBK", "UTF-8", 0, gbk, "钟山区荷城街道", "GBK", "declared"},
		{"invalid UTF-8 under a UTF-8 cpg", "", "UTF-8", 0, "ab\xff", "ab\ufffd", "UTF-8", "cpg"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			shp, shx := nullSHP(1)
			f := Files{Name: "t", Source: "t.shp", SHP: shp, SHX: shx,
				DBF: makeDBF(tc.ldid, []dbfField{{"NAME", 'C', 40}}, [][]string{{tc.text}}, nil)}
			if tc.cpg != "" {
				f.CPG = []byte(tc.cpg)
			}
			l, err := Parse(f, Options{Encoding: tc.declared})
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Features[0].Props[0]; got != tc.want || l.Encoding != tc.wantEnc || l.EncodingFrom != tc.from {
				t.Errorf("got %q in %s from %s, want %q in %s from %s", got, l.Encoding, l.EncodingFrom, tc.want, tc.wantEnc, tc.from)
			}
		})
	}
	shp, shx := nullSHP(1)
	_, err := Parse(Files{Source: "t.shp", SHP: shp, SHX: shx, DBF: makeDBF(0, nil, [][]string{{}}, nil)}, Options{Encoding: "EBCDIC"})
	if err == nil || !strings.Contains(err.Error(), `"EBCDIC"`) || !strings.HasPrefix(err.Error(), "t.shp:") {
		t.Errorf("declared unknown encoding: %v, want an error naming it", err)
	}
}

// TestAssemblePolygons covers the degenerate ring sets: only holes, holes
// outside every shell, nested islands, zero-area and empty rings.
func TestAssemblePolygons(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64, cw bool) []orb.Point {
		r := []orb.Point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}} // CCW
		if cw {
			r = []orb.Point{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}
		}
		return r
	}
	cases := []struct {
		name  string
		parts [][]orb.Point
		want  string // geometry type and ring count per polygon
	}{
		{"one CCW ring stays a polygon", [][]orb.Point{sq(0, 0, 1, 1, false)}, "Polygon[1]"},
		{"shell and hole", [][]orb.Point{sq(0, 0, 10, 10, true), sq(2, 2, 3, 3, false)}, "Polygon[2]"},
		{"hole first", [][]orb.Point{sq(2, 2, 3, 3, false), sq(0, 0, 10, 10, true)}, "Polygon[2]"},
		{"two holes only", [][]orb.Point{sq(0, 0, 1, 1, false), sq(2, 2, 3, 3, false)}, "MultiPolygon[1 1]"},
		{"hole outside its shell", [][]orb.Point{sq(0, 0, 1, 1, true), sq(5, 5, 6, 6, false)}, "MultiPolygon[1 1]"},
		{"island in a hole", [][]orb.Point{sq(0, 0, 10, 10, true), sq(1, 1, 9, 9, false), sq(3, 3, 7, 7, true), sq(4, 4, 5, 5, false)}, "MultiPolygon[2 2]"},
		{"zero-area ring", [][]orb.Point{sq(0, 0, 10, 10, true), {{1, 1}, {2, 2}, {1, 1}}}, "MultiPolygon[1 1]"},
		{"empty parts", [][]orb.Point{{}, sq(0, 0, 1, 1, true), {}}, "Polygon[1]"},
		{"all empty", [][]orb.Point{{}, {}}, "<nil>"},
		{"hole touching its shell", [][]orb.Point{sq(0, 0, 10, 10, true), sq(0, 2, 3, 3, false)}, "Polygon[2]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := shapeOf(assemblePolygons(tc.parts)); got != tc.want {
				t.Errorf("assemblePolygons = %s, want %s", got, tc.want)
			}
		})
	}
}

func shapeOf(g orb.Geometry) string {
	switch g := g.(type) {
	case orb.Polygon:
		return fmt.Sprintf("Polygon[%d]", len(g))
	case orb.MultiPolygon:
		var n []string
		for _, p := range g {
			n = append(n, fmt.Sprint(len(p)))
		}
		return "MultiPolygon[" + strings.Join(n, " ") + "]"
	}
	return fmt.Sprint(g)
}

// TestSRS checks the EPSG code is taken from the root AUTHORITY of WKT
// that GDAL's gdalsrsinfo writes, and not from a nested one.
func TestSRS(t *testing.T) {
	bin := thirdparty.Tool(t, "gdalsrsinfo", "gdal-bin", "gdal")
	for _, tc := range []struct {
		format string
		want   int
	}{{"wkt1", 4544}, {"wkt2", 4544}, {"wkt_esri", 0}} {
		out, err := exec.Command(bin, "-o", tc.format, "EPSG:4544").Output()
		if err != nil {
			t.Fatalf("gdalsrsinfo -o %s EPSG:4544: %v", tc.format, err)
		}
		s := srsOf(out)
		if s.EPSG != tc.want || s.WKT != strings.TrimSpace(string(out)) {
			t.Errorf("%s: EPSG %d, want %d (WKT %.60s)", tc.format, s.EPSG, tc.want, s.WKT)
		}
	}
}
