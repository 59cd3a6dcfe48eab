package importer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
)

// ErrFaults is matched (errors.Is) by a *FaultError.
var ErrFaults = errors.New("importer: the data cannot be imported")

// A FaultError lists every fault that stopped an import; nothing was
// built.
type FaultError struct {
	Faults []error
}

// maxListed is how many faults Error spells out.
const maxListed = 20

// Error lists the first faults and counts the rest.
func (e *FaultError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d fault(s)", ErrFaults, len(e.Faults))
	for i, f := range e.Faults {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(e.Faults)-maxListed)
			break
		}
		b.WriteString("; ")
		b.WriteString(f.Error())
	}
	return b.String()
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
