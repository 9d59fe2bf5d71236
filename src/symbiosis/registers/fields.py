"""What each field of a shipment accepts, in words: the hints of the row checks, a unit's
factor to tonnes, and the check of a mapping's defaults.

The rows are checked inside the engine (:mod:`.aggregate`); a default of the mapping file
fills every empty cell of its field, so it is checked once here, in Python, by the same
rules, and refused at its key rather than on every row it would fill.

Complexity: O(1) per value.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from ..io.flows import FIRST_YEAR, LAST_YEAR
from ..units import UnknownUnitError, parse_unit
from .aggregate import DOTTED_DATE, YEAR_FIRST_DATE, YEAR_LAST_DATE
from .china import operation_problem as china_operation_problem
from .codes import OPERATIONS, formatted

__all__ = [
    "E_MANIFEST_UNITS",
    "HINTS",
    "MASS_HINT",
    "NUL_HINT",
    "YEAR_HINT",
    "date_problem",
    "default_problem",
    "operation_problem",
    "unit_factor",
]

HINTS = {
    "date": "write the date as YYYY-MM-DD (or 2023/5/6, 6.5.2023, 2023年5月6日), or the year alone",
    "sender": "every shipment needs its sender; fill the cell or give a default in the mapping",
    "receiver": "every shipment needs its receiver; fill the cell or give a default in the mapping",
    "waste_code": "write the six digits of the List of Waste, e.g. 17 04 05 or 170405 (* for "
    "hazardous: 17 04 09*)",
    "operation": "use a recovery or disposal code, R1-R13 or D1-D15 (Directive 2008/98/EC, "
    "Annexes II and I)",
    "quantity": "write a number >= 0, e.g. 12.5 (12,5 in a file separated by ; or tabs)",
    "unit": "write t or kg",
}
YEAR_HINT = (
    f"write a year from {FIRST_YEAR} to {LAST_YEAR}, as YYYY-MM-DD or the year alone; a "
    "network's folder is named by its year"
)
#: The mass units to suggest: every one is read (:mod:`symbiosis.units`).
MASS_HINT = "write a mass unit: t, kg, g, kt, Mt, lb, TNE or KGM"
#: The US EPA e-Manifest's unit codes: what each stands for, and the unit to write (None:
#: a volume, which a register cannot take).
E_MANIFEST_UNITS: dict[str, tuple[str, str | None]] = {
    "P": ("pounds", "lb"),
    "K": ("kilograms", "kg"),
    "M": ("metric tons", "t"),
    "T": ("short tons", "short_ton"),
    "G": ("gallons", None),
    "Y": ("cubic yards", None),
    "L": ("liters", None),
    "N": ("cubic meters", None),
}
NUL_HINT = (
    "remove it: a NUL byte comes from a binary export or a UTF-16 file (export the register "
    "again as 'CSV UTF-8')"
)
_YEAR_ONLY = re.compile(r"[0-9]{4}")
_ISO_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})([ T].*)?", re.DOTALL)
_ANY_YEAR_DATE = re.compile(r"([0-9]+)-[0-9]{2}-[0-9]{2}(?:[ T].*)?", re.DOTALL)
_CODE_SEPARATORS = re.compile(r"[ .*-]")
_LOW_CODE = re.compile(r"(0[1-9]|1[0-9]|20)[0-9]{4}")
# a default that is empty fills nothing: the fields whose empty cell is an error
_NEEDED = ("date", "sender", "receiver", "operation", "quantity", "unit")


#: Column names only the US EPA's e-Manifest exports have: a register with one of them
#: reads its unit letters as the e-Manifest's (``T`` short tons, ``L`` liters).
E_MANIFEST_COLUMNS = frozenset(
    {"MANIFEST_TRACKING_NUMBER", "MANAGEMENT_METHOD_CODE", "UNIT_OF_MEASURE", "WASTE_TONS",
     "FEDERAL_WASTE_CODES", "GENERATOR_EPA_ID", "DES_FACILITY_ID"}
)  # fmt: skip


def is_e_manifest(columns: list[str]) -> bool:
    """Whether a register's ``columns`` are those of a US e-Manifest export."""
    return any(str(column).strip().upper() in E_MANIFEST_COLUMNS for column in columns)


def unit_factor(text: str, e_manifest: bool = False) -> tuple[float | None, str]:
    """A unit spelling's factor to tonnes, or None and why it is refused (``message;
    hint``): no unit, a rate, a unit the unit rules refuse, not a mass. ``T`` is the
    tonne, as EU, UK and Australian registers write it, except in a US e-Manifest
    (``e_manifest``), whose letters are refused with what they stand for (``T`` short
    tons). A spelling unknown in its case is read in any case when every case that is a
    unit is the same one (``KG``, ``Kg`` are kg; ``MG`` could be mg or Mg: refused)."""
    if not text:
        return None, "no unit; write t or kg"
    if "/" in text or " per " in f" {text.lower()} ":
        return None, f"{text!r} is a rate; a shipment is an amount: write t or kg"
    if text in E_MANIFEST_UNITS and (e_manifest or text not in ("T", "L")):
        return None, _e_manifest_reason(text)
    try:
        info = parse_unit("t" if text == "T" else text)
    except UnknownUnitError as exc:
        found = _in_any_case(text) if exc.message.startswith("unknown unit") else None
        if found is None:
            # the unit rules' hint may suggest energies and volumes, which a register refuses
            hint = exc.hint if exc.hint.startswith(("did you mean", "'")) else MASS_HINT
            return None, f"{exc.message}; {hint}"
        info = found
    if info.dimension != "mass":
        return None, (
            f"{text!r} is a unit of {info.dimension}; a register's quantities are masses: "
            "write t or kg"
        )
    return info.factor, ""


def _in_any_case(text: str):  # -> UnitInfo | None
    """The unit ``text`` reads as in lower, upper or title case, when all the cases that
    are units are the same unit; else None."""
    found = {}
    for variant in {text.lower(), text.upper(), text.capitalize()}:
        try:
            info = parse_unit(variant)
        except UnknownUnitError:
            continue
        found[(info.dimension, info.factor)] = info
    return next(iter(found.values())) if len(found) == 1 else None


def _e_manifest_reason(code: str) -> str:
    """Why an e-Manifest unit code is refused: a letter, not a unit; what it stands for."""
    meaning, spelled = E_MANIFEST_UNITS[code]
    what = f"write {spelled}" if spelled else "a register's quantities are masses"
    return (
        f"{code!r} is the US e-Manifest's code for {meaning}, not a unit; {what} (the "
        "e-Manifest is not read as such: its management methods, H010 to H141, are no "
        "R/D operations; convert both first, see docs/registers.md)"
    )


def default_problem(name: str, value: str, dayfirst: bool | None = None) -> tuple[str, str] | None:
    """Why ``value`` cannot be the default of the field ``name`` (message, hint), by the
    rules the engine applies to a cell (:mod:`.aggregate`; ``dayfirst``: the mapping's),
    or None."""
    text = value.strip()
    if "\x00" in value:
        return "contains a NUL byte", NUL_HINT
    if not text:
        if name in _NEEDED:
            return (
                "is empty",
                f"give the value that fills the empty cells of {name}, or remove the line",
            )
        return None
    if name == "date" and not _is_date(text, dayfirst):
        message, hint = date_problem(value, dayfirst)
        return message, f"{hint}; to read the date from a column, map it under [columns]"
    if name == "unit":
        factor, reason = unit_factor(text)
        if factor is None:
            message, _, hint = reason.partition("; ")
            return message, hint
    if name == "quantity":
        try:
            number = float(text)
        except ValueError:
            return f"{value!r} is not a number", HINTS["quantity"]
        if not math.isfinite(number) or number < 0:
            return f"{value!r} is not a finite number >= 0", HINTS["quantity"]
    if name == "operation" and _operation(text) not in OPERATIONS:
        return operation_problem(value)
    if name == "waste_code" and not _LOW_CODE.fullmatch(_CODE_SEPARATORS.sub("", text)):
        return code_problem(value)
    return None


#: A code of China's National Catalogue of Hazardous Wastes (国家危险废物名录): its
#: category (HW01 to HW50) and/or its eight-digit code (industry-number-category).
_CHINESE_CODE = re.compile(r"\s*(?:HW\s*\d{2}\b)?[\s:：/]*(?:\d{3}-\d{3}-\d{2})?\s*", re.I)


def code_problem(value: str) -> tuple[str, str]:
    """Why the waste code ``value`` is refused (message, hint): a code of China's National
    Catalogue of Hazardous Wastes is named as such (a register of 转移联单 writes those),
    anything else is no List of Waste code."""
    text = str(value)
    if text.strip() and _CHINESE_CODE.fullmatch(text):
        return (
            f"{value!r} is a code of China's National Catalogue of Hazardous Wastes (国家危险废物"
            "名录), not of the EU List of Waste, the only codes register import reads",
            CHINESE_CODE_HINT,
        )
    plain = _CODE_SEPARATORS.sub("", text.strip())
    if re.fullmatch(r"[0-9]{6}", plain):
        return (
            f"{value!r} is not a List of Waste code: its chapter {plain[:2]} is none of the "
            "list's chapters, 01 to 20",
            HINTS["waste_code"],
        )
    if re.fullmatch(r"[1-9][0-9]{4}", plain):
        return (
            f"{value!r} is not a List of Waste code (five digits)",
            f"a spreadsheet drops a leading zero: did you mean {formatted('0' + plain)}"
            f"{'*' if '*' in text else ''}? Format the column as text; " + HINTS["waste_code"],
        )
    if _RCRA_CODE.fullmatch(text):
        return (
            f"{value!r} is a US RCRA hazardous waste code (40 CFR 261), not a List of Waste "
            "code, the only codes register import reads",
            "write each shipment's List of Waste code, or write the network's flows.csv "
            "yourself, where waste_code may hold the RCRA code (docs/registers.md)",
        )
    return f"{value!r} is not a List of Waste code", HINTS["waste_code"]


#: What to do with China's HW codes: the easy way first.
CHINESE_CODE_HINT = (
    'map the waste\'s name (废物名称) to material and give waste_code = "" under [defaults] in '
    "a mapping file (--mapping; each name is then a material, without a List of Waste "
    "chapter), or write each HW code's List of Waste code (docs/registers.md)"
)


#: US RCRA waste codes (40 CFR 261: D001-D043, F, K, P, U lists), one or several.
_RCRA_CODE = re.compile(r"\s*[DFKPU]\d{3}(\s*[|,;/ ]\s*[DFKPU]\d{3})*\s*", re.I)


def operation_problem(value: str) -> tuple[str, str]:
    """Why the operation ``value`` is refused (message, hint): a code of China's list
    (outside a register whose operation column is headed in Chinese) is named as such."""
    china = china_operation_problem(_operation(value.strip()))
    if china is not None:
        return china
    return f"{value!r} is not a recovery or disposal operation", HINTS["operation"]


def date_problem(text: str, dayfirst: bool | None = None) -> tuple[str, str]:
    """Why the engine refused the date ``text`` (message, hint): a number of days as Excel
    stores a date (``44624``, 2022-03-04: the column was not formatted as a date); a date
    with the year last and slashes or dashes, which the mapping's ``dayfirst`` does not
    say how to read (day first when its first number passes 12, month first when its
    second does, else either); a year a
    network does not take (``0000``, ``0001-01-01``: :data:`~symbiosis.io.flows.FIRST_YEAR`
    to :data:`~symbiosis.io.flows.LAST_YEAR`, in the network reader's words), else no date."""
    shown = repr(text)
    year_last = re.fullmatch(YEAR_LAST_DATE.strip("^$"), text.strip(), re.DOTALL)
    if year_last is not None and dayfirst is None:
        return _year_last_problem(shown, year_last)
    if year_last is not None:  # read as the mapping says, and no day so
        said = f"dayfirst = {'true' if dayfirst else 'false'}"
        return f"{shown} is not a date {'day' if dayfirst else 'month'} first ({said})", (
            f"check the date, and the mapping's {said}; " + HINTS["date"]
        )
    excel = _excel_day(text.strip())
    if excel is not None:
        return (
            f"{shown} looks like a date as Excel stores it, a number of days ({excel})",
            "format the column as a date (Excel: Format Cells > Date) before saving the file, "
            "or write YYYY-MM-DD",
        )
    year = _written_year(text.strip())
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return f"{shown}: {year} is not a year from {FIRST_YEAR} to {LAST_YEAR}", YEAR_HINT
    return f"{shown} is not a date", HINTS["date"]


_OPTION_HINT = (
    "set dayfirst = {} under [options] in a mapping file (--mapping), or write YYYY-MM-DD"
)


def _year_last_problem(shown: str, match: re.Match) -> tuple[str, str]:
    """A date with slashes or dashes and the year last, read neither way: written day
    first or month first when only one reading is a day, either when both are."""
    first, second = (int(next(g for g in match.groups()[i:4:2] if g)) for i in (0, 1))
    year = int(match.group(5))
    day_first, month_first = _is_day(year, second, first), _is_day(year, first, second)
    if day_first and month_first:
        return (
            f"{shown} could be written day first or month first (the year last)",
            _OPTION_HINT.format("true (day first, as Europe writes it) or false (month "
                                "first, as the US does)"),
        )  # fmt: skip
    if day_first:
        return f"{shown} is written day first", _OPTION_HINT.format("true")
    if month_first:
        return f"{shown} is written month first", _OPTION_HINT.format("false")
    return f"{shown} is not a date", HINTS["date"]


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


#: The Excel day numbers taken for dates: 1950-01-01 to 2099-12-31 (five digits, never a
#: year of a network).
_EXCEL_DAYS = (18264, 73050)


def _excel_day(text: str) -> str | None:
    """The date an Excel day number stands for (``44624`` -> ``2022-03-04``: days since
    1899-12-30, Excel's day 0 once its 1900 leap-year bug is counted), or None."""
    if not (text.isascii() and text.isdigit() and len(text) == 5):
        return None
    days = int(text)
    if not _EXCEL_DAYS[0] <= days <= _EXCEL_DAYS[1]:
        return None
    return (dt.date(1899, 12, 30) + dt.timedelta(days=days)).isoformat()


def _written_year(text: str) -> int | None:
    """The year a date is written with (``0001-01-01`` -> 1), or None when it is no date."""
    if text.isascii() and text.isdigit():
        return int(text)
    match = _ANY_YEAR_DATE.fullmatch(text)
    return int(match.group(1)) if match else None


def _is_date(text: str, dayfirst: bool | None = None) -> bool:
    """Whether a default date is one the engine reads (:func:`.aggregate._year`)."""
    if _YEAR_ONLY.fullmatch(text):
        return FIRST_YEAR <= int(text) <= LAST_YEAR
    match = _ISO_DATE.fullmatch(text)
    year_first = re.fullmatch(YEAR_FIRST_DATE.strip("^$"), text, re.DOTALL)
    dotted = re.fullmatch(DOTTED_DATE.strip("^$"), text, re.DOTALL)
    year_last = re.fullmatch(YEAR_LAST_DATE.strip("^$"), text, re.DOTALL)
    try:
        if match is not None:
            day = dt.date.fromisoformat(match.group(1))
        elif year_first is not None:
            month, date = (int(next(g for g in year_first.groups()[i::2] if g)) for i in (1, 2))
            day = dt.date(int(year_first.group(1)), month, date)
        elif dotted is not None:
            day = dt.date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
        elif year_last is not None and dayfirst is not None:
            first, second = (int(next(g for g in year_last.groups()[i:4:2] if g)) for i in (0, 1))
            date, month = (first, second) if dayfirst else (second, first)
            day = dt.date(int(year_last.group(5)), month, date)
        else:
            return False
    except ValueError:
        return False
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _operation(text: str) -> str:
    """``r 04`` -> ``R4``, as :func:`.aggregate._operation` writes it."""
    code = re.sub(r"\s", "", text.upper())
    if code in ("R", "D") or not code[1:].isdigit():
        return code
    return code[:1] + str(int(code[1:]))
