"""Passes a wrong type; `mypy --strict` must reject it."""
from containers import IntList

IntList(["a", "b"])
