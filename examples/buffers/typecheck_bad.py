"""Passes a wrong type; `mypy --strict` must reject it."""
import buffers

buffers.sum([1, 2, 3])
