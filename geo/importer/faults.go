package importer

import (
	"errors"

	"github.com/gridmap/gridmap/geo/ingest"
)

// ErrFaults is matched (errors.Is) by a *FaultError.
var ErrFaults = errors.New("importer: the data cannot be imported")

// A FaultError lists every fault that stopped an import; nothing was
// built.
type FaultError struct {
	Faults []error
}

// Error lists the first faults and counts the rest (ingest.ListFaults).
func (e *FaultError) Error() string {
	return ingest.ListFaults(ErrFaults, "fault", len(e.Faults), func(i int) string { return e.Faults[i].Error() })
}

// Is makes errors.Is(err, ErrFaults) true.
func (e *FaultError) Is(target error) bool { return target == ErrFaults }

// faults collects faults; err returns a *FaultError or nil.
type faults struct{ list []error }

func (f *faults) add(err error) {
	if err != nil {
		f.list = append(f.list, err)
	}
}

func (f *faults) addf(l *ingest.Layer, feature int, format string, args ...any) {
	f.add(ingest.Errorf(l.Source, feature, format, args...))
}

func (f *faults) err() error {
	if len(f.list) == 0 {
		return nil
	}
	return &FaultError{Faults: f.list}
}
