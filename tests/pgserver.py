"""A throw-away PostgreSQL server for the tests: its own data folder, trust authentication,
listening on a free loopback port only, stopped (and its folder gone) when the tests end.

Debian's `postgresql` package puts initdb and pg_ctl under /usr/lib/postgresql/VERSION/bin.
initdb refuses to run as root, so as root the server runs as the `postgres` user the package
creates. Where no server can start, `start()` says why and the tests that need one skip."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class NoServer(Exception):
    pass


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise NoServer(f"{name} not found (Debian: apt-get install postgresql)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self):
        initdb, self.pg_ctl = _bin("initdb"), _bin("pg_ctl")
        self.as_user: list[str] = []
        self.root = Path(tempfile.mkdtemp(prefix="anklepump-pg-"))
        if os.geteuid() == 0:
            try:
                import pwd

                account = pwd.getpwnam("postgres")
            except KeyError:
                raise NoServer("running as root and there is no postgres user to run the server as") from None
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.root / "data"
        self.port = _free_port()
        self._run([initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._run([self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start"])
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(self.as_user + command, capture_output=True, text=True, timeout=300)
        if done.returncode:
            log = self.root / "log"
            tail = log.read_text()[-400:] if log.exists() else ""
            raise NoServer(f"{Path(command[0]).name} failed: {(done.stderr or done.stdout).strip()[-400:]} {tail}")

    def database(self, name: str) -> str:
        """A fresh, empty database on this server; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(
            self.as_user + [self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=300,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Server:
    return Server()
