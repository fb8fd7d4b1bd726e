package records

import (
	"unsafe"

	"github.com/pyspec/pyspec/py"
)

// Go names of the author's own: an alias is its target; a named type whose
// underlying type is the spec's is converted by the glue.

// Meters is float64 by another name.
type Meters = float64

// UserID is a distinct type over int64.
type UserID int64

// Tags is a distinct slice type.
type Tags []string

func DoubleDistance(d Meters) Meters { return 2 * d }

func NextID(id UserID) UserID { return id + 1 }

func MaybeID(id *UserID) *UserID {
	if id == nil {
		return nil
	}
	next := *id + 1
	return &next
}

func TagCount(t Tags) int64 { return int64(len(t)) }

// SortedTags makes n tags. n comes from the user: a Go allocation that
// fails ends the process, so the size is checked first (a MemoryError, as
// Python raises for a list it cannot make).
func SortedTags(n int64) (Tags, error) {
	if err := py.CheckAlloc(n, int64(unsafe.Sizeof(""))); err != nil {
		return nil, err
	}
	out := make(Tags, n)
	for i := range out {
		out[i] = string(rune('a' + i))
	}
	return out, nil
}

// Person's methods are promoted to Employee, which embeds it.
type Person struct{ Name string }

func (p *Person) Greeting() string { return "Hello, " + p.Name }

// Employee is a Person with an id.
type Employee struct {
	Person
	ID UserID
}

func NewEmployee(name string, id UserID) *Employee {
	return &Employee{Person: Person{Name: name}, ID: id}
}
