package spec

// Protocol describes a special method in Python's terms: how many
// parameters it takes besides self, and what it must return. Which CPython
// slot it fills, and how, is codegen's (codegen/slots.go).
type Protocol struct {
	Name   string
	Group  string // repr, str, hash, bool, len, getitem, setitem, delitem, contains, iter, next, call, compare, binary, reflected, inplace, unary, int, float, index
	Args   int    // parameters besides self; -1: any (__call__)
	Result string // "str", "bool", "int", "float", "none", "value" (required, any type), "any" (optional)
}

var protocols = map[string]*Protocol{}

func addProtocol(p *Protocol) { protocols[p.Name] = p }

func init() {
	for _, p := range []*Protocol{
		{Name: "__repr__", Group: "repr", Result: "str"},
		{Name: "__str__", Group: "str", Result: "str"},
		{Name: "__hash__", Group: "hash", Result: "int"},
		{Name: "__bool__", Group: "bool", Result: "bool"},
		{Name: "__len__", Group: "len", Result: "int"},
		{Name: "__getitem__", Group: "getitem", Args: 1, Result: "value"},
		{Name: "__setitem__", Group: "setitem", Args: 2, Result: "none"},
		{Name: "__delitem__", Group: "delitem", Args: 1, Result: "none"},
		{Name: "__contains__", Group: "contains", Args: 1, Result: "bool"},
		{Name: "__iter__", Group: "iter", Result: "value"},
		{Name: "__next__", Group: "next", Result: "value"},
		{Name: "__call__", Group: "call", Args: -1, Result: "any"},
		{Name: "__int__", Group: "int", Result: "int"},
		{Name: "__float__", Group: "float", Result: "float"},
		{Name: "__index__", Group: "index", Result: "int"},
		// Called when normal lookup fails (AttributeError): for names the
		// class does not declare.
		{Name: "__getattr__", Group: "getattr", Args: 1, Result: "value"},
		// Called for names that are not declared attributes or properties
		// (nor dunders, which Python keeps).
		{Name: "__setattr__", Group: "setattr", Args: 2, Result: "none"},
		{Name: "__delattr__", Group: "delattr", Args: 1, Result: "none"},
		// All six comparisons in one method, which gets the operator too
		// (an int: py.LT, LE, EQ, NE, GT, GE), as Pydust's and PyO3's.
		{Name: "__richcompare__", Group: "richcompare", Args: 2, Result: "any"},
	} {
		addProtocol(p)
	}
	for _, name := range []string{"eq", "ne", "lt", "le", "gt", "ge"} {
		addProtocol(&Protocol{Name: "__" + name + "__", Group: "compare", Args: 1, Result: "any"})
	}
	for _, name := range []string{"neg", "pos", "abs", "invert"} {
		addProtocol(&Protocol{Name: "__" + name + "__", Group: "unary", Result: "value"})
	}
	for _, name := range BinaryOperators {
		addProtocol(&Protocol{Name: "__" + name + "__", Group: "binary", Args: 1, Result: "value"})
		addProtocol(&Protocol{Name: "__r" + name + "__", Group: "reflected", Args: 1, Result: "value"})
		if name != "divmod" {
			addProtocol(&Protocol{Name: "__i" + name + "__", Group: "inplace", Args: 1, Result: "any"})
		}
	}
}

// BinaryOperators are the stems of the binary operators' special methods:
// __add__, __radd__ and __iadd__ for "add" (no __idivmod__).
var BinaryOperators = []string{
	"add", "sub", "mul", "truediv", "floordiv", "mod", "divmod", "pow",
	"matmul", "lshift", "rshift", "and", "or", "xor",
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
