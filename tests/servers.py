"""Real SPARQL servers for the tests, each on a free loopback port in a temporary folder, stopped after.

- Oxigraph: the ``oxigraph`` binary of the PyPI package (``oxigraph serve --location DIR --bind HOST:PORT``).
- Virtuoso: Debian's ``virtuoso-opensource`` (``virtuoso-t``), run unprivileged in the foreground with its own
  ``virtuoso.ini`` written here: the database, log and lock files in the temporary folder, the SQL and HTTP
  ports on 127.0.0.1 (the [Database] / [Parameters] / [HTTPServer] keys of the Virtuoso admin guide, "Server
  Instance Creation": "only the Virtuoso server executable and a valid virtuoso.ini file are needed. An empty
  database file will be created automatically at first startup", docs.openlinksw.com/virtuoso/dbadm/), and the
  SPARQL user granted updates with ``isql-vt`` (``GRANT SPARQL_UPDATE TO "SPARQL"``), as push needs.

A missing binary skips, unless ``HORMONE_KG_REQUIRE_OXIGRAPH=1`` / ``HORMONE_KG_REQUIRE_VIRTUOSO=1`` (CI), then
it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.store.endpoint import Endpoint

__all__ = ["OxigraphServer", "Server", "VirtuosoServer", "free_port", "oxigraph_binary", "start"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary (on PATH or beside this Python), if installed."""
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else None


def _missing(what: str, variable: str, how: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{what} is missing and {variable}=1")
    pytest.skip(f"{what} is not installed ({how})")


class Server:
    """A server process on 127.0.0.1, its :class:`Endpoint` and its log, stopped by :meth:`stop`."""

    name = "server"
    url: str
    endpoint: Endpoint
    process: subprocess.Popen[bytes]

    def __init__(self, location: Path) -> None:
        self.location = location
        self.log_path = location / "server.log"

    def _spawn(self, command: list[str], cwd: Path | None = None) -> None:
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd)

    def _wait(self, probe_url: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        probe = urllib.request.Request(probe_url, headers={"Accept": "application/sparql-results+json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited early: {self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                with opener.open(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"{self.name} did not answer within {seconds:g} s")

    def stop(self) -> None:
        """Stop the process (terminate, then kill) and close the log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


class OxigraphServer(Server):
    """``oxigraph serve`` on a free loopback port."""

    name = "oxigraph"

    def __init__(self, location: Path) -> None:
        super().__init__(location)
        binary = oxigraph_binary()
        if binary is None:
            _missing("the oxigraph binary", "HORMONE_KG_REQUIRE_OXIGRAPH", "pip install oxigraph")
        self.url = f"http://127.0.0.1:{free_port()}"
        self.endpoint = Endpoint.of(self.url, preset="oxigraph")
        bind = self.url.removeprefix("http://")
        self._spawn([str(binary), "serve", "--location", str(location / "store"), "--bind", bind])
        self._wait(f"{self.url}/query?query=ASK%7B%7D")


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 0
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


class VirtuosoServer(Server):
    """Debian's Virtuoso (``virtuoso-t``) on free loopback ports, with its own ``virtuoso.ini``."""

    name = "virtuoso"

    def __init__(self, location: Path) -> None:
        super().__init__(location)
        binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
        if binary is None or isql is None:
            _missing("virtuoso-t", "HORMONE_KG_REQUIRE_VIRTUOSO", "apt-get install virtuoso-opensource")
        sql_port, http_port = free_port(), free_port()
        ini = location / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=location, sql_port=sql_port, http_port=http_port), encoding="utf-8")
        self.url = f"http://127.0.0.1:{http_port}"
        self.endpoint = Endpoint.of(self.url, preset="virtuoso")
        self._spawn([str(binary), "+foreground", "+configfile", str(ini)], cwd=location)
        self._wait(f"{self.url}/sparql?query=ASK%7B%7D")
        grant = subprocess.run(
            [str(isql), f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if grant.returncode != 0:
            self.stop()
            pytest.fail(f"isql-vt could not grant SPARQL_UPDATE: {grant.stdout[-500:]!r} {grant.stderr[-500:]!r}")


KINDS: dict[str, type[Server]] = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}


def start(kind: str, location: Path) -> Server:
    """Start a server of ``kind`` (``oxigraph`` or ``virtuoso``) in ``location``."""
    return KINDS[kind](location)
