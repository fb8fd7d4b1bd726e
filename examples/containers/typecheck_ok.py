"""Uses containers as its stub allows; `mypy --strict` must accept it."""
from containers import EmptyError, IntList, Registry

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
