"""The command group that imports a command's module only when that command is used.

``symbiosis --help`` lists every command from :data:`COMMANDS` (name, module, short help)
and imports none of them; ``symbiosis COMMAND ...`` imports that command's module alone.
Command modules register their functions on :data:`registry` (``@command()`` in ``app``),
which runs each through :func:`.paths.guarded`: its outputs are checked against the files
it reads before it does any work.
"""

from __future__ import annotations

import inspect
from importlib import import_module

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info

from .paths import guarded

# In the order of `symbiosis --help`: the path a new user takes. The short help is the first
# paragraph of the command's docstring (tests/cli/test_startup.py checks they agree).
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "validate",
        "Check firms.csv and flows.csv: columns, ids, units, categories, roles and quantities.",
    ),
    "analyze": ("analyze", "Run every analysis on a network and print the report."),
    "loops": (
        "loops",
        "List the circular loops among actors, ranked by their bottleneck (smallest arc).",
    ),
    "reuse": (
        "reuse",
        "Account for by-products, wastes and emissions: generated, reused, treated, sold, "
        "disposed, emitted, with the reuse share, the utilization rate and the circular input "
        "rate, per dimension.",
    ),
    "balance": (
        "balance",
        "Compare each firm's recorded inputs and outputs, per dimension, and flag those beyond "
        "the tolerance.",
    ),
    "reconcile": (
        "reconcile",
        "Reconcile the flows with the actors' balances (what STAN does): adjust the uncertain "
        "flows, weighted by their variances, so that every actor that should balance does, and "
        "flag the adjustments too large to be noise.",
    ),
    "structure": (
        "structure",
        "Resource-city indicators: how much of the throughflow comes from the network's own "
        "mines, how diverse its sectors are, and how many processing stages its chains have.",
    ),
    "opportunities": (
        "opportunities",
        "Find where disposed, emitted or sold streams could become inputs: redirects, new "
        "links, new plants (chain extension) and downstream processing, each with the "
        "catalogue row and source behind it and its impact on the reuse share.",
    ),
    "scenario": (
        "scenario",
        "Apply what-if scenarios (TOML files of edits and supply shocks) and compare every "
        "headline indicator before and after, with the loops each scenario opens and closes.",
    ),
    "shock": (
        "shock",
        "Cut an actor's output (a mine at -50 %, a smelter closed) and follow the loss "
        "downstream: each actor runs at the share of its scarcest product input (Leontief), "
        "and buys accordingly; by-products and wastes it takes count by their share of its "
        "throughflow.",
    ),
    "criticality": (
        "criticality",
        "Rank the keystone actors: for each, what its removal would cost the network (loops "
        "broken, reuse share lost, by-products left without a taker, firms cut off).",
    ),
    "trends": (
        "trends",
        "Every headline indicator per year of the flows' year column, with the links and "
        "loops that appeared or vanished from one year to the next.",
    ),
    "compare": (
        "compare",
        "Set two networks side by side: every headline indicator of A and B with the "
        "difference, the flows added, removed and changed, and the firms added and removed.",
    ),
    "uncertainty": (
        "uncertainty",
        "Monte Carlo of every headline indicator under uncertain flows: intervals, the flows "
        "that drive each spread, and how often each opportunity stays in the top N.",
    ),
    "register": (
        "register",
        "Import waste shipment registers (date, sender, receiver, waste code, operation, "
        "quantity, unit per row) as one network per year, with the recovery rate by List of "
        "Waste chapter.",
    ),
    "export": (
        "export",
        "Write the network as an interactive HTML file that opens anywhere, offline.",
    ),
    "report": (
        "export",
        "Run every analysis and write the report as one HTML page that opens offline.",
    ),
}


def click_errors() -> tuple[type[Exception], type[Exception]]:
    """Click's ClickException and UsageError, as the installed typer raises them: its own
    copy of click from typer 0.16 on, click itself before (found from the public
    ``typer.BadParameter``, a kind of both)."""
    kinds = typer.BadParameter.__mro__
    return next(k for k in kinds if k.__name__ == "ClickException"), next(
        k for k in kinds if k.__name__ == "UsageError"
    )


_FOUND = "symbiosis.usage_errors"  # the parameters' mistakes, in the context's meta


class _Collecting(TyperCommand):
    """A command whose parameters' mistakes (a value of the wrong type or out of range, a
    missing argument, an extra one) are all said at once: click stops at the first, so
    that a user who gave three wrong values met them one run at a time. Each parameter's
    error is noted and the next parameter read; one :class:`UsageErrors` then holds them
    all, in the order click reads the parameters (the order given on the command line,
    then the others). O(parameters)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        usage_error = click_errors()[1]
        for param in self.params:
            param.handle_parse_result = _noting(param.handle_parse_result, usage_error)

    def parse_args(self, ctx, args):
        usage_error = click_errors()[1]
        found = ctx.meta.setdefault(_FOUND, [])
        try:
            args = super().parse_args(ctx, args)
        except usage_error as exc:  # an extra argument: said after the parameters' ones
            found.append(exc)
        if len(found) == 1:
            raise found[0]
        if found:
            raise _many(found, ctx, usage_error)
        return args


def _noting(handle, usage_error):
    """``handle`` (a parameter's ``handle_parse_result``), its usage error noted in the
    context instead of raised: the value is then left unset (the command never runs)."""

    def noted(ctx, opts, args):
        try:
            return handle(ctx, opts, args)
        except usage_error as exc:
            ctx.meta.setdefault(_FOUND, []).append(exc)
            return None, args

    return noted


def _many(found: list, ctx, usage_error):
    """One usage error holding several (``errors``): the command line prints a line each."""
    error = usage_error(f"{len(found)} mistakes on the command line", ctx)
    error.errors = found
    return error


class _Registry(typer.Typer):
    """Where command functions register: each is registered as :func:`.paths.guarded`
    makes it, so that no command can forget to check its outputs against its inputs."""

    def command(self, *args, **kwargs):
        register = super().command(*args, cls=_Collecting, **kwargs)

        def decorator(function):
            register(guarded(function))
            return function

        return decorator


# Command functions register here when their module is imported; nothing builds them as a
# typer app: LazyGroup turns the one asked for into a click command.
registry = _Registry()


def reflow(text: str) -> str:
    """A docstring as help text: each paragraph on one line, so that rich wraps it to the
    terminal instead of keeping the source's line breaks."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _not_loaded(**kwargs) -> None:
    raise RuntimeError("a command placeholder was invoked; LazyGroup.resolve_command loads it")


class LazyGroup(TyperGroup):
    """The top-level group: lists :data:`COMMANDS` without importing them, and imports a
    command's module when the command is resolved (to run it or show its own help)."""

    def __init__(self, **attrs) -> None:
        super().__init__(**attrs)
        # Placeholders holding the name and short help: enough for the command list of
        # `symbiosis --help` and for "did you mean ...?" suggestions.
        self.commands = {
            name: TyperCommand(
                name, help=short, callback=_not_loaded, rich_markup_mode=self.rich_markup_mode
            )
            for name, (_, short) in COMMANDS.items()
        }
        self._loaded: dict[str, TyperCommand] = {}

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        # typer leaves an absent --help as None and coerces None through pydantic, whose
        # import alone costs about as much as typer's: `COMMAND --help` would pay it for the
        # group's own --help. False is what the absent flag means, and needs no coercion.
        if option is not None and option.default is None:
            option.default = False
        return option

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def format_help(self, ctx, formatter) -> None:
        # Drawn without typer's formatter, which imports a Markdown renderer (0.1 s).
        from rich.console import Console

        from .root_help import print_root_help

        print_root_help(self, ctx, Console(highlight=False, emoji=False))

    def resolve_command(self, ctx, args):
        if args and args[0] in COMMANDS:
            return args[0], self.load(args[0]), args[1:]
        return super().resolve_command(ctx, args)  # unknown: click's error, with suggestions

    def load(self, name: str):
        """The click command ``name``, its module imported on first use."""
        if name not in self._loaded:
            import_module(f"{__package__}.{COMMANDS[name][0]}")
            info = next(
                c
                for c in registry.registered_commands
                if (c.name or c.callback.__name__.replace("_", "-")) == name
            )
            if info.help is None and info.callback.__doc__:
                info.help = reflow(info.callback.__doc__)
            self._loaded[name] = get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=self.rich_markup_mode
            )
        return self._loaded[name]
