"""Uses pyobjects as its stub allows; `mypy --strict` must accept it."""
from typing import Any

import pyobjects as p

s: str = p.describe(object())
a: Any = p.attr(1, "real")
f: float = p.as_number(3)
d: int | float | str = p.double(2)
n: int | None = p.maybe_length([1, 2])
xs: list[int] = p.apply(lambda x: x + 1, (1, 2))
p.call_each(print, ["a"], 1)
r: Any = p.call_any(max, 1, 2)
first: str = p.first_ok([lambda: "x"])
p.subscribe(lambda m: m == "x")
p.subscribe(None)
ok: bool = p.publish("x")
m: p.Money = p.Money(1) + 2 + 0.5 + p.Money(3)
parts: list[p.Money] | list[int] = m.split(2)
joined: str = p.concat("a", "b", sep="-")
total, names = p.tally(a=1)
shape: str = p.call_shape(1, "x", None, flag=True)
with p.Record() as rec:
    rec.anything = 1
    got: Any = rec.anything
    fields: list[str] = rec.fields()
