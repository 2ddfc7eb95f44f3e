"""Exceptions wordfix raises on purpose."""


class TableError(ValueError):
    """A table file that does not follow the format; the message starts with file:line."""
