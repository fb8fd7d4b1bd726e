"""Uses records as its stub allows; `mypy --strict` must accept it."""
import datetime as dt

import records as r

counts: dict[str, int] = r.word_counts("a b")
n: int = r.total(counts)
lengths: dict[str, int | None] = r.nested({"a": [1.0], "b": None})
words: set[str] = r.unique(["a"])
shared: set[int] = r.overlap({1}, frozenset({1}))
p: r.Point = r.midpoint({"x": 0.0, "y": 0.0}, {"x": 1.0, "y": 1.0, "label": "b"})
x: float = p["x"]
box: r.Box = r.bounding_box([p], color=r.Color.RED)
area: float = r.area(box)
c: r.Color = r.mix(r.Color.RED)
c2: r.Color = r.mix(2)
ok: bool = r.can_write(r.Perm.READ | r.Perm.WRITE)
t: dt.datetime = r.later(dt.datetime.now(dt.timezone.utc), dt.timedelta(seconds=1))
d: dt.timedelta = r.elapsed(t, t)
z: complex = r.rotate(1)
maybe: dt.datetime | None = r.maybe_when(None)
inv = r.Inventory()
inv.counts = {"a": 1}
tags: set[str] = inv.tags
