"""Writers: files written whole or not at all, JSON/CSV tables, HTML views."""

from typing import Any

from .files import write_bytes_atomic, write_text_atomic

__all__ = ["write_bytes_atomic", "write_network", "write_text_atomic"]


def __getattr__(name: str) -> Any:
    # write_network needs pandas: imported when asked for, not with every write (the CLI
    # imports export.files before each command)
    if name == "write_network":
        from .network_files import write_network

        return write_network
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
