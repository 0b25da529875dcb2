"""Entry point: `python bot.py [command]` — parses the command line; wiring/ does the rest."""

from __future__ import annotations

import argparse
import sys

from wiring.commands import COMMANDS, run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description="Bandung SME assistant")
    sub = parser.add_subparsers(dest="command")
    for name, command in COMMANDS.items():
        command.add_arguments(sub.add_parser(name, help=command.help))
    return parser


if __name__ == "__main__":
    sys.exit(run(build_parser().parse_args()))
