package table

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/xuri/excelize/v2"
)

// Sheets returns the sheet names of the .xlsx workbook at path, in order.
func Sheets(path string) ([]string, error) {
	f, err := openXLSX(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.GetSheetList(), nil
}

// openXLSX opens a workbook, reading cell values raw (not through their
// number formats, which may round a coordinate to two decimals).
func openXLSX(path string) (*excelize.File, error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, ingest.Errorf(path, 0, "not an Excel .xlsx workbook: %v", err)
	}
	return f, nil
}

// ReadXLSX reads one sheet of the Excel workbook at path: Options.Sheet,
// or the first. Its first non-empty row names the columns. Numbers come
// in their shortest decimal form; dates as Excel's serial day numbers
// (the cell as stored, not as displayed).
func ReadXLSX(path string, opt Options) (*ingest.Layer, Chosen, error) {
	f, err := openXLSX(path)
	if err != nil {
		return nil, Chosen{}, err
	}
	defer f.Close()
	sheet, err := pickSheet(path, f.GetSheetList(), opt.Sheet)
	if err != nil {
		return nil, Chosen{}, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, Chosen{}, ingest.Errorf(path, 0, "sheet %q: %v", sheet, err)
	}
	defer rows.Close()
	var b *builder
	for n := 1; rows.Next(); n++ {
		row, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, Chosen{}, ingest.Errorf(path, 0, "sheet %q row %d: %v", sheet, n, err)
		}
		if blank(row) {
			continue
		}
		if b == nil {
			if b, err = newBuilder(path, header(row), opt); err != nil {
				return nil, Chosen{}, err
			}
			continue
		}
		for i, v := range row {
			row[i] = cellText(v)
		}
		if err := b.add(row, fmt.Sprintf("sheet %q row %d", sheet, n)); err != nil {
			return nil, Chosen{}, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, Chosen{}, ingest.Errorf(path, 0, "sheet %q: %v", sheet, err)
	}
	if b == nil {
		return nil, Chosen{}, ingest.Errorf(path, 0, "sheet %q is empty: no header row", sheet)
	}
	b.chosen.Sheet = sheet
	l := b.layer(sheet)
	l.Encoding, l.EncodingFrom = "UTF-8", "declared"
	return l, b.chosen, nil
}

// pickSheet checks name against the sheets or picks the first.
func pickSheet(path string, sheets []string, name string) (string, error) {
	if len(sheets) == 0 {
		return "", ingest.Errorf(path, 0, "the workbook has no sheet")
	}
	if name == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if strings.EqualFold(s, name) {
			return s, nil
		}
	}
	return "", ingest.Errorf(path, 0, "no sheet %q (sheets: %s)", name, strings.Join(sheets, ", "))
}

// blank reports whether every cell of row is empty.
func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// cellText gives a raw cell its text: a number Excel stored with noise
// digits or an exponent ("104.83040000000001", "1E-7") in its shortest
// decimal form, anything else as stored. (A text cell that looks like
// such a number, "1.50", is shortened too: raw values do not say which
// cells are text.)
func cellText(v string) string {
	if !strings.ContainsAny(v, ".eE") || strings.TrimSpace(v) != v {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	if f == 0 {
		return "0"
	}
	if math.Abs(f) >= 1e21 {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
