"""Control of the cluster started by scripts/cluster.sh: its settings, its
processes (start, stop, kill, freeze), the database relay in HAProxy (cut
and restore) and read-only SQL on the machine's PostgreSQL (not through the
relay, so checks still work while the cluster's database is cut)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "cluster.sh"


def run(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=ROOT,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Cluster:
    def __init__(self):
        self.env = dict(
            line.split("=", 1) for line in run("env").stdout.splitlines() if "=" in line
        )
        self.dir = Path(self.env["CLUSTER_DIR"])
        self.base_url = self.env["SITE_URL"]
        self.started_here = False

    # --- lifecycle ---------------------------------------------------------

    def running(self) -> bool:
        return run("status", check=False).returncode == 0

    def start(self) -> None:
        result = run("start", check=False)
        if result.returncode != 0:
            raise RuntimeError(f"cluster start failed:\n{result.stdout}\n{result.stderr}")
        self.started_here = True

    def stop(self) -> str:
        return run("stop").stdout

    # --- processes ---------------------------------------------------------

    def pid(self, name: str) -> int:
        return int(run("pid", name).stdout.split()[0])

    def alive(self, name: str) -> bool:
        return run("alive", name, check=False).returncode == 0

    def up(self, name: str) -> None:
        run("up", name)

    def down(self, name: str) -> None:
        run("down", name)

    def kill(self, name: str) -> None:
        """SIGKILL to the process and its children (each process of the
        cluster leads its own process group): no cleanup, no goodbye, as
        when its machine dies. The pid file stays."""
        pid = self.pid(name)
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.alive(name) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not self.alive(name), f"{name} survived SIGKILL"

    def freeze(self, name: str) -> None:
        os.kill(self.pid(name), signal.SIGSTOP)

    def thaw(self, name: str) -> None:
        os.kill(self.pid(name), signal.SIGCONT)

    def rss_kib(self, name: str) -> int:
        """Resident memory of a process and its children (gunicorn's workers)."""
        pid = self.pid(name)
        pids = [pid] + [int(p) for p in _children(pid)]
        total = 0
        for p in pids:
            try:
                for line in Path(f"/proc/{p}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except FileNotFoundError:
                continue
        return total

    # --- HAProxy runtime API ---------------------------------------------------

    def haproxy(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.dir / "haproxy.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def cut_database(self) -> None:
        """The cluster loses its database: new connections refused by the
        relay, open ones closed (as when PostgreSQL stops)."""
        self.haproxy("disable frontend postgres")
        self.haproxy("shutdown sessions server postgres/pg")

    def restore_database(self) -> None:
        self.haproxy("enable frontend postgres")

    def server_state(self, name: str) -> str:
        """UP / DOWN / MAINT of an app server as the load balancer sees it."""
        for line in self.haproxy("show stat").splitlines():
            parts = line.split(",")
            if len(parts) > 17 and parts[0] == "apps" and parts[1] == name:
                return parts[17]
        return "?"

    def wait_server_state(self, name: str, state: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.server_state(name) != state:
            assert time.monotonic() < deadline, f"{name} not {state}: {self.server_state(name)}"
            time.sleep(0.2)

    # --- data --------------------------------------------------------------

    def sql(self, query: str, *params):
        target = self.env["CLUSTER_PG_TARGET"]
        host, port = target.rsplit(":", 1)
        with psycopg.connect(
            host=host, port=int(port), user="postgres", dbname=self.env["CLUSTER_DB"]
        ) as conn:
            return conn.execute(query, params).fetchall()

    def flush_redis(self) -> None:
        """Empty the cluster's own Redis: the quotas counted by an earlier
        run (every test comes from 127.0.0.1) start again from zero."""
        subprocess.run(
            ["redis-cli", "-p", self.env["CLUSTER_REDIS_PORT"], "flushall"],
            check=True,
            capture_output=True,
        )

    def readyz(self, path: str = "/readyz") -> requests.Response:
        return requests.get(self.base_url + path, timeout=10)

    def mails(self) -> list:
        import mailbox

        return list(mailbox.Maildir(self.dir / "maildir", create=False))


def _children(pid: int) -> list[str]:
    try:
        out = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        ).stdout
    except FileNotFoundError:
        return []
    return out.split()


def wait_until(predicate, *, timeout: float, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message or f"condition not met within {timeout} s")
        time.sleep(interval)
