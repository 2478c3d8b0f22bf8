"""Finding 6 of issue 16: `kill -TERM` did not stop `make run` (the recipe's
trap waited for the foreground server), and a second copy migrated and
reloaded the demo into the live database, then deleted the first one's
pid file. scripts/run.sh is run here with a stand-in Python that records
its calls and, for the long-running commands, sleeps."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_PYTHON = """#!/usr/bin/env bash
echo "$*" >> "$CALLS"
case "$*" in
  *migrate*|*load_demo*) ;;
  *) exec sleep 300 ;;  # the server, the workers, the sealer, the scheduler
esac
"""


@pytest.fixture
def run_env(tmp_path):
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    return {
        **os.environ,
        "PY": str(fake),
        "TITRES_VAR_DIR": str(tmp_path / "var"),
        "CALLS": str(tmp_path / "calls"),
        "PORT": "18099",
    }


def _start(env):
    return subprocess.Popen(
        [str(ROOT / "scripts/run.sh")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for(predicate, what):
    for _ in range(200):
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(what)


def _pids(run_dir: Path) -> dict:
    # A pid file may be caught between its creation and its write.
    return {
        p.stem: int(text)
        for p in run_dir.glob("*.pid")
        if (text := p.read_text().strip()).isdigit()
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_a_second_copy_is_refused_and_term_stops_everything(run_env, tmp_path):
    run_dir = tmp_path / "var" / "run"
    first = _start(run_env)
    try:
        _wait_for(lambda: len(_pids(run_dir)) == 8, "les huit processus ne démarrent pas")
        calls_file = tmp_path / "calls"
        _wait_for(lambda: len(calls_file.read_text().splitlines()) == 9, "appels incomplets")
        pids = _pids(run_dir)
        calls_before = (tmp_path / "calls").read_text()

        second = _start(run_env)
        _out, err = second.communicate(timeout=30)
        assert second.returncode == 1
        assert f"make run est déjà lancé (pid {pids['run']})" in err
        # Nothing ran: no migration, no demo reload, the pid files intact.
        assert (tmp_path / "calls").read_text() == calls_before
        assert _pids(run_dir) == pids

        os.kill(first.pid, signal.SIGTERM)
        first.wait(timeout=30)
        for name, pid in pids.items():
            _wait_for(lambda pid=pid: not _alive(pid), f"{name} ({pid}) survit au TERM")
        assert list(run_dir.glob("*.pid")) == []
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[:2] == ["manage.py migrate --no-input -v 0", "manage.py load_demo"]
    assert sum("task_worker" in c for c in calls) == 4
    assert sum("run_scheduler" in c for c in calls) == 1
