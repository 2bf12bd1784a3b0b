"""``intents`` subcommands for the main CLI: check, eval, explain (``unknown`` reads the database: bot/cli.py).

The main CLI makes an ``intents`` parser and passes its subparsers to
:func:`add_intents_subcommands`. Each handler has the signature
``(args: argparse.Namespace) -> int`` (set as both ``func`` and ``handler``) and reads
``args.intents_dir`` (``None`` or absent: the shipped files) and ``args.cache_dir``; the main CLI
fills them from its settings. ``--intents-dir``/``--cache-dir`` are also accepted after the
subcommand.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from intents.checks import check_intents
from intents.classifier import Classifier
from intents.evaluate import TsvError, evaluate
from intents.loader import default_intents_dir, load_intents
from intents.model import IntentFileError


def _intents_dir(args: argparse.Namespace) -> Path:
    """The keyword folder: ``args.intents_dir`` when set, else the shipped files."""
    folder = getattr(args, "intents_dir", None)
    return Path(folder) if folder else default_intents_dir()


def _cache_dir(args: argparse.Namespace) -> Path | None:
    folder = getattr(args, "cache_dir", None)
    return Path(folder) if folder else None


def _classifier(args: argparse.Namespace) -> Classifier | None:
    """Load the keyword files named by ``args``; print the problems and return None when broken."""
    try:
        intent_set = load_intents(_intents_dir(args))
    except IntentFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None
    for warning in intent_set.warnings:
        print(warning, file=sys.stderr)
    return Classifier(intent_set, _cache_dir(args))


def cmd_check(args: argparse.Namespace) -> int:
    """``intents check``: validate the keyword files and their examples; 1 when there is an error."""
    problems = check_intents(_intents_dir(args), _cache_dir(args))
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{errors} error(s), {len(problems) - errors} warning(s)")
    return 1 if errors else 0


def cmd_eval(args: argparse.Namespace) -> int:
    """``intents eval FILE``: accuracy on a labelled TSV (``--json``, ``--misses``)."""
    classifier = _classifier(args)
    if classifier is None:
        return 1
    try:
        report = evaluate(classifier, Path(args.file))
    except TsvError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        data: dict[str, Any] = report.to_dict()
        if not args.misses:
            data.pop("misses")
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(report.format(show_misses=args.misses))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """``intents explain TEXT``: show how one message is classified."""
    classifier = _classifier(args)
    if classifier is None:
        return 1
    print(classifier.explain(args.text).format())
    return 0


def add_intents_subcommands(subparsers: Any) -> None:
    """Add ``check``, ``eval`` and ``explain`` to ``intents``' subparsers."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the subcommand (or the main CLI's setting) is not overwritten.
    common.add_argument(
        "--intents-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder of the keyword files (default: the INTENTS_DIR setting, else the shipped files)",
    )
    common.add_argument(
        "--cache-dir", type=Path, default=argparse.SUPPRESS, help="writable folder for jieba's cache"
    )
    check = subparsers.add_parser(
        "check", parents=[common], help="validate the keyword files and their examples"
    )
    check.set_defaults(func=cmd_check, handler=cmd_check)
    evaluate_parser = subparsers.add_parser("eval", parents=[common], help="accuracy on a labelled TSV")
    evaluate_parser.add_argument("file", type=Path, help="TSV with a header: label, text[, note]")
    evaluate_parser.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate_parser.add_argument("--misses", action="store_true", help="list the misclassified rows")
    evaluate_parser.set_defaults(func=cmd_eval, handler=cmd_eval)
    explain = subparsers.add_parser("explain", parents=[common], help="show how one message is classified")
    explain.add_argument("text", help="the message")
    explain.set_defaults(func=cmd_explain, handler=cmd_explain)
