package shapefile

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// dBase limits of a written table.
const (
	maxFieldName  = 10  // bytes of a field name
	maxFieldWidth = 254 // bytes of a C field
	maxNumWidth   = 20  // characters of an N field (GDAL's limit is 24)
	maxFields     = 255
)

// encodeDBF writes l's attributes as a dBase III table in UTF-8, each
// field as wide as its widest value.
func encodeDBF(l Layer) ([]byte, error) {
	if len(l.Fields) == 0 || len(l.Fields) > maxFields {
		return nil, fmt.Errorf("shapefile: %d fields; a .dbf holds 1 to %d", len(l.Fields), maxFields)
	}
	widths, err := fieldWidths(l)
	if err != nil {
		return nil, err
	}
	recLen := 1
	for _, w := range widths {
		recLen += w
	}
	hdrLen := 32 + 32*len(l.Fields) + 1
	if recLen > 0xFFFF {
		return nil, fmt.Errorf("shapefile: a record of %d bytes is more than a .dbf holds (65,535)", recLen)
	}
	b := make([]byte, 32, hdrLen+recLen*len(l.Features)+1)
	b[0] = 0x03
	if l.Year >= 1900 {
		b[1], b[2], b[3] = byte(l.Year-1900), byte(l.Month), byte(l.Day)
	} else {
		b[2], b[3] = 1, 1
	}
	binary.LittleEndian.PutUint32(b[4:], uint32(len(l.Features)))
	binary.LittleEndian.PutUint16(b[8:], uint16(hdrLen))
	binary.LittleEndian.PutUint16(b[10:], uint16(recLen))
	for i, f := range l.Fields {
		d := make([]byte, 32)
		copy(d, f.Name)
		d[11] = f.Type
		d[16] = byte(widths[i])
		d[17] = byte(f.Decimals)
		b = append(b, d...)
	}
	b = append(b, 0x0D)
	for _, feat := range l.Features {
		b = append(b, ' ')
		for i, f := range l.Fields {
			v := feat.Props[i]
			pad := strings.Repeat(" ", widths[i]-len(v))
			if f.Type == 'N' {
				b = append(append(b, pad...), v...)
			} else {
				b = append(append(b, v...), pad...)
			}
		}
	}
	return append(b, 0x1A), nil
}

// fieldWidths checks the fields and values and returns each field's width.
func fieldWidths(l Layer) ([]int, error) {
	widths := make([]int, len(l.Fields))
	seen := map[string]bool{}
	for i, f := range l.Fields {
		up := strings.ToUpper(f.Name)
		switch {
		case f.Name == "" || len(f.Name) > maxFieldName || strings.IndexByte(f.Name, 0) >= 0:
			return nil, fmt.Errorf("shapefile: field %d name %q: want 1 to %d bytes", i+1, f.Name, maxFieldName)
		case seen[up]:
			return nil, fmt.Errorf("shapefile: field %q is named twice", f.Name)
		case f.Type != 'C' && f.Type != 'N':
			return nil, fmt.Errorf("shapefile: field %q type %q: want C (text) or N (number)", f.Name, f.Type)
		case f.Decimals < 0 || f.Decimals > 15 || (f.Type == 'C' && f.Decimals != 0):
			return nil, fmt.Errorf("shapefile: field %q: %d decimals", f.Name, f.Decimals)
		}
		seen[up] = true
		widths[i] = 1
		if f.Type == 'N' && f.Decimals > 0 {
			widths[i] = f.Decimals + 2
		}
	}
	for n, feat := range l.Features {
		if len(feat.Props) != len(l.Fields) {
			return nil, fmt.Errorf("shapefile: feature %d has %d values for %d fields", n+1, len(feat.Props), len(l.Fields))
		}
		for i, v := range feat.Props {
			if err := checkValue(l.Fields[i], v); err != nil {
				return nil, fmt.Errorf("shapefile: feature %d field %s: %w", n+1, l.Fields[i].Name, err)
			}
			widths[i] = max(widths[i], len(v))
		}
	}
	return widths, nil
}

// checkValue checks that the .dbf can hold v in field f.
func checkValue(f Field, v string) error {
	if f.Type == 'C' {
		switch {
		case len(v) > maxFieldWidth:
			return fmt.Errorf("%d bytes of text, more than a .dbf field holds (%d)", len(v), maxFieldWidth)
		case !utf8.ValidString(v) || strings.ContainsAny(v, "\x00\x1a"):
			return fmt.Errorf("%q is not plain UTF-8 text", v)
		}
		return nil
	}
	if v == "" {
		return nil
	}
	if len(v) > maxNumWidth {
		return fmt.Errorf("%q is longer than %d characters", v, maxNumWidth)
	}
	if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, "eEnNiI_xXpP") {
		return fmt.Errorf("%q is not a plain decimal number", v)
	}
	if dot := strings.IndexByte(v, '.'); f.Decimals == 0 && dot >= 0 || dot >= 0 && len(v)-dot-1 != f.Decimals {
		return fmt.Errorf("%q does not have %d decimals", v, f.Decimals)
	}
	return nil
}

// WriteZip writes the component files f of a Shapefile named name (the
// base name, without an extension) into a zip archive on w: name.shp,
// .shx, .dbf, and .cpg and .prj when f has them.
func WriteZip(w io.Writer, name string, f Files) error {
	zw := zip.NewWriter(w)
	for _, c := range []struct {
		ext  string
		data []byte
	}{{".shp", f.SHP}, {".shx", f.SHX}, {".dbf", f.DBF}, {".cpg", f.CPG}, {".prj", f.PRJ}} {
		if c.data == nil {
			continue
		}
		e, err := zw.Create(name + c.ext)
		if err != nil {
			return fmt.Errorf("shapefile: zipping %s%s: %w", name, c.ext, err)
		}
		if _, err := e.Write(c.data); err != nil {
			return fmt.Errorf("shapefile: zipping %s%s: %w", name, c.ext, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("shapefile: zipping %s: %w", name, err)
	}
	return nil
}
