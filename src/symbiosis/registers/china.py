"""China's hazardous-waste transfer manifests (危险废物转移联单) as registers.

A manifest export heads its columns in Chinese and writes China's own utilisation and
disposal codes (利用处置方式) beside those it shares with the EU's annexes:

- :data:`HEADERS`: the usual Chinese headers of each register field (the manifest's
  移出人/接受人 of the 2021 Measures, 产生单位/接受单位 of older forms), read as that field
  when the mapping names no column for it (:meth:`.mapping.Mapping.resolve`).
- :data:`OPERATIONS`: the codes of China's list that are not the EU's (R15, C1-C3, D16,
  Y10-Y16), each read as the EU operation that counts it alike, in a register whose
  operation column is headed in Chinese (:func:`is_chinese`); elsewhere they are refused
  with what they are (:func:`operation_problem`). China's R1-R9, D1, D9 and D10 are the
  EU's (both follow the Basel Convention's Annex IV). China lists C1 (co-processing in a
  cement kiln) as a disposal (处置), and C2 (building materials) and C3 (cleaning
  packaging) as utilisation (利用): they are counted so. China has no code for storage
  or other interim operations. The codes were checked against two public code tables of
  Chinese hazardous-waste management software (docs/registers.md), which agree; the
  text of HJ 1259-2022 itself was not read.

Complexity: O(1) per header or code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "HEADERS",
    "OPERATIONS",
    "china_notes",
    "chinese_headers",
    "is_chinese",
    "operation_problem",
]

#: Field -> the Chinese headers read as it, in order of preference.
HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("转移日期", "移出日期", "转移时间"),
    "sender": ("移出人统一社会信用代码", "移出单位统一社会信用代码", "产生单位统一社会信用代码",
               "统一社会信用代码"),
    "sender_name": ("移出人名称", "移出单位名称", "产生单位名称", "移出人", "移出单位", "产生单位"),
    "receiver": ("接受人许可证编号", "接受单位许可证编号", "经营许可证编号",
                 "接受人统一社会信用代码", "接受单位统一社会信用代码"),
    "receiver_name": ("接受人名称", "接受单位名称", "接受人", "接受单位"),
    "waste_code": ("废物代码", "危险废物代码"),
    "operation": ("利用处置方式", "利用/处置方式", "处置方式"),
    "quantity": ("转移数量", "转移量", "数量"),
    "unit": ("计量单位", "单位"),
    "consignment": ("联单编号", "转移联单编号", "联单号"),
}  # fmt: skip

#: China's codes that are not the EU's -> (the EU operation read, its name in China's list).
OPERATIONS: dict[str, tuple[str, str]] = {
    "R15": ("R", "其他利用方式, other utilisation"),
    "C2": ("R", "生产建筑材料, making building materials"),
    "C3": ("R", "清洗包装容器, cleaning packaging for reuse"),
    "C1": ("D", "水泥窑协同处置, co-processing in a cement kiln: a disposal in China's list"),
    "D16": ("D", "其他处置方式, other disposal"),
    "Y10": ("D10", "医疗废物焚烧, medical waste incineration"),
    "Y11": ("D9", "医疗废物高温蒸汽处理, steam sterilisation of medical waste"),
    "Y12": ("D9", "医疗废物化学消毒处理, chemical disinfection of medical waste"),
    "Y13": ("D9", "医疗废物微波消毒处理, microwave disinfection of medical waste"),
    "Y16": ("D", "医疗废物其他处置方式, other disposal of medical waste"),
}

_CJK = re.compile(r"[\u3400-\u9fff]")


def is_chinese(header: str | None) -> bool:
    """Whether a column's header is written in Chinese (holds a hanzi)."""
    return header is not None and _CJK.search(header) is not None


def chinese_headers(field: str) -> tuple[str, ...]:
    """The Chinese headers read as ``field`` (:data:`HEADERS`)."""
    return HEADERS.get(field, ())


def operation_problem(code: str) -> tuple[str, str] | None:
    """The message and hint for China's operation ``code`` (already as ``C1``) in a
    register whose operation column is not headed in Chinese; None for another code."""
    found = OPERATIONS.get(code)
    if found is None:
        return None
    read, name = found
    return (
        f"{code!r} is a code of China's list of utilisation and disposal operations "
        f"(利用处置方式; {name}), not of the EU's",
        f"head the column in Chinese (利用处置方式), as a manifest export does, and China's "
        f"codes are read ({code} as {read}); or write {read} (docs/registers.md)",
    )


def china_notes(engine: Any, clean: ir.Table, path: Path) -> list[str]:
    """The warning naming China's codes that the register ``path`` writes and how each was
    read, from its summed groups ``clean`` (:func:`.aggregate.standard`). O(groups)."""
    from .fields import _operation

    written = engine.run(clean.select("operation").distinct())["operation"].to_pylist()
    found = sorted({_operation(str(text).strip()) for text in written if text} & set(OPERATIONS))
    if not found:
        return []
    read = ", ".join(f"{code} ({OPERATIONS[code][1]}) as {OPERATIONS[code][0]}" for code in found)
    return [
        f"{path}: China's operation codes read as the EU's: {read} (R alone: recovery, D "
        "alone: disposal, of unstated kind; docs/registers.md)"
    ]
