package address

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInputBytes is the longest address, in bytes of UTF-8, that CheckInput
// and Geocode accept. Real addresses are under 100 bytes; 512 leaves room
// for notes and phone numbers typed into the same field.
const MaxInputBytes = 512

// ErrEmpty is returned (wrapped) for an address that is empty or only
// spaces and punctuation.
var ErrEmpty = errors.New("address: empty address")

// ErrTooLong is returned (wrapped) for an address longer than MaxInputBytes.
var ErrTooLong = errors.New("address: address too long")

// ErrInvalidText is returned (wrapped) for an address that is not valid
// UTF-8 or holds control, binary or replacement characters, the usual marks
// of a wrong encoding.
var ErrInvalidText = errors.New("address: invalid text")

// CheckInput reports whether s is acceptable input for Geocode: non-empty,
// at most MaxInputBytes bytes, valid UTF-8 and free of control characters
// (tabs and line breaks excepted) and of U+FFFD. The error wraps ErrEmpty,
// ErrTooLong or ErrInvalidText and says where the fault is.
func CheckInput(s string) error {
	if len(s) > MaxInputBytes {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLong, len(s), MaxInputBytes)
	}
	meaningful := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return fmt.Errorf("%w: byte %d is not valid UTF-8", ErrInvalidText, i)
		case r == utf8.RuneError:
			return fmt.Errorf("%w: replacement character U+FFFD at byte %d (wrong encoding?)", ErrInvalidText, i)
		case r == '\t' || r == '\n' || r == '\r':
		case unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != 0x200B && r != 0xFEFF):
			return fmt.Errorf("%w: control character %U at byte %d", ErrInvalidText, r, i)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Han, r):
			meaningful = true
		}
		i += size
	}
	if !meaningful {
		if strings.TrimSpace(s) == "" {
			return ErrEmpty
		}
		return fmt.Errorf("%w: no letters or digits in %q", ErrEmpty, s)
	}
	return nil
}
