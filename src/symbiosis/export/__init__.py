"""Writers: files written whole or not at all, JSON/CSV tables, HTML views."""

from .files import write_bytes_atomic, write_text_atomic

__all__ = ["write_bytes_atomic", "write_text_atomic"]
