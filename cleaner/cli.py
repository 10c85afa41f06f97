"""The ``clean`` command: parse flags, build ``Settings`` and a ``Job``, run, set the exit code.

It holds no cleaning logic. Exit codes follow ruff: 0 clean (or cleaned), 1 findings in
``--check`` / changes in ``--diff``, 2 a usage, config, rule or input error.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

from . import __version__
from .audit import DEFAULT_SAMPLE, DEFAULT_SEED, Tally
from .audit_html import render
from .budget import DEFAULT_MAX_BYTES, Budget
from .engine import LEARNED_RULE
from .errors import CleanerError
from .examples import check_rule
from .html import clean_html, structure_rules
from .learn import DEFAULT_MAX_ENTRIES, DEFAULT_MIN_DOCS, DEFAULT_MIN_SHARE, Learner
from .packs import builtin_pack_paths, load_packs, select_rules
from .parquet import require_pyarrow
from .records import iter_documents, parse_field
from .report import FORMATS, Baseline, Reporter
from .rule import Rule
from .runner import Job, Run, ordered_map, total_size, units_for
from .settings import Overrides, Settings, find_config, load_settings, merge
from .textio import DEFAULT_INCLUDE, detect_format, discover, read_file

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: Sequence[str] | None) -> tuple[str, ...]:
    """Accept both ``--ignore A,B`` and ``--ignore A --ignore B``."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clean",
        description="Strip boilerplate and syndication noise from scraped articles.",
        epilog="Subcommands: 'clean rules' lists the rules, 'clean explain CODE' shows one, "
        "'clean learn' learns per-source boilerplate, 'clean report PATH... -o report.html' "
        "writes an HTML audit of what cleaning removes. "
        "Exit codes: 0 clean, 1 findings (--check) or changes (--diff), 2 error.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or directories; none or '-' reads standard input")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="lint: report findings, exit 1 if any")
    mode.add_argument("--fix", action="store_true", help="rewrite files in place (atomically)")
    mode.add_argument("--diff", action="store_true", help="show a unified diff, write nothing")
    parser.add_argument("--format", choices=("text", "html", "jsonl", "parquet"),
                        help="input format (default: from the extension; text)")
    parser.add_argument("--field", default="text",
                        help="JSONL: dotted path of the text field; Parquet: the text column")
    parser.add_argument("--no-title", action="store_true",
                        help="leave the detected title line out of the output (corpora of "
                             "article bodies have none)")
    parser.add_argument("--annotate", action="store_true",
                        help="JSONL, Parquet: add the removals (rule, line, text, reason) to "
                             "each record (row)")
    parser.add_argument("--annotate-field", default="cleaner_removed", metavar="FIELD",
                        help="JSONL: dotted path the removals go under; Parquet: the column "
                             "(default cleaner_removed)")
    parser.add_argument("--on-error", choices=("fail", "skip", "keep"), default="fail",
                        help="JSONL: a malformed line or a record without the field "
                        "(always reported); 'skip' also drops documents over the budget "
                        "(--max-doc-bytes, --doc-timeout) from plain output")
    parser.add_argument("--encoding", default="utf-8",
                        help="text encoding of input without a BOM (default utf-8)")
    parser.add_argument("-o", "--output", help="write cleaned output here instead of stdout "
                        "(Parquet input: required, a Parquet file, replaced atomically)")
    parser.add_argument("--stdin-filename", default="-",
                        help="name for standard input in messages, format and per-file ignores")
    parser.add_argument("--output-format", choices=FORMATS, default="text",
                        help="diagnostics format for --check")
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("--select", action="append", help="rule codes/prefixes to use")
    parser.add_argument("--extend-select", action="append", help="add to the selection")
    parser.add_argument("--ignore", action="append", help="rule codes/prefixes to turn off")
    parser.add_argument("--profile", metavar="FILE",
                        help="a learned profile ('clean learn'): remove its lines as LRN001")
    parser.add_argument("--source-field", metavar="FIELD",
                        help="JSONL: dotted path of the record's source, for --profile; "
                             "Parquet: the source column")
    parser.add_argument("--rules", action="append", default=[], metavar="FILE",
                        help="an extra rule pack (TOML)")
    parser.add_argument("--keep-captions", action="store_true", default=None,
                        help="keep image captions (a caption printed twice still loses a copy)")
    parser.add_argument("--config", help="config file (default: nearest .cleaner.toml or "
                        "pyproject.toml with [tool.cleaner])")
    parser.add_argument("--isolated", action="store_true", help="ignore all config files")
    parser.add_argument("--include", action="append",
                        help="globs for files found in directories (default: .txt .text .md "
                        ".jsonl .ndjson, plain or .gz, and .parquet)")
    parser.add_argument("--exclude", action="append", help="globs of paths to skip")
    parser.add_argument("--baseline", help="report only findings not in this baseline file")
    parser.add_argument("--write-baseline", metavar="FILE",
                        help="record current findings as the baseline and exit 0")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--max-doc-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                        help="a document (file, or JSONL line) over N bytes is passed through "
                        "uncleaned with a warning (skipped with --on-error skip); 0: no limit "
                        f"(default {DEFAULT_MAX_BYTES:,})")
    parser.add_argument("--doc-timeout", type=float, default=0.0, metavar="SECONDS",
                        help="interrupt cleaning a document after SECONDS and pass it through "
                        "uncleaned with a warning (skipped with --on-error skip); 0: off (default)")
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", action="store_true", default=None,
                          help="progress bar on stderr (default: when stderr is a terminal)")
    progress.add_argument("--no-progress", action="store_false", dest="progress")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``clean``; return the exit code (pre-commit style, so tests call it directly)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    stdout, stderr = sys.stdout, sys.stderr
    try:
        if args_list[:1] == ["rules"]:
            return rules_command(args_list[1:], stdout)
        if args_list[:1] == ["explain"]:
            return explain_command(args_list[1:], stdout)
        if args_list[:1] == ["learn"]:
            return learn_command(args_list[1:], stdout, stderr)
        if args_list[:1] == ["report"]:
            return report_command(args_list[1:], stderr)
        return clean_command(args_list, stdout, stderr)
    except CleanerError as exc:
        stderr.write(f"clean: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        stderr.write("clean: interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader of our stdout went away (clean ... | head): not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except Exception:
        # A bug: still exit 2 as documented (Python's own 1 would read as "findings"), with
        # the traceback for the report.
        stderr.write("clean: internal error (a bug in cleaner; please report it with this "
                     f"traceback):\n{traceback.format_exc()}")
        return EXIT_ERROR


def resolve_settings(args: argparse.Namespace) -> Settings:
    if args.isolated:
        settings = Settings()
    else:
        config = Path(args.config) if args.config else find_config(Path.cwd())
        settings = load_settings(config)
    overrides = Overrides(
        select=_split(args.select) or None,
        extend_select=_split(args.extend_select),
        ignore=_split(args.ignore),
        rule_files=tuple(args.rules),
        keep_captions=args.keep_captions,
        exclude=_split(args.exclude),
        profile=args.profile,
    )
    settings = merge(settings, overrides)
    settings.cleaner_for(None)  # compile now: a bad rule or selector fails before any input
    return settings


def clean_command(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("-j/--jobs must be at least 1")
    settings = resolve_settings(args)
    mode = "check" if args.check else "fix" if args.fix else "diff" if args.diff else "output"
    if args.write_baseline:
        mode = "check"
    if args.no_title and mode != "output":
        parser.error("--no-title goes with plain cleaning, not --check/--fix/--diff")
    if args.output and mode != "output":
        parser.error("-o/--output goes with plain cleaning, not --check/--fix/--diff")
    job = Job(
        settings=settings,
        mode=mode,
        fmt=args.format,
        field=parse_field(args.field),
        annotate=parse_field(args.annotate_field) if args.annotate else None,
        on_error=args.on_error,
        encoding=args.encoding,
        stdin_name=args.stdin_filename,
        source_field=parse_field(args.source_field) if args.source_field else None,
        no_title=args.no_title,
        budget=Budget(args.max_doc_bytes, args.doc_timeout),
    )
    paths = list(discover(args.paths or ["-"], args.include or DEFAULT_INCLUDE,
                          settings.excluded))
    parquet_output = _check_parquet(paths, job, args.output)
    baseline = Baseline.load(args.baseline) if args.baseline else None
    reporter = None
    if mode == "check" and not args.write_baseline:
        reporter = Reporter(stdout, args.output_format, args.statistics)
    show_progress = args.progress if args.progress is not None else stderr.isatty()
    # With Parquet input, -o is the sink's to write (atomically); nothing goes to stdout.
    out, close_out = _output_stream(None if parquet_output else args.output, stdout)
    bar = _progress_bar(show_progress, total_size(paths), stderr)
    run = Run(job, out, stderr, reporter, baseline, bool(args.write_baseline),
              bar.update if bar is not None else None, output_path=parquet_output)
    try:
        for result in ordered_map(units_for(paths, job, sys.stdin.buffer), job, args.jobs):
            run.handle(result)
            if run.stopped:
                break
    finally:
        run.close()
        if bar is not None:
            bar.close()
        out.flush()
        close_out()
    if reporter is not None:
        reporter.close(fixed=0)
    if args.write_baseline and run.fingerprints is not None:
        count = Baseline.write(args.write_baseline, run.fingerprints)
        stderr.write(f"clean: wrote {count} finding(s) to {args.write_baseline}\n")
        return EXIT_ERROR if run.errors else EXIT_OK
    if mode == "fix" and run.fixed_files:
        stderr.write(f"clean: fixed {run.fixed_files} file(s)\n")
    if run.errors:
        return EXIT_ERROR
    if (mode == "check" and run.findings) or (mode == "diff" and run.diffs):
        return EXIT_FINDINGS
    return EXIT_OK


def _check_parquet(paths: Sequence[str], job: Job, output: str | None) -> str | None:
    """Refuse what Parquet input cannot do before any file is read; the ``-o`` it writes to.

    Cleaned Parquet is a Parquet file, not a stream: plain cleaning needs ``-o`` and one input
    (shards of different schemas make no one file; ``--fix`` rewrites many in place). A
    missing pyarrow is reported here, once, rather than per file.
    """
    parquet = [p for p in paths
               if detect_format(job.stdin_name if p == "-" else p, job.fmt) == "parquet"]
    if not parquet:
        return None
    require_pyarrow(parquet[0])
    if job.mode != "output":
        return None
    if output is None:
        raise CleanerError(f"{parquet[0]}: Parquet is cleaned into a Parquet file, not standard "
                           "output: pass -o OUT.parquet (or --fix to rewrite it in place)")
    if len(paths) > 1:
        raise CleanerError(f"-o {output}: one Parquet input is cleaned into one file; got "
                           f"{len(paths)} inputs (to clean many shards in place use --fix)")
    return output


def _output_stream(path: str | None, stdout: TextIO) -> tuple[BinaryIO, Callable[[], None]]:
    if path is None:
        stdout.flush()
        return stdout.buffer, lambda: None
    try:
        handle = cast(
            BinaryIO, gzip.open(path, "wb") if path.endswith(".gz") else open(path, "wb")  # noqa: SIM115
        )
    except OSError as exc:
        raise CleanerError(f"{path}: cannot write output: {exc.strerror or exc}") from exc
    return handle, handle.close


def _progress_bar(enabled: bool, total: int, stderr: TextIO) -> Any:
    """A tqdm bar on stderr (never stdout, which carries data), or None."""
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total or None, unit="B", unit_scale=True, file=stderr, desc="clean",
                dynamic_ncols=True)


def _all_rules(args: argparse.Namespace, builtin_code: bool = True) -> list[Rule]:
    """The packs' rules, then (``builtin_code``) the ones whose behaviour is code.

    Those are the HTML structure codes and the learned-profile code: listed and explained like
    the others, but with no examples for ``clean rules --check`` to run.
    """
    rules = load_packs(builtin_pack_paths(), trusted=True)
    rules += load_packs(args.rules, trusted=False)
    if builtin_code:
        rules += [*structure_rules(), LEARNED_RULE]
    return rules


def rules_command(argv: list[str], stdout: TextIO) -> int:
    """``clean rules``: list every rule; ``--check FILE`` runs a pack's own examples."""
    parser = argparse.ArgumentParser(prog="clean rules", description="List the rules.")
    parser.add_argument("--rules", action="append", default=[], metavar="FILE")
    parser.add_argument("--select", action="append")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--check", action="store_true",
                        help="run the examples of the listed rules; exit 1 if one fails")
    args = parser.parse_args(argv)
    rules = select_rules(_all_rules(args, builtin_code=not args.check),
                         _split(args.select) or None, None)
    if args.check:
        failures = [f for rule in rules for f in check_rule(rule, args.rules)]
        for failure in failures:
            stdout.write(f"{failure}\n")
        stdout.write(f"{len(rules)} rule(s), {len(failures)} failing example(s)\n")
        return EXIT_FINDINGS if failures else EXIT_OK
    if args.format == "json":
        json.dump([_rule_dict(r) for r in rules], stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
        return EXIT_OK
    for rule in rules:
        stdout.write(f"{rule.code}  {rule.name:<24} {rule.category:<13} {rule.description}\n")
    return EXIT_OK


def _rule_dict(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code, "name": rule.name, "category": rule.category, "kind": rule.kind,
        "description": rule.description, "aliases": list(rule.aliases),
        "zone": rule.zone.name, "source": rule.where,
    }


def explain_command(argv: list[str], stdout: TextIO) -> int:
    """``clean explain CODE``: one rule, what it does, why, its parameters and examples."""
    parser = argparse.ArgumentParser(prog="clean explain")
    parser.add_argument("code")
    parser.add_argument("--rules", action="append", default=[], metavar="FILE")
    args = parser.parse_args(argv)
    wanted = args.code.strip().upper()
    for rule in _all_rules(args):
        if wanted == rule.code or wanted in rule.aliases:
            stdout.write(explain(rule))
            return EXIT_OK
    raise CleanerError(f"unknown rule code {args.code!r} (see 'clean rules')")


def explain(rule: Rule) -> str:
    lines = [f"# {rule.code} {rule.name}", "", rule.description, ""]
    if rule.why:
        lines += ["## Why it is cruft", "", rule.why, ""]
    zone = rule.zone.name + (f" ({rule.zone.size} blocks)" if rule.zone.name != "anywhere" else "")
    lines += ["## How it matches", "", f"kind: {rule.kind}", f"category: {rule.category}",
              f"zone: {zone}"]
    lines += [f"{key}: {_toml_value(value)}" for key, value in rule.params.items()]
    if rule.aliases:
        lines.append(f"aliases: {', '.join(rule.aliases)}")
    lines += ["", f"defined in {rule.where}", "", "## Removes", ""]
    lines += [f"- {e.text!r}" + (f" (lines {list(e.lines or ())})" if "\n" in e.text else "")
              for e in rule.remove]
    lines += ["", "## Keeps", ""]
    lines += [f"- {e.text!r}" for e in rule.keep]
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    r"""A parameter as it would be written in a pack, so it can be copied into one.

    Strings go in single quotes (TOML literal strings: ``'\bap\b'`` reads as written, where
    Python's repr would double every backslash), in triple single quotes if they hold one.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if "\n" in value or "\r" in value or "'''" in value:
            return json.dumps(value, ensure_ascii=False)
        return f"'''{value}'''" if "'" in value else f"'{value}'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):  # an inline table (a part of a ``line`` rule)
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return str(value)


def learn_command(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """``clean learn``: count recurring lines per source over a corpus, write a profile."""
    parser = argparse.ArgumentParser(
        prog="clean learn",
        description="Learn recurring boilerplate lines per source; write a profile (JSON).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH")
    parser.add_argument("-o", "--output", required=True, metavar="FILE")
    parser.add_argument("--format", choices=("text", "jsonl", "parquet"))
    parser.add_argument("--field", default="text",
                        help="JSONL: dotted path of the text; Parquet: the text column")
    parser.add_argument("--source-field", metavar="FIELD",
                        help="JSONL: dotted path of the source (a domain, a feed); Parquet: "
                             "its column; "
                             "without it every document is one source")
    parser.add_argument("--min-docs", type=int, default=DEFAULT_MIN_DOCS)
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE)
    parser.add_argument("--max-entries", type=int, default=DEFAULT_MAX_ENTRIES,
                        help="(source, line) pairs held in memory before spilling to disk")
    parser.add_argument("--on-error", choices=("fail", "skip"), default="fail")
    args = parser.parse_args(argv)
    learner = Learner(min_docs=args.min_docs, min_share=args.min_share,
                      max_entries=args.max_entries)
    field = parse_field(args.field)
    source_field = parse_field(args.source_field) if args.source_field else None
    skipped = 0
    for path in discover(args.paths or ["-"], DEFAULT_INCLUDE, lambda _: False):
        for text, source, error, _ in iter_documents(path, args.format, field, source_field):
            if error is not None:
                if args.on_error == "fail":
                    raise CleanerError(error)
                stderr.write(f"clean: warning: {error} (skipped)\n")
                skipped += 1
                continue
            learner.add(text, source)
    profile = learner.finish()
    profile.save(args.output)
    learned = sum(len(lines) for lines in profile.sources.values())
    documents = sum(profile.documents.values())
    stderr.write(f"clean learn: {documents} documents, {len(profile.documents)} source(s), "
                 f"{learned} learned line(s), {skipped} skipped -> {args.output}\n")
    return EXIT_OK


def report_command(argv: list[str], stderr: TextIO) -> int:
    """``clean report``: clean a corpus, count what went, write one self-contained HTML page.

    Documents are cleaned one at a time and dropped after counting (a reservoir keeps the
    sample), so the corpus can be far larger than memory. Any unreadable input stops the run
    with exit 2: a report that silently left documents out would misstate the totals.
    """
    parser = argparse.ArgumentParser(
        prog="clean report",
        description="Write an HTML audit of what cleaning removes: totals, removals per rule "
                    "and category, per source, and sampled documents with removed lines "
                    "struck through.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file")
    parser.add_argument("--format", choices=("text", "html", "jsonl", "parquet"))
    parser.add_argument("--field", default="text", help="JSONL: dotted path of the text field")
    parser.add_argument("--source-field", metavar="FIELD",
                        help="JSONL: dotted path of the source (a domain, a feed) for the "
                             "per-source table; a file's source is its directory otherwise")
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, metavar="N",
                        help=f"documents shown line by line (default {DEFAULT_SAMPLE})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sampling seed")
    parser.add_argument("--title", default="cleaner audit report")
    parser.add_argument("--select", action="append")
    parser.add_argument("--extend-select", action="append")
    parser.add_argument("--ignore", action="append")
    parser.add_argument("--rules", action="append", default=[], metavar="FILE")
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument("--keep-captions", action="store_true", default=None)
    parser.add_argument("--config")
    parser.add_argument("--isolated", action="store_true")
    parser.add_argument("--include", action="append")
    parser.add_argument("--exclude", action="append")
    args = parser.parse_args(argv)
    if args.sample < 0:
        parser.error("--sample must be 0 or more")
    settings = resolve_settings(args)
    field = parse_field(args.field)
    source_field = parse_field(args.source_field) if args.source_field else None
    rules = [*_all_rules(args), *settings.cleaner_for(None).all_rules]
    tally = Tally(args.sample, args.seed, {rule.code: rule.category for rule in rules})
    paths = list(discover(args.paths or ["-"], args.include or DEFAULT_INCLUDE,
                          settings.excluded))
    for path in paths:
        cleaner = settings.cleaner_for(path)
        if detect_format(path, args.format) == "html":
            raw = sys.stdin.buffer.read() if path == "-" else read_file(path)
            tally.add(path, str(Path(path).parent), clean_html(raw, cleaner=cleaner), None)
            continue
        for text, source, error, where in iter_documents(path, args.format, field,
                                                         source_field):
            if error is not None:
                raise CleanerError(error)
            # A text file's source is its folder; a record's, its --source-field value.
            origin = source if where != path else str(Path(path).parent)
            tally.add(where, origin, cleaner.clean(text, source or None), text)
    page = render(tally, args.paths or ["-"], args.title)
    try:
        Path(args.output).write_text(page, encoding="utf-8")
    except OSError as exc:
        raise CleanerError(f"{args.output}: cannot write report: {exc.strerror or exc}") from exc
    stderr.write(f"clean report: {tally.documents:,} documents, {tally.lines_removed:,} lines "
                 f"removed, {tally.kept_share:.1%} of characters kept -> {args.output}\n")
    return EXIT_OK
