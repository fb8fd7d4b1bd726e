package spec

// Protocol describes a special method: which CPython slot it fills, how many
// parameters it takes besides self, and what it must return.
type Protocol struct {
	Name   string
	Group  string // repr, str, hash, bool, len, getitem, setitem, delitem, contains, iter, next, call, compare, binary, reflected, inplace, unary, int, float, index
	Args   int    // parameters besides self; -1: any (__call__)
	Result string // "str", "bool", "int", "float", "none", "value" (required, any type), "any" (optional)
	Slot   string // the CPython slot, e.g. Py_nb_add; the operator for comparisons, e.g. Py_EQ
}

var protocols = map[string]*Protocol{}

func addProtocol(p *Protocol) { protocols[p.Name] = p }

func init() {
	for _, p := range []*Protocol{
		{Name: "__repr__", Group: "repr", Result: "str", Slot: "Py_tp_repr"},
		{Name: "__str__", Group: "str", Result: "str", Slot: "Py_tp_str"},
		{Name: "__hash__", Group: "hash", Result: "int", Slot: "Py_tp_hash"},
		{Name: "__bool__", Group: "bool", Result: "bool", Slot: "Py_nb_bool"},
		{Name: "__len__", Group: "len", Result: "int", Slot: "Py_mp_length"},
		{Name: "__getitem__", Group: "getitem", Args: 1, Result: "value", Slot: "Py_mp_subscript"},
		{Name: "__setitem__", Group: "setitem", Args: 2, Result: "none", Slot: "Py_mp_ass_subscript"},
		{Name: "__delitem__", Group: "delitem", Args: 1, Result: "none", Slot: "Py_mp_ass_subscript"},
		{Name: "__contains__", Group: "contains", Args: 1, Result: "bool", Slot: "Py_sq_contains"},
		{Name: "__iter__", Group: "iter", Result: "value", Slot: "Py_tp_iter"},
		{Name: "__next__", Group: "next", Result: "value", Slot: "Py_tp_iternext"},
		{Name: "__call__", Group: "call", Args: -1, Result: "any", Slot: "Py_tp_call"},
		{Name: "__int__", Group: "int", Result: "int", Slot: "Py_nb_int"},
		{Name: "__float__", Group: "float", Result: "float", Slot: "Py_nb_float"},
		{Name: "__index__", Group: "index", Result: "int", Slot: "Py_nb_index"},
		// Called when normal lookup fails (AttributeError): for names the
		// class does not declare.
		{Name: "__getattr__", Group: "getattr", Args: 1, Result: "value", Slot: "Py_tp_getattro"},
		// Called for names that are not declared attributes or properties
		// (nor dunders, which Python keeps).
		{Name: "__setattr__", Group: "setattr", Args: 2, Result: "none", Slot: "Py_tp_setattro"},
		{Name: "__delattr__", Group: "delattr", Args: 1, Result: "none", Slot: "Py_tp_setattro"},
	} {
		addProtocol(p)
	}
	for name, op := range map[string]string{"eq": "Py_EQ", "ne": "Py_NE", "lt": "Py_LT", "le": "Py_LE", "gt": "Py_GT", "ge": "Py_GE"} {
		addProtocol(&Protocol{Name: "__" + name + "__", Group: "compare", Args: 1, Result: "any", Slot: op})
	}
	for name, slot := range map[string]string{"neg": "negative", "pos": "positive", "abs": "absolute", "invert": "invert"} {
		addProtocol(&Protocol{Name: "__" + name + "__", Group: "unary", Result: "value", Slot: "Py_nb_" + slot})
	}
	for name, slot := range BinaryOperators {
		addProtocol(&Protocol{Name: "__" + name + "__", Group: "binary", Args: 1, Result: "value", Slot: "Py_nb_" + slot})
		addProtocol(&Protocol{Name: "__r" + name + "__", Group: "reflected", Args: 1, Result: "value", Slot: "Py_nb_" + slot})
		if name != "divmod" {
			addProtocol(&Protocol{Name: "__i" + name + "__", Group: "inplace", Args: 1, Result: "any", Slot: "Py_nb_inplace_" + slot})
		}
	}
}

// BinaryOperators maps each binary operator's method stem to its nb slot.
var BinaryOperators = map[string]string{
	"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
	"floordiv": "floor_divide", "mod": "remainder", "divmod": "divmod", "pow": "power",
	"matmul": "matrix_multiply", "lshift": "lshift", "rshift": "rshift", "and": "and",
	"or": "or", "xor": "xor",
}

// PlainDunders are special methods Python looks up as ordinary methods
// (no slot): declared as any method is.
var PlainDunders = map[string]bool{
	"__enter__": true, "__exit__": true, "__reversed__": true, "__format__": true, "__dir__": true,
	"__sizeof__": true, "__length_hint__": true, "__round__": true, "__trunc__": true, "__floor__": true,
	"__ceil__": true, "__complex__": true, "__bytes__": true, "__fspath__": true,
}

// LookupProtocol returns the protocol of a special method name, or nil.
func LookupProtocol(name string) *Protocol { return protocols[name] }
