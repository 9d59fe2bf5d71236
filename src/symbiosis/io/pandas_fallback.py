"""The fallback parse of CSV text, with pandas: for a file pyarrow's fast path could not
read as it is (:mod:`~symbiosis.io.reading`).

pandas' C parser reads every cell as text, one row per record; its errors carry line
numbers. The rows of another length than the header's are counted first
(:func:`~symbiosis.io.rows.row_lengths`): when one has more fields, the text is read cut
to the header's fields, for pandas would take the extra fields of a long first row for an
index, one level per field (10,000 fields: 10 s; 300,000: 100 s and 1.4 GB).

Complexity: O(size of the text). Loads pandas.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from .encoding import refusal
from .quotes import UNCLOSED
from .rows import Lengths, row_lengths

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_with_pandas"]

_problem = refusal


def read_with_pandas(text: str, separator: str, shown: str) -> tuple[pd.DataFrame, Lengths]:
    """Every cell as text, with pandas' C parser, one row per record, and the rows of
    another length than the header's (:func:`~symbiosis.io.rows.row_lengths`): pandas
    pads shorter rows with empty cells, and longer ones are cut to the header's width
    (refused, unless every data row ends with the same empty fields, as some spreadsheet
    exports write them)."""
    import pandas as pd  # the fallback only: the fast path reads without pandas

    options = {
        "sep": separator,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "quoting": csv.QUOTE_MINIMAL,
    }
    lengths = row_lengths(text, separator, shown)
    if lengths.wider:  # read at once cut to the header's fields: pandas would take the
        # extra fields of a long first row for an index, one level per field
        return _cut_to_header(text, lengths, options, shown), lengths
    try:
        frame = pd.read_csv(io.StringIO(text), **options)
        long_rows = not isinstance(frame.index, pd.RangeIndex)  # an implied index column
    except pd.errors.ParserError as exc:
        unclosed = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if unclosed:  # _quote_closed takes such a quote as text: a safety net
            raise _problem(shown, *UNCLOSED, int(unclosed.group(1)) + 1) from None
        if not re.search(r"Expected \d+ fields", str(exc)):
            raise _problem(
                shown, f"is not a readable CSV file ({exc})", "check quotes and separators"
            ) from None
        long_rows = True
    except pd.errors.EmptyDataError:
        raise _problem(shown, "is empty", "add a header row and data rows") from None
    if long_rows:  # a long row the count missed: read again, cut
        frame = _cut_to_header(text, lengths, options, shown)
    return frame, lengths


def _cut_to_header(text: str, lengths: Lengths, options: dict, shown: str) -> pd.DataFrame:
    """``text`` read by pandas, each row cut to the header's fields (by position).
    O(size of the text)."""
    import pandas as pd

    try:
        columns = range(lengths.width)
        return pd.read_csv(io.StringIO(text), index_col=False, usecols=columns, **options)
    except ValueError as exc:  # a ParserError, or a width pandas does not see
        raise _problem(
            shown, f"is not a readable CSV file ({exc})", "check quotes and separators"
        ) from None
