"""Misuses records; `mypy --strict` must reject every line marked E."""
import records as r

r.total(["a"])  # E: a list is not a dict
r.midpoint({"x": 0.0}, {"x": 1.0, "y": 1.0})  # E: Point needs y
r.midpoint({"x": 0.0, "y": 0.0, "z": 1.0}, {"x": 1.0, "y": 1.0})  # E: Point has no z
r.mix("RED")  # E: a str is not a Color
s: str = r.rotate(1)  # E: complex is not str
r.later(1, 2)  # E: ints are not datetimes
