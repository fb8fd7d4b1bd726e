"""Uses containers as its stub allows; `mypy --strict` must accept it."""
from collections.abc import Iterator

from containers import EmptyError, IntList, Registry, count, numbered_lines, parse_ints, words

l = IntList([1, 2, 3])
l.append(4)
l[0] = 5
del l[1]
first: int = l[0]
total: int = sum(x for x in l) + l.total() + l(5, start=0)
found: bool = 3 in l
l.name = "nums"
r = Registry()
r["a"] = 1
keys: list[str] = r.keys()
try:
    IntList().pop()
except EmptyError:
    pass
evens: Iterator[int] = count(10, 0, 2)
squares: list[int] = [x * x for x in l.values()]
pairs: dict[str, int] = dict(r.items())
names: list[str] = list(r) + list(words("a b"))
numbered: list[tuple[int, str]] = list(numbered_lines("x\ny"))
parsed: int = sum(parse_ints(["1", "2"]))
