package store

import (
	"encoding/json"
	"fmt"
)

// ChangesetFormat is the format of the changeset records
// MarshalChangeset writes: the JSON of Changeset with a "format" member.
// Records without one (format 0) were written before records had a
// format and have the same members; UnmarshalChangeset reads both. A
// change to the record bumps the format and teaches UnmarshalChangeset
// the old one, so stored history never needs a migration; the HTTP
// answers are the server's own types, mapped from these records.
const ChangesetFormat = 1

// MarshalChangeset returns the stored record of cs.
func MarshalChangeset(cs *Changeset) ([]byte, error) {
	data, err := json.Marshal(struct {
		Format int `json:"format"`
		*Changeset
	}{ChangesetFormat, cs})
	if err != nil {
		return nil, fmt.Errorf("encoding changeset %d: %w", cs.Version, err)
	}
	return data, nil
}

// UnmarshalChangeset decodes the stored record of version v written by
// MarshalChangeset, or by gridmap before records had a format. A record
// that does not decode, belongs to another version, or has a format this
// code does not know (written by a newer gridmap) is ErrCorrupt.
func UnmarshalChangeset(data []byte, v uint64) (*Changeset, error) {
	var rec struct {
		Format int `json:"format"`
		Changeset
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%w: changeset %d: %v", ErrCorrupt, v, err)
	}
	switch {
	case rec.Format < 0 || rec.Format > ChangesetFormat:
		return nil, fmt.Errorf("%w: changeset %d has record format %d; this gridmap reads formats up to %d (a newer gridmap wrote it)", ErrCorrupt, v, rec.Format, ChangesetFormat)
	case rec.Version != v:
		return nil, fmt.Errorf("%w: the record of changeset %d holds version %d", ErrCorrupt, v, rec.Version)
	}
	return &rec.Changeset, nil
}
