"""Landing: every fetched file stored once, by sha256, in an archive that is never modified,
with a manifest row in `raw.reports` and a sighting per place it was seen."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import psycopg

from vnhealth.documents import sniff_media_type


class ArchiveError(ValueError):
    """A path that would leave the archive root."""


@dataclass
class Landed:
    report_id: str
    status: str  # new, known, failed
    reason: str | None = None


_HEX = re.compile(r"[0-9a-f]+")


def archive_path(root: Path, sha: str) -> Path:
    if not _HEX.fullmatch(sha or ""):
        raise ArchiveError(f"not a sha256: {sha!r}")
    path = (root / sha[:2] / sha).resolve()
    if not str(path).startswith(resolved(root) + os.sep):
        raise ArchiveError(f"{path} escapes the archive root {root}")
    return path


@lru_cache(maxsize=64)
def resolved(root: Path) -> str:
    """A root directory's real path, resolved once rather than once per file (landing clears it
    before each batch)."""
    return str(root.resolve())


def store(root: Path, data: bytes) -> tuple[str, Path]:
    """Write bytes under their sha256 unless already there; never overwrite."""
    sha = hashlib.sha256(data).hexdigest()
    path = archive_path(root, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    return sha, path


@dataclass
class Stored:
    """One fetched file once archived (or the failure to fetch it), at one place of one source: what
    the manifest needs, without the bytes, so that a batch never holds its files in memory."""

    source: str
    location: str
    report_id: str
    path: Path
    size_bytes: int
    media_type: str | None
    failure: str | None = None
    defaults: dict[str, str] | None = None
    etag: str | None = None
    last_modified: str | None = None


def archive(
    root: Path,
    source: str,
    location: str,
    data: bytes | None,
    failure: str | None = None,
    defaults: dict[str, str] | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Stored:
    """Store the bytes under their sha256; a file that could not be fetched (or came empty) is kept
    as a marker with its reason, so that its manifest row has a path to point to."""
    if data and failure is None:
        sha, path = store(root, data)
        return Stored(source, location, sha, path, len(data), sniff_media_type(data), None, defaults, etag,
                      last_modified)  # fmt: skip
    if data is not None and not data and failure is None:
        failure = "empty_file: the file has no bytes"  # nothing to archive, and nothing to read
    sha = hashlib.sha256(f"{source}\n{location}\n{failure}".encode()).hexdigest()
    path = archive_path(root, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"fetch failed\nsource: {source}\nlocation: {location}\nreason: {failure}\n")
    return Stored(source, location, sha, path, len(data or b""), None, failure, defaults, etag, last_modified)


def land(conn: psycopg.Connection, stored: list[Stored], run_id: str) -> list[Landed]:
    """Record archived files, a batch in a few statements whatever its size (a round trip per file
    cost more than hashing it). Returns one result per file, in order."""
    results: list[Landed] = []
    chunk: list[Stored] = []
    places: set[tuple[str, str]] = set()
    for item in stored:
        # a place seen twice in one batch: the second sighting must see the first's version
        if (item.source, item.location) in places:
            results += _land_chunk(conn, chunk, run_id)
            chunk, places = [], set()
        chunk.append(item)
        places.add((item.source, item.location))
    if chunk:
        results += _land_chunk(conn, chunk, run_id)
    return results


def _land_chunk(conn: psycopg.Connection, arrivals: list[Stored], run_id: str) -> list[Landed]:
    now = datetime.now(timezone.utc)
    shas = [a.report_id for a in arrivals]
    known = {r for (r,) in conn.execute("select report_id from raw.reports where report_id = any(%s)", (shas,))}
    fresh: dict[str, int] = {}  # the first arrival of each file not held yet
    for i, sha in enumerate(shas):
        if sha not in known and sha not in fresh:
            fresh[sha] = i
    results = [Landed(sha, "known") for sha in shas]
    if fresh:
        order = list(fresh.values())
        # The version each new file replaces: the readable report last seen at the same place.
        previous = dict(
            conn.execute(
                """select distinct on (o.i) o.i, s.report_id
                   from unnest(%s::text[], %s::text[], %s::text[], %s::int[]) as o(source_name, location, sha, i)
                   join raw.report_sightings s on s.location = o.location and s.source_name = o.source_name
                   join raw.reports r on r.report_id = s.report_id
                   where s.report_id <> o.sha and r.status <> 'failed'
                   order by o.i, s.last_seen_at desc, s.report_id""",
                (
                    [arrivals[i].source for i in order],
                    [arrivals[i].location for i in order],
                    [shas[i] for i in order],
                    order,
                ),
            ).fetchall()
        )
        rows = []
        for i in order:
            a = arrivals[i]
            defaults = a.defaults or {}
            rows.append(
                (a.report_id, a.source, a.location, now, a.size_bytes, a.media_type, str(a.path),
                 "failed" if a.failure else "new", a.failure, defaults.get("issuing_body"), defaults.get("province"),
                 previous.get(i), run_id, run_id)
            )  # fmt: skip
            results[i] = Landed(a.report_id, "failed" if a.failure else "new", a.failure)
        with conn.cursor() as cur:
            cur.executemany(
                """insert into raw.reports (report_id, source_name, location, fetched_at, size_bytes, media_type,
                    archive_path, status, failure_reason, issuing_body, province, supersedes, first_run_id,
                    status_run_id)
                   values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                   on conflict (report_id) do nothing""",
                rows,
            )
    with conn.cursor() as cur:
        cur.executemany(
            """insert into raw.report_sightings (report_id, source_name, location, first_seen_at, last_seen_at,
                                                 etag, last_modified, last_run_id)
               values (%s, %s, %s, %s, %s, %s, %s, %s)
               on conflict (report_id, source_name, location)
               do update set last_seen_at = excluded.last_seen_at, last_run_id = excluded.last_run_id,
                             etag = coalesce(excluded.etag, raw.report_sightings.etag),
                             last_modified = coalesce(excluded.last_modified, raw.report_sightings.last_modified)""",
            [(sha, a.source, a.location, now, now, a.etag, a.last_modified, run_id) for a, sha in zip(arrivals, shas)],
        )
    return results


def validators(conn: psycopg.Connection, source: str, location: str) -> tuple[str | None, str | None]:
    """ETag and Last-Modified of the newest good version seen at this location, for a conditional GET."""
    row = conn.execute(
        """select s.etag, s.last_modified from raw.report_sightings s join raw.reports r using (report_id)
           where s.source_name = %s and s.location = %s and r.status <> 'failed'
           order by s.last_seen_at desc limit 1""",
        (source, location),
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def touch_sighting(conn: psycopg.Connection, source: str, location: str, run_id: str) -> str:
    """Record that an unchanged report (HTTP 304) was seen again; returns its id."""
    row = conn.execute(
        """update raw.report_sightings set last_seen_at = now(), last_run_id = %s
           where (report_id, source_name, location) = (
               select report_id, source_name, location from raw.report_sightings
               where source_name = %s and location = %s order by last_seen_at desc limit 1)
           returning report_id""",
        (run_id, source, location),
    ).fetchone()
    return row[0]


def touch_unchanged(conn: psycopg.Connection, stamped: list[tuple[str, str, str]], run_id: str) -> set[tuple[str, str]]:
    """Of (source, location, stamp) triples, those whose stamp is the validator of the newest good
    version seen there: their sightings are recorded as seen by this run, in one statement; returns
    their (source, location)."""
    if not stamped:
        return set()
    sources, locations, stamps = (list(x) for x in zip(*stamped))
    rows = conn.execute(
        """with offered as (select * from unnest(%s::text[], %s::text[], %s::text[]) as t(source_name,
        location, stamp)),
                newest as (
                    select distinct on (s.source_name, s.location) s.report_id, s.source_name, s.location, s.etag
                    from raw.report_sightings s join raw.reports r using (report_id)
                    join offered o on o.source_name = s.source_name and o.location = s.location
                    where r.status <> 'failed'
                    order by s.source_name, s.location, s.last_seen_at desc)
           update raw.report_sightings s set last_seen_at = now(), last_run_id = %s
           from newest n join offered o using (source_name, location)
           where s.report_id = n.report_id and s.source_name = n.source_name and s.location = n.location
             and n.etag = o.stamp
           returning s.source_name, s.location""",
        (sources, locations, stamps, run_id),
    ).fetchall()
    return {(a, b) for a, b in rows}
