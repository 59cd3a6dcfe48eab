package table

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/wire"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// ReadCSV reads a CSV (or tab-separated) table at path.
func ReadCSV(path string, opt Options) (*ingest.Layer, Chosen, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Chosen{}, fmt.Errorf("reading table: %w", err)
	}
	return readCSV(path, data, opt)
}

// readCSV reads CSV bytes; path names the file in messages.
func readCSV(path string, data []byte, opt Options) (*ingest.Layer, Chosen, error) {
	text, enc, from, err := decodeText(path, data, opt.Encoding)
	if err != nil {
		return nil, Chosen{}, err
	}
	comma := opt.Comma
	if comma == 0 {
		comma = sniffComma(text)
	}
	if comma != ',' && comma != '\t' && comma != ';' {
		return nil, Chosen{}, ingest.Errorf(path, 0, "separator %q: want a comma, a tab or a semicolon", comma)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, Chosen{}, ingest.Errorf(path, 0, "empty table: no header line")
	}
	if err != nil {
		return nil, Chosen{}, ingest.Errorf(path, 0, "header: %v", err)
	}
	b, err := newBuilder(path, header(head), opt)
	if err != nil {
		return nil, Chosen{}, err
	}
	b.chosen.Separator = string(comma)
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, Chosen{}, ingest.Errorf(path, len(b.features)+1, "%v", err)
		}
		line, _ := r.FieldPos(0)
		if err := b.add(row, fmt.Sprintf("line %d", line)); err != nil {
			return nil, Chosen{}, err
		}
	}
	l := b.layer(layerName(path))
	l.Encoding, l.EncodingFrom = enc, from
	return l, b.chosen, nil
}

// decodeText strips a UTF-8 BOM (wire.BOM: Excel's "CSV UTF-8") and decodes the bytes: as the named
// encoding, else as UTF-8 when valid, else as GB18030 (which reads GBK).
func decodeText(path string, data []byte, named string) (text, enc, from string, err error) {
	if rest, ok := bytes.CutPrefix(data, []byte(wire.BOM)); ok {
		if named != "" && !strings.EqualFold(named, "UTF-8") {
			return "", "", "", ingest.Errorf(path, 0, "encoding %s was given, but the file starts with a UTF-8 byte-order mark", named)
		}
		data = rest
		if !utf8.Valid(data) {
			return "", "", "", ingest.Errorf(path, 0, "starts with a UTF-8 byte-order mark but is not valid UTF-8")
		}
		return string(data), "UTF-8", "bom", nil
	}
	switch strings.ToUpper(strings.ReplaceAll(named, "-", "")) {
	case "":
		if utf8.Valid(data) {
			return string(data), "UTF-8", "detected", nil
		}
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return "", "", "", ingest.Errorf(path, 0, "unknown text encoding: neither UTF-8 nor GBK/GB18030 (name it with an encoding option)")
		}
		return string(out), "GB18030", "detected", nil
	case "UTF8":
		if !utf8.Valid(data) {
			return "", "", "", ingest.Errorf(path, 0, "encoding UTF-8 was given, but the file is not valid UTF-8")
		}
		return string(data), "UTF-8", "declared", nil
	case "GBK", "GB2312", "GB18030", "CP936":
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return "", "", "", ingest.Errorf(path, 0, "decoding as %s: %v", named, err)
		}
		return string(out), strings.ToUpper(named), "declared", nil
	}
	return "", "", "", ingest.Errorf(path, 0, "unknown encoding %q: want UTF-8, GBK or GB18030", named)
}

// sniffComma picks the separator of the header line: a tab when it has
// more tabs than commas (outside quotes), else a comma.
func sniffComma(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	tabs, commas, quoted := 0, 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\t':
			tabs++
		case c == ',':
			commas++
		}
	}
	if tabs > commas {
		return '\t'
	}
	return ','
}
