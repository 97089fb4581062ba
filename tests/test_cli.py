"""The command line as people expect it: every command's --help shows an example, an error is one
line with a non-zero exit, and long work is quiet when piped."""

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from vnhealth.cli import app

ROOT = Path(__file__).resolve().parents[1]
VNHEALTH = str(Path(sys.executable).with_name("vnhealth"))


def _commands(command, path: tuple[str, ...] = ()):
    if hasattr(command, "commands"):  # a group (typer's own click, not necessarily the click package)
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_every_command_is_listed():
    assert {("extract",), ("trace",), ("warehouse", "start"), ("lineage", "show"), ("quality", "init")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_help_shows_an_example(path):
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert (
        "Example: vnhealth " in result.output or "Example: psql " in result.output or "Example: eval " in result.output
    ), result.output


def test_an_error_is_one_line_and_a_non_zero_exit(tmp_path):
    env = {
        "PATH": str(Path(sys.executable).parent),
        "WAREHOUSE_URL": "postgresql://nobody:x@127.0.0.1:1/none",
        "VNHEALTH_HOME": str(ROOT),
        "VNHEALTH_LOCAL_DIR": str(tmp_path),
    }
    proc = subprocess.run([VNHEALTH, "summary"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vnhealth: error: ") and "Traceback" not in proc.stderr, proc.stderr


def test_long_work_is_quiet_when_piped(tmp_path):
    proc = subprocess.run(
        [VNHEALTH, "synth", str(tmp_path / "synthetic"), "--reports", "5"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    reports = sorted((tmp_path / "synthetic").glob("*.txt"))
    proc = subprocess.run([VNHEALTH, "extract", *map(str, reports)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", "no progress bar when stderr is not a terminal"
    assert proc.stdout.count("\n") > 5, "the observations, as JSON Lines"
