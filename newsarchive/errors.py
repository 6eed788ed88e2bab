"""The one error type for bad input: it names the file, the line and the field."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one input file, printed as ``file:line: field: message``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class ContentErrors(Exception):
    """Every problem found in a load, collected so that all are reported at once."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self):   # from a worker process: rebuilt from its errors, not its message
        return (ContentErrors, (self.errors,))
