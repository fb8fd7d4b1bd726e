package codegen

import (
	"bytes"
	"sort"

	"github.com/pyspec/pyspec/spec"
)

// slotDef is a CPython type slot that special methods fill, as data (after
// PyO3's SlotDef): the slot, the name of its C adapter after the class's,
// the adapter's calling convention (one template per convention in
// module.c.tmpl, named slot_<conv>), and the special methods that fill it
// in their roles: a sibling shares the slot (__delitem__ beside
// __setitem__, __radd__ beside __add__). A new special method is a row
// here, plus its protocol in spec when Python needs to know of it.
type slotDef struct {
	Slot    string   // Py_mp_ass_subscript
	Func    string   // ass_subscript: the adapter is <Class>_ass_subscript
	Conv    string   // the calling convention: the adapter's template
	Methods []string // the roles: {__setitem__, __delitem__}
	Also    []string // further slots the same adapter fills
	Ternary bool     // pow's third argument, refused unless None
	// when, if set, decides whether the class fills the slot (by default:
	// when it implements any of Methods).
	when func(cl *spec.Class) bool
}

// slotDefs in the order module.c lists the adapters.
var slotDefs = func() []slotDef {
	defs := []slotDef{
		{Slot: "Py_tp_repr", Func: "tp_repr", Conv: "unary", Methods: []string{"__repr__"}},
		{Slot: "Py_tp_str", Func: "tp_str", Conv: "unary", Methods: []string{"__str__"}},
		{Slot: "Py_tp_iter", Func: "tp_iter", Conv: "unary", Methods: []string{"__iter__"}},
		{Slot: "Py_tp_iternext", Func: "tp_iternext", Conv: "iternext", Methods: []string{"__next__"}},
		{Slot: "Py_tp_hash", Func: "tp_hash", Conv: "hash", Methods: []string{"__hash__"}},
		{Slot: "Py_nb_bool", Func: "nb_bool", Conv: "inquiry", Methods: []string{"__bool__"}},
		{Slot: "Py_mp_length", Func: "mp_length", Conv: "lenfunc", Methods: []string{"__len__"}, Also: []string{"Py_sq_length"}},
		{Slot: "Py_mp_subscript", Func: "mp_subscript", Conv: "binaryfunc", Methods: []string{"__getitem__"}},
		// As for a Python class with __getitem__: iter() and `in` fall back
		// to the sequence protocol when it takes an integer index.
		{Slot: "Py_sq_item", Func: "sq_item", Conv: "ssizeargfunc", Methods: []string{"__getitem__"}, when: getitemTakesInt},
		{Slot: "Py_mp_ass_subscript", Func: "ass_subscript", Conv: "objobjargproc", Methods: []string{"__setitem__", "__delitem__"}},
		{Slot: "Py_tp_getattro", Func: "tp_getattro", Conv: "getattro", Methods: []string{"__getattr__"}},
		{Slot: "Py_tp_setattro", Func: "tp_setattro", Conv: "setattro", Methods: []string{"__setattr__", "__delattr__"}},
		{Slot: "Py_sq_contains", Func: "sq_contains", Conv: "objobjproc", Methods: []string{"__contains__"}},
		{Slot: "Py_tp_call", Func: "tp_call", Conv: "ternaryfunc", Methods: []string{"__call__"}},
	}
	unary := map[string]string{"__abs__": "absolute", "__float__": "float", "__index__": "index", "__int__": "int",
		"__invert__": "invert", "__neg__": "negative", "__pos__": "positive"}
	for _, name := range sortedKeys(unary) {
		defs = append(defs, slotDef{Slot: "Py_nb_" + unary[name], Func: "nb_" + unary[name], Conv: "unary", Methods: []string{name}})
	}
	ops := sortedKeys(nbSlots)
	for _, op := range ops {
		if op != "divmod" {
			s := nbSlots[op]
			defs = append(defs, slotDef{Slot: "Py_nb_inplace_" + s, Func: "nb_inplace_" + s, Conv: "inplace", Methods: []string{"__i" + op + "__"}, Ternary: op == "pow"})
		}
	}
	for _, op := range ops {
		s := nbSlots[op]
		defs = append(defs, slotDef{Slot: "Py_nb_" + s, Func: "nb_" + s, Conv: "binary", Methods: []string{"__" + op + "__", "__r" + op + "__"}, Ternary: op == "pow"})
	}
	// Six methods or __richcompare__ (the spec allows one or the other).
	return append(defs, slotDef{Slot: "Py_tp_richcompare", Func: "richcompare", Conv: "richcompare",
		Methods: []string{"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__richcompare__"}})
}()

// nbSlots maps each binary operator's stem (spec.BinaryOperators) to its
// number slot: Py_nb_<slot> and Py_nb_inplace_<slot>.
var nbSlots = map[string]string{
	"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
	"floordiv": "floor_divide", "mod": "remainder", "divmod": "divmod", "pow": "power",
	"matmul": "matrix_multiply", "lshift": "lshift", "rshift": "rshift", "and": "and",
	"or": "or", "xor": "xor",
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// slotAdapter is one slot a class fills: its row and the class's special
// methods in the row's roles (nil for a role the class leaves out).
type slotAdapter struct {
	*slotDef
	Class *classView
	Calls []*callView
}

// Call is the first role's method (the only one, for most slots).
func (a slotAdapter) Call() *callView { return a.Calls[0] }

// Role returns the method in role i, or nil.
func (a slotAdapter) Role(i int) *callView { return a.Calls[i] }

// SlotAdapters lists the slots the class fills through special methods.
func (cv *classView) SlotAdapters() []slotAdapter {
	var out []slotAdapter
	for i := range slotDefs {
		d := &slotDefs[i]
		a := slotAdapter{slotDef: d, Class: cv, Calls: make([]*callView, len(d.Methods))}
		any := false
		for k, name := range d.Methods {
			a.Calls[k] = cv.Special(name)
			any = any || a.Calls[k] != nil
		}
		if d.when != nil {
			any = any && d.when(cv.Class)
		}
		if any {
			out = append(out, a)
		}
	}
	return out
}

// slots lists the type slots of the class's special methods, for its
// PyType_Slot array.
func (cv *classView) slots() []slotView {
	var out []slotView
	for _, a := range cv.SlotAdapters() {
		for _, s := range append([]string{a.Slot}, a.Also...) {
			out = append(out, slotView{Slot: s, Func: cv.CName + "_" + a.Func})
		}
	}
	// A class that defines __eq__ and not __hash__ is unhashable, as in Python.
	if (cv.Special("__eq__") != nil || cv.Special("__richcompare__") != nil) && cv.Special("__hash__") == nil {
		out = append(out, slotView{Slot: "Py_tp_hash", Func: "PyObject_HashNotImplemented"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Slot < out[j].Slot })
	return out
}

// renderSlot renders a slot's adapter with the template of its convention.
func renderSlot(a slotAdapter) (string, error) {
	var b bytes.Buffer
	err := templates.ExecuteTemplate(&b, "slot_"+a.Conv, a)
	return b.String(), err
}
