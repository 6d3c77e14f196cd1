"""The command line. The only package that prints or exits.

Exit codes: 0 nothing at or above ``--fail-on`` (``blocked`` sits between ``error`` and
``warning``: the findings that block a migration); 1 findings at or above it (unreadable
input files are findings); 2 the run is unusable (usage, configuration, rule pack);
3 internal error (one line; the traceback only with ``--debug``).
"""

from __future__ import annotations

import sys
from typing import Any

from csmlint import __version__
from csmlint.errors import CsmlintError

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(name)


_MODULE_OF = {
    "lint": "lint",
    "plan": "plan",
    "diagnose": "diagnose",
    "fix": "fix",
    "explain": "commands",
    "rules": "commands",
    "import": "commands",
    "schema": "commands",
    "baseline": "baseline",
    "init": "init",
    "check-pack": "packs",
    "test-pack": "packs",
}
"""The module of ``csmlint.cli`` that registers each command."""

_ALL_MODULES = tuple(dict.fromkeys(_MODULE_OF.values()))


def _app(command: str | None = None) -> Any:
    """The typer app. Typer is imported only here, so that ``csmlint --version`` stays a bare
    interpreter start.

    With ``command`` (the command this run invokes), only the module registering it is
    imported and only that command is built into click: building all twelve took a tenth of a
    one-service lint. Its help, options and messages are the same as in the whole app (a
    test compares them); ``csmlint --help`` and anything not starting with a command name
    get the whole app."""
    import importlib

    from csmlint.cli.application import app

    module = _MODULE_OF.get(command or "")
    for name in (module,) if module else _ALL_MODULES:
        importlib.import_module(f"csmlint.cli.{name}")  # importing registers the commands
    if not module:
        return app
    import copy

    from typer.main import get_command_name

    narrowed = copy.copy(app)
    narrowed.registered_commands = [
        info
        for info in app.registered_commands
        if (info.name or get_command_name(info.callback.__name__ if info.callback else ""))
        == command
    ]
    narrowed.registered_groups = [g for g in app.registered_groups if g.name == command]
    return narrowed


def _run(args: list[str]) -> Any:
    """Run the command ``args`` name: a plain ``csmlint lint`` without typer
    (:mod:`csmlint.cli.lint_run`), everything else through the typer app."""
    command = _command_of(args)
    if command == "lint":
        from csmlint.cli import lint_run

        options = lint_run.lint_options(args[1:])
        if options is not None:
            return lint_run.run_lint(**options)
    return _app(command)(args=args, prog_name="csmlint", standalone_mode=False)


def _command_of(args: list[str]) -> str | None:
    """The command ``args`` invoke, when the first argument names it (shell completion,
    which passes its words in the environment, gets the whole app)."""
    import os

    if not args or any(k.startswith("_CSMLINT_COMPLETE") for k in os.environ):
        return None
    return args[0] if args[0] in _MODULE_OF else None


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every outcome to an exit code.

    The cyclic garbage collector is off while the command runs (restored on return, for a
    caller in the same process): what csmlint allocates is mostly long-lived (modules,
    classes, rules, the model until its links are cut, the findings) and makes little
    cyclic garbage, so collections during the imports alone were about 9 ms of a 110 ms
    one-service lint. Reference counting frees everything else."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: list[str] | None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"csmlint {__version__}\n")
        sys.exit(0)
    debug = "--debug" in args
    _catch_interrupts()
    try:
        code = _run(args)
    except CsmlintError as exc:
        sys.stderr.write(f"csmlint: error: {_visible(str(exc))}\n")
        sys.exit(2)
    except (KeyboardInterrupt, Interrupted):
        sys.stderr.write("csmlint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:
        if _is_click_exception(exc):
            _show_click(exc, _command_of(args))
        if debug:
            import traceback  # only here: with linecache and tokenize, 3 ms of a start

            traceback.print_exc()
        sys.stderr.write(
            f"csmlint: internal error: {type(exc).__name__}: {_visible(str(exc))}"
            + ("" if debug else " (run with --debug for the traceback)")
            + "\n"
        )
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)


class Interrupted(BaseException):
    """Ctrl-C (SIGINT). Not a ``KeyboardInterrupt``: typer would turn that into a silent
    exit 130. Raised from the signal handler, it unwinds through every ``finally`` (report
    writes remove their temporary files) up to :func:`main`."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def _catch_interrupts() -> None:
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored
        signal.signal(signal.SIGINT, _interrupt)


def _visible(message: str) -> str:
    """One line with control, ANSI and bidi characters escaped: messages quote rule packs and
    input files, which may come from a fork."""
    from csmlint.reporting.text import clean

    return clean(message)


def _is_click_exception(exc: BaseException) -> bool:
    return any(c.__name__ in ("ClickException", "Abort", "Exit") for c in type(exc).__mro__)


def _no_such_option(exc: Any) -> str:
    """click's message suggests options hardly like the one typed (``--bogus``: "Possible
    options: --verbose"); only a close one is named, as csmlint does for rule names."""
    import difflib

    typed = str(getattr(exc, "option_name", ""))
    close = difflib.get_close_matches(
        typed, list(getattr(exc, "possibilities", None) or []), 1, 0.8
    )
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"no such option: {typed}{hint}"


def _show_click(exc: Any, command: str | None = None) -> None:
    name = type(exc).__name__
    if name == "Exit":
        sys.exit(getattr(exc, "exit_code", 0))
    if name == "Abort":
        sys.stderr.write("csmlint: interrupted\n")
        sys.exit(130)
    message = getattr(exc, "format_message", None)
    usage = any(c.__name__ == "UsageError" for c in type(exc).__mro__)
    if usage and callable(message) and name != "NoArgsIsHelpError":
        # one line like every other usage error, not click's Usage/Try/Error block
        ctx = getattr(exc, "ctx", None)
        where = getattr(ctx, "command_path", "") or " ".join(filter(None, ("csmlint", command)))
        text = _no_such_option(exc) if name == "NoSuchOption" else message()
        sys.stderr.write(f"csmlint: error: {_visible(text)} (see `{where} --help`)\n")
        sys.exit(2)
    show = getattr(exc, "show", None)
    if callable(show):
        show()
    sys.exit(getattr(exc, "exit_code", 2) or 2)
