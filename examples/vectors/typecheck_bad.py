"""Passes a wrong type; `mypy --strict` must reject it."""
from vectors import Vec

Vec(1, 2).dot(3)
