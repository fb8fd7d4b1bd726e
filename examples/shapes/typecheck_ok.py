"""Uses shapes as its stub allows; `mypy --strict` must accept it."""
import shapes

c = shapes.Circle(2.0)
s: shapes.Shape = shapes.larger(c, shapes.Square(3.0))
text: str = shapes.describe_all(c, None) + s.describe() + s.name
maybe: shapes.Circle | None = shapes.smallest_circle(none=False)
area: float = c.area() + c.radius


class Triangle(shapes.Shape):
    def __init__(self) -> None:
        super().__init__("triangle")
