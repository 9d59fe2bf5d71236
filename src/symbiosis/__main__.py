"""``python -m symbiosis`` and the ``symbiosis`` console script."""

import sys


def main() -> None:
    """Import the command-line app and run it; a Ctrl-C while importing exits cleanly too."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        # Answered before importing typer and rich, which the version does not need.
        from symbiosis import __version__

        sys.stdout.write(f"symbiosis {__version__}\n")
        return
    try:
        from symbiosis.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
