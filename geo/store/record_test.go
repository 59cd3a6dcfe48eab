package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// oldRecord is changeset 2 of testdata/store-b1e8461.db.gz in
// geo/store/bolt, as gridmap wrote it at commit b1e8461, before records
// had a format.
const oldRecord = `{"id":"a0a6272451c9677c","version":2,"base":1,"author":"张三","reason":"test","time":"2026-12-01T09:03:00Z","kind":"replace","unit":"520201011003","changes":[{"id":13,"kind":"reshaped","before":{"type":"Feature","id":13,"properties":{"id":13,"code":"520201011003002","name":"康乐南路社区第2网格","community":"520201011003","households":303,"buildings":7},"geometry":{"type":"MultiPolygon","coordinates":[[[[104.8429136,26.5917055],[104.8440179,26.5915297],[104.8456963,26.5912249],[104.8457949,26.592288],[104.8443618,26.5927329],[104.8430845,26.5929145],[104.8429136,26.5917055]]]]}},"after":{"type":"Feature","id":13,"properties":{"id":13,"code":"520201011003002","name":"rename-2","community":"520201011003","households":303,"buildings":7},"geometry":{"type":"MultiPolygon","coordinates":[[[[104.8429136,26.5917055],[104.8440179,26.5915297],[104.8456963,26.5912249],[104.8457949,26.592288],[104.8443618,26.5927329],[104.8430845,26.5929145],[104.8429136,26.5917055]]]]}}}]}`

func TestUnmarshalChangesetOlderRecord(t *testing.T) {
	cs, err := UnmarshalChangeset([]byte(oldRecord), 2)
	if err != nil {
		t.Fatalf("UnmarshalChangeset(record without a format) = %v", err)
	}
	if cs.ID != "a0a6272451c9677c" || cs.Version != 2 || cs.Base != 1 || cs.Author != "张三" || cs.Unit != 520201011003 ||
		len(cs.Changes) != 1 || cs.Changes[0].ID != 13 || cs.Changes[0].Kind != "reshaped" || cs.Time.Minute() != 3 {
		t.Errorf("decoded %+v, want every member of the record", cs)
	}
	again, err := MarshalChangeset(cs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(again, []byte(`{"format":1,"id":"a0a6272451c9677c"`)) {
		t.Errorf("MarshalChangeset = %.60s..., want the format first", again)
	}
	back, err := UnmarshalChangeset(again, 2)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(cs)
	b, _ := json.Marshal(back)
	if !bytes.Equal(a, b) {
		t.Errorf("round trip changed the changeset:\n%s\n%s", a, b)
	}
}

func TestUnmarshalChangesetRefusals(t *testing.T) {
	newer := strings.Replace(oldRecord, `{"id"`, `{"format":2,"id"`, 1)
	cases := []struct {
		name, data string
		v          uint64
		want       string
	}{
		{"newer format", newer, 2, "format 2"},
		{"negative format", strings.Replace(newer, `"format":2`, `"format":-1`, 1), 2, "format -1"},
		{"other version", oldRecord, 3, "holds version 2"},
		{"not JSON", `{broken`, 2, "changeset 2"},
		{"wrong type", `{"version":"two"}`, 2, "changeset 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := UnmarshalChangeset([]byte(tc.data), tc.v)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("UnmarshalChangeset = %v, want ErrCorrupt naming %q", err, tc.want)
			}
		})
	}
}

// FuzzUnmarshalChangeset decodes arbitrary records: never a panic, and a
// record that decodes encodes to one that decodes to the same changeset.
func FuzzUnmarshalChangeset(f *testing.F) {
	f.Add([]byte(oldRecord), uint64(2))
	f.Add([]byte(`{"format":1,"version":1,"changes":[]}`), uint64(1))
	f.Add([]byte(`{"format":9}`), uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, v uint64) {
		cs, err := UnmarshalChangeset(data, v)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not match ErrCorrupt", err)
			}
			return
		}
		again, err := MarshalChangeset(cs)
		if err != nil {
			return // raw members (op, features) that are not JSON values
		}
		back, err := UnmarshalChangeset(again, v)
		if err != nil {
			t.Fatalf("re-decoding %s = %v", again, err)
		}
		a, _ := json.Marshal(cs)
		b, _ := json.Marshal(back)
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the changeset:\n%s\n%s", a, b)
		}
	})
}
