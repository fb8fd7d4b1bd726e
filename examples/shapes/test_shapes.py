"""Tests of the shapes example: spec classes extending spec classes (Go
embedding by value and by pointer), Python subclasses, identity across the
hierarchy, declared exception hierarchies and constants."""

import gc
import sys

import pytest

import shapes as S


def test_hierarchy():
    c, q, s = S.Circle(2), S.Square(3), S.Shape("blob")
    assert S.Circle.__mro__ == (S.Circle, S.Shape, object)
    assert isinstance(c, S.Shape) and isinstance(q, S.Shape)
    assert (c.area(), q.area(), s.area()) == (pytest.approx(12.566, rel=1e-3), 9.0, 0.0)
    # Inherited from Shape, run on the embedded Go Shape.
    assert c.name == "circle" and q.name == "square"
    assert c.describe() == "circle (area 12.57)"
    assert q.describe() == "square (area 9.00)"
    c.name = "ring"
    assert repr(c) == 'Circle(2, "ring")' and repr(q) == 'Shape("square")'
    assert S.Shape.KIND == S.Circle.KIND == "shape"


def test_base_typed_arguments_accept_subclasses_and_keep_identity():
    c, q, s = S.Circle(2), S.Square(3), S.Shape("blob")
    assert S.larger(c, q) is c
    assert S.larger(q, S.Square(1)) is q
    assert S.larger(s, s) is s
    assert S.describe_all(c) == "circle (area 12.57)"
    assert S.describe_all(c, q) == "circle (area 12.57); square (area 9.00)"
    assert S.describe_all(c, None) == S.describe_all(c)
    with pytest.raises(TypeError, match=r"larger\(\) argument 'b' must be Shape, not int"):
        S.larger(c, 1)


def test_optional_instance_results():
    c = S.smallest_circle()
    assert isinstance(c, S.Circle) and c.radius == 1.0
    assert S.smallest_circle(none=True) is None


def test_properties_on_a_derived_class():
    q = S.Square(3)
    q.side = 4
    assert q.area() == 16.0
    with pytest.raises(S.ShapeError, match="side must be > 0"):
        q.side = -1
    assert q.side == 4.0


def test_declared_exception_hierarchy_and_constants():
    assert issubclass(S.DegenerateError, S.ShapeError)
    assert issubclass(S.ShapeError, ValueError)
    with pytest.raises(S.DegenerateError):
        S.Circle(0)
    with pytest.raises(S.ShapeError, match="radius must be >= 0"):
        S.Circle(-1)
    with pytest.raises(ValueError, match="a shape needs a name"):
        S.Shape("")
    assert S.VERSION == "1.0" and S.MAX_SIDES == 64
    assert S.DegenerateError.__doc__ == "A shape of zero size."


def test_python_subclass_of_a_spec_class():
    class Triangle(S.Shape):
        def __init__(self, base, height):
            super().__init__("triangle")
            self.base, self.height = base, height

        def area(self):  # Python's override; Go code still sees Shape.Area
            return self.base * self.height / 2

    t = Triangle(3, 4)
    assert t.area() == 6.0 and t.name == "triangle"
    assert S.larger(t, t) is t
    assert S.describe_all(t) == "triangle (area 0.00)"


def test_instances_are_freed():
    import resource

    def rss():
        gc.collect()
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    for _ in range(100_000):
        S.larger(S.Circle(1), S.Square(2))
    first = rss()
    for _ in range(500_000):
        S.larger(S.Circle(1), S.Square(2)).describe()
    assert rss() - first < 20_000  # KiB
    c = S.Circle(1)
    before = sys.getrefcount(c)
    for _ in range(1000):
        S.larger(c, c)
    assert sys.getrefcount(c) == before
