"""Passes a wrong type; `mypy --strict` must reject it."""
import shapes

shapes.larger(shapes.Circle(1.0), "square")
