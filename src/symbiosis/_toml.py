"""tomllib's syntax errors in the words of symbiosis's messages (scenario and register
mapping files): the line taken out of the text into the problem's row. Imports only
:mod:`symbiosis.errors`."""

from __future__ import annotations

import re

from .errors import Problem

__all__ = ["syntax_problem"]

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_OF_DOCUMENT = re.compile(r"\s*\(at end of document\)\s*$")


def syntax_problem(file: str, message: str, hint: str, text: str | None = None) -> Problem:
    """``tomllib.TOMLDecodeError``'s ``message`` as a problem of ``file`` at its line:
    ``not valid TOML: expected ']' ...``; ``hint`` says what the file should hold. An
    error at the end of the document (an array, a table or a string never closed:
    ``columns = [``) is at the last line of the file's ``text`` that is not blank, where
    the reader stopped looking for the end of what is open. O(len(text))."""
    match = _POSITION.search(message)
    line = int(match.group(1)) if match else None
    ended = _END_OF_DOCUMENT.search(message) is not None
    message = _END_OF_DOCUMENT.sub("", _POSITION.sub("", message))
    said = f"not valid TOML: {message[:1].lower()}{message[1:]}"
    if ended:
        said += " at the end of the file"
        line = None if text is None else text.rstrip().count("\n") + 1
    return Problem(file, line, None, said, hint)
