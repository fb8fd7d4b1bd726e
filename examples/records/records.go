// Package records implements the records example: plain Go maps, sets,
// structs, named integer types (the enums), time values and complex
// numbers, which pyspec converts from and to Python's.
package records

import (
	"math"
	"math/cmplx"
	"sort"
	"strings"
	"time"

	"github.com/pyspec/pyspec/py"
)

func WordCounts(text string) map[string]int64 {
	counts := map[string]int64{}
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	return counts
}

func Total(counts map[string]int64) int64 {
	var n int64
	for _, v := range counts {
		n += v
	}
	return n
}

func Invert(m map[string]int32) map[int32][]string {
	out := map[int32][]string{}
	for k, v := range m {
		out[v] = append(out[v], k)
	}
	for _, ks := range out {
		sort.Strings(ks)
	}
	return out
}

func Nested(m map[string]*[]float64) map[string]*int64 {
	out := map[string]*int64{}
	for k, v := range m {
		if v == nil {
			out[k] = nil
			continue
		}
		n := int64(len(*v))
		out[k] = &n
	}
	return out
}

func Unique(words []string) map[string]struct{} {
	set := map[string]struct{}{}
	for _, w := range words {
		set[w] = struct{}{}
	}
	return set
}

func Overlap(a, b map[int64]struct{}) map[int64]struct{} {
	out := map[int64]struct{}{}
	for k := range a {
		if _, ok := b[k]; ok {
			out[k] = struct{}{}
		}
	}
	return out
}

func Midpoint(a, b Point) Point {
	return Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2, Label: "mid"}
}

func BoundingBox(points []Point, color Color) (Box, error) {
	if len(points) == 0 {
		return Box{}, py.ValueError("bounding_box of no points")
	}
	box := Box{Low: points[0], High: points[0], Inside: points, Color: color}
	for _, p := range points[1:] {
		box.Low.X, box.Low.Y = math.Min(box.Low.X, p.X), math.Min(box.Low.Y, p.Y)
		box.High.X, box.High.Y = math.Max(box.High.X, p.X), math.Max(box.High.Y, p.Y)
	}
	box.Low.Label, box.High.Label = "low", "high"
	return box, nil
}

func Area(box Box) float64 { return (box.High.X - box.Low.X) * (box.High.Y - box.Low.Y) }

func Mix(c Color) Color {
	switch c {
	case ColorRed:
		return ColorGreen
	case ColorGreen:
		return ColorBlue
	}
	return ColorRed
}

func CanWrite(p Perm) bool { return p&PermWrite != 0 }

func AllPerms() Perm { return PermRead | PermWrite | PermExec }

func Later(t time.Time, d time.Duration) time.Time { return t.Add(d) }

func Elapsed(a, b time.Time) time.Duration { return b.Sub(a) }

func InZone(t time.Time, minutes int32) time.Time {
	return t.In(time.FixedZone("", int(minutes)*60))
}

func ScaleDuration(d time.Duration, k float64) time.Duration {
	return time.Duration(float64(d) * k)
}

func Rotate(z complex128) complex128 { return z * 1i }

func Roots(a, b, c float64) ([]complex128, error) {
	if a == 0 {
		return nil, py.ValueError("a must not be 0")
	}
	d := cmplx.Sqrt(complex(b*b-4*a*c, 0))
	return []complex128{(complex(-b, 0) + d) / complex(2*a, 0), (complex(-b, 0) - d) / complex(2*a, 0)}, nil
}

func MaybeWhen(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	r := t.Add(time.Hour)
	return &r
}

// Inventory counts items by name.
type Inventory struct {
	Counts map[string]int64
	Tags   map[string]struct{}
	Origin Point
}

func NewInventory() *Inventory {
	return &Inventory{Counts: map[string]int64{}, Tags: map[string]struct{}{}}
}

func (inv *Inventory) Add(name string, n int64) { inv.Counts[name] += n }

func (inv *Inventory) Snapshot() map[string]int64 {
	out := make(map[string]int64, len(inv.Counts))
	for k, v := range inv.Counts {
		out[k] = v
	}
	return out
}
