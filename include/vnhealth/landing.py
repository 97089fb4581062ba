"""Landing: every fetched file stored once, by sha256, in an archive that is never modified,
with a manifest row in `raw.reports` and a sighting per place it was seen."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
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


def archive_path(root: Path, sha: str) -> Path:
    if not sha or any(c not in "0123456789abcdef" for c in sha):
        raise ArchiveError(f"not a sha256: {sha!r}")
    path = (root / sha[:2] / sha).resolve()
    if not str(path).startswith(str(root.resolve()) + os.sep):
        raise ArchiveError(f"{path} escapes the archive root {root}")
    return path


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


def land(
    conn: psycopg.Connection,
    root: Path,
    source: str,
    location: str,
    data: bytes | None,
    run_id: str,
    failure: str | None = None,
    defaults: dict[str, str] | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Landed:
    """Archive one file and record it; a file that could not be fetched is kept as a marker with its reason."""
    now = datetime.now(timezone.utc)
    if data is None:
        # Nothing was fetched (HTTP error, unsafe link): the failure is recorded against the
        # location, archived as an empty marker so the manifest row has a path to point to.
        data = b""
    elif not data and failure is None:
        failure = "empty_file: the file has no bytes"  # nothing to archive, and nothing to read
    sha, path = (
        store(root, data) if data else (hashlib.sha256(f"{source}\n{location}\n{failure}".encode()).hexdigest(), None)
    )
    if path is None:
        path = archive_path(root, sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"fetch failed\nsource: {source}\nlocation: {location}\nreason: {failure}\n")
    known = conn.execute("select status from raw.reports where report_id = %s", (sha,)).fetchone()
    landed = (
        Landed(sha, "known")
        if known
        else _register(conn, sha, path, data, source, location, now, run_id, failure, defaults)
    )
    conn.execute(
        """
        insert into raw.report_sightings (report_id, source_name, location, first_seen_at, last_seen_at, etag,
                                          last_modified, last_run_id)
        values (%s, %s, %s, %s, %s, %s, %s, %s)
        on conflict (report_id, source_name, location)
        do update set last_seen_at = excluded.last_seen_at, last_run_id = excluded.last_run_id,
                      etag = coalesce(excluded.etag, raw.report_sightings.etag),
                      last_modified = coalesce(excluded.last_modified, raw.report_sightings.last_modified)
        """,
        (sha, source, location, now, now, etag, last_modified, run_id),
    )
    return landed


def _register(conn, sha, path, data, source, location, now, run_id, failure, defaults) -> Landed:
    """The manifest row of a new file. Landing only hashes: the file is read once, by extraction,
    which records its format, metadata and any reason it cannot be read (`loading`)."""
    media_type = sniff_media_type(data) if data else None
    # The version this one replaces: the readable report last seen at the same place.
    previous = conn.execute(
        """select s.report_id from raw.report_sightings s join raw.reports r using (report_id)
           where s.location = %s and s.source_name = %s and s.report_id <> %s and r.status <> 'failed'
           order by s.last_seen_at desc, s.report_id limit 1""",
        (location, source, sha),
    ).fetchone()
    conn.execute(
        """
        insert into raw.reports (report_id, source_name, location, fetched_at, size_bytes, media_type,
            archive_path, status, failure_reason, issuing_body, province, supersedes, first_run_id, status_run_id)
        values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
        on conflict (report_id) do nothing
        """,
        (
            sha,
            source,
            location,
            now,
            len(data),
            media_type,
            str(path),
            "failed" if failure else "new",
            failure,
            (defaults or {}).get("issuing_body"),
            (defaults or {}).get("province"),
            previous[0] if previous else None,
            run_id,
            run_id,
        ),
    )
    return Landed(sha, "failed" if failure else "new", failure)


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
