"""``python -m symbiosis`` and the ``symbiosis`` console script."""

import sys


def main() -> None:
    """Import the command-line app and run it; a Ctrl-C while importing exits cleanly too."""
    try:
        from symbiosis.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
