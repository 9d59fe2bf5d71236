"""``symbiosis --help`` drawn with rich directly, in the layout of typer's help (usage,
description, an Options panel, a Commands panel).

typer's help formatter imports rich's Markdown renderer and its parser (about 0.1 s, half
of the start-up of ``symbiosis --help``) although this help holds no Markdown. A command's
own help (``symbiosis analyze --help``) still goes through typer.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

# typer's styles (typer.rich_utils), so that the root help looks like every other help
_PANEL = {"border_style": "dim", "title_align": "left", "box": box.ROUNDED}
_LONG, _SHORT, _COMMAND = "bold cyan", "bold green", "bold cyan"


def print_root_help(group: Any, ctx: Any, console: Console) -> None:
    """Print the help of the top-level ``group`` (a click group) for ``ctx``."""
    console.print(Padding(Text(group.get_usage(ctx), style="bold"), 1))
    if group.help:
        console.print(Padding(Text(group.help), (0, 1, 1, 1)))
    options = _table()
    for param in group.get_params(ctx):
        if getattr(param, "hidden", False) or not getattr(param, "help", None):
            continue
        long = [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--")]
        short = [o for o in (*param.opts, *param.secondary_opts) if not o.startswith("--")]
        options.add_row(
            Text(",".join(long), style=_LONG), Text(",".join(short), style=_SHORT), param.help
        )
    commands = _table()
    for name in group.list_commands(ctx):
        command = group.commands[name]
        if not getattr(command, "hidden", False):
            commands.add_row(Text(name, style=_COMMAND), Text(command.help or ""))
    panels = [Panel(options, title="Options", **_PANEL)] if options.row_count else []
    panels.append(Panel(commands, title="Commands", **_PANEL))
    console.print(Group(*panels))


def _table() -> Table:
    return Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), highlight=False)
