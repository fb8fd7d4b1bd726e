"""Misuses pyobjects; `mypy --strict` must reject every line marked E."""
import pyobjects as p

p.double(None)  # E: None is not in the union
p.apply(lambda x: "s", [1])  # E: the callable must return an int
p.apply(3, [1])  # E: an int is not callable
p.subscribe(lambda: True)  # E: the callable takes a str
p.Money(1) + "x"  # E: str is not an operand
p.concat("a", 1)  # E: *parts are str
p.tally(a="x")  # E: **counts are int
