"""The `vnhealth` command: extraction, the warehouse's lifecycle, dbt with the right profile,
tracing a figure to its sentence, and the run summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit

import typer

from vnhealth.terminal import progress

# An error is one line on stderr and a non-zero exit (`main`), never a traceback; VNHEALTH_DEBUG=1 shows it.
_TYPER = {"no_args_is_help": True, "pretty_exceptions_enable": False}
app = typer.Typer(help="Public-health report warehouse.", add_completion=False, **_TYPER)
warehouse_app = typer.Typer(help="The PostgreSQL warehouse.", **_TYPER)
app.add_typer(warehouse_app, name="warehouse")
quality_app = typer.Typer(help="The Great Expectations project in expectations/gx/.", **_TYPER)
app.add_typer(quality_app, name="quality")
lineage_app = typer.Typer(help="OpenLineage events of the runs, in audit.lineage_events.", **_TYPER)
app.add_typer(lineage_app, name="lineage")


def main() -> None:
    """The `vnhealth` entry point: what went wrong in one line, exit 1 (130 when interrupted)."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("vnhealth: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # every failure a command does not turn into a message itself
        if os.environ.get("VNHEALTH_DEBUG"):
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        typer.echo(f"vnhealth: error: {message} ({type(exc).__name__}; VNHEALTH_DEBUG=1 shows where)", err=True)
        sys.exit(1)


@quality_app.command("init")
def quality_init() -> None:
    """Write the datasource, suites (from vnhealth.quality.SUITES), validation definitions and
    checkpoints into expectations/gx/; idempotent. Commit what it changes.

    Example: vnhealth quality init && git diff expectations/"""
    from vnhealth.quality import init_context

    init_context()
    typer.echo("expectations/gx/ written from vnhealth.quality.SUITES")


@app.command()
def extract(
    paths: list[Path],
    area: Optional[str] = typer.Option(None, help="Province when the text never names one."),
    output: Optional[Path] = typer.Option(None, help="JSON Lines file (default: stdout)."),
    explain: bool = typer.Option(
        False,
        help="Instead: every number in a sentence naming an indicator that gave "
        "no observation, with the reason it was dropped.",
    ),
) -> None:
    """Read report files and write their observations as JSON Lines, one report at a time.

    Example: vnhealth extract sample_inbox/*.txt --output observations.jsonl"""
    from vnhealth.documents import DocumentError
    from vnhealth.files import extract_file
    from vnhealth.extraction.areas import resolve_name

    default_area = None
    if area:
        default_area = resolve_name(area)
        if default_area is None:
            raise typer.BadParameter(f"unknown province {area!r}", param_hint="--area")
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    failed = 0
    try:
        for path in progress(paths, "reading reports"):
            if explain:
                from vnhealth.documents import read_document
                from vnhealth.extraction.explain import explain_text

                try:
                    text = read_document(path.read_bytes(), with_metadata=False).text
                except (DocumentError, OSError) as exc:
                    failed += 1
                    typer.echo(f"{path}: cannot read: {exc}", err=True)
                    continue
                for d in explain_text(text, path.name, default_area):
                    out.write(
                        json.dumps(
                            {
                                "source": path.name,
                                "number": d.number,
                                "offset": d.start,
                                "reason": d.reason,
                                "sentence": d.sentence,
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                continue
            try:
                for obs in extract_file(path, default_area=default_area):
                    out.write(json.dumps(obs.contract(), ensure_ascii=False) + "\n")
            except (DocumentError, OSError) as exc:
                failed += 1
                typer.echo(f"{path}: cannot read: {exc}", err=True)
    finally:
        if output:
            out.close()
    if failed == len(paths):
        raise typer.Exit(1)


@app.command()
def score(
    corpus: Path = typer.Option(Path("../shared/corpus"), help="Folder with reports/, gold/ and areas.tsv."),
    scorer: Path = typer.Option(Path("../shared/eval/score.py"), help="The shared scorer."),
    show: bool = typer.Option(False, help="List every miss and false positive of the whole corpus."),
    raise_floors: Optional[Path] = typer.Option(
        None, help="A ratchet file whose floors to raise to these scores (never lowered)."
    ),
) -> None:
    """Extract the real corpus and score it against its gold, in all and per part (seed, a, b, c).

    Example: vnhealth score --corpus ../shared/corpus"""
    import tempfile

    from vnhealth.evaluation import extract_corpus, score as run_scorer, score_corpus

    if show:
        with tempfile.TemporaryDirectory() as tmp:
            pred = Path(tmp) / "pred.jsonl"
            extract_corpus(corpus, pred)
            typer.echo(run_scorer(scorer, corpus / "gold", pred, show=True))
        return
    typer.echo(
        f"{'part':6s} {'gold':>5s} {'pred':>5s} {'match':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}  period  area  qualifier"
    )
    scores = score_corpus(corpus, scorer)
    if raise_floors:
        ratchet = json.loads(raise_floors.read_text(encoding="utf-8"))
        for part, s in scores.items():
            floors = ratchet.setdefault(part, {})
            for metric in ("f1", "precision", "recall"):
                floors[metric] = max(floors.get(metric, 0.0), s[metric])
        raise_floors.write_text(json.dumps(ratchet, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for part, s in scores.items():
        typer.echo(
            f"{part:6s} {s['gold']:5d} {s['predicted']:5d} {s['matched']:5d} {s['precision']:6.3f} "
            f"{s['recall']:6.3f} {s['f1']:6.3f}  {s['period_agreement']}  {s['area_agreement']}  "
            f"{s['qualifier_agreement']}"
        )


@app.command(name="eval")
def evaluate(
    reports: list[Path],
    gold: Path = typer.Option(..., help="Folder of gold JSONL files (same stems)."),
    areas: Optional[Path] = typer.Option(None, help="A TSV of file name and province for texts that never name it."),
    output: Optional[Path] = typer.Option(None, help="Markdown file (default: stdout)."),
) -> None:
    """Score extracted reports against gold: P/R/F1 per report and per indicator, every error by class
    (missed, extra, wrong indicator, kind, value, dimension, period, area).

    Example: vnhealth eval ../shared/corpus/reports/*.txt --gold ../shared/corpus/gold"""
    from vnhealth.evaluation import evaluation_report
    from vnhealth.files import extract_file
    from vnhealth.extraction.areas import resolve_name

    by_file = {}
    if areas:
        for line in areas.read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                name, province = line.split("\t", 1)
                by_file[name.strip()] = resolve_name(province.strip())
    pred = [o.contract() for path in reports for o in extract_file(path, default_area=by_file.get(path.name))]
    text = evaluation_report(gold, pred, reports={path.stem for path in reports})
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)


@app.command()
def synth(
    directory: Path,
    reports: int = typer.Option(10, min=1, help="How many reports to write."),
    seed: int = typer.Option(0, help="First seed; report i uses seed + i."),
    statements: int = typer.Option(24, min=1, help="Statements per report."),
) -> None:
    """Write synthetic reports (`<name>.txt`) with their ground truth (`<name>.jsonl`) into DIRECTORY.

    Example: vnhealth synth /tmp/synthetic --reports 200"""
    from vnhealth.synth import write_corpus

    paths = write_corpus(
        directory, reports, seed=seed, statements=statements, progress=lambda seeds: progress(seeds, "writing reports")
    )
    typer.echo(f"wrote {len(paths)} reports and their truth to {directory}")


@warehouse_app.command("start")
def warehouse_start() -> None:
    """Start the embedded PostgreSQL (created at first start) and set up roles and schemas.

    Example: vnhealth warehouse start"""
    from vnhealth.warehouse import EmbeddedWarehouse, migrate

    if os.environ.get("WAREHOUSE_URL"):
        migrate(os.environ["WAREHOUSE_URL"])
        typer.echo("WAREHOUSE_URL is set: migrated the external warehouse, started nothing")
        return
    wh = EmbeddedWarehouse()
    wh.start()
    typer.echo(f"warehouse running on 127.0.0.1:{wh.port} (data: {wh.data_dir})")


@warehouse_app.command("stop")
def warehouse_stop() -> None:
    """Stop the embedded PostgreSQL.

    Example: vnhealth warehouse stop"""
    from vnhealth.warehouse import EmbeddedWarehouse

    wh = EmbeddedWarehouse()
    typer.echo("warehouse stopped" if wh.stop() else "warehouse was not running")


@warehouse_app.command("url")
def warehouse_url_cmd(
    role: str = typer.Option("vnhealth", help="vnhealth (the project), bi_reader or auditor."),
) -> None:
    """Print the libpq URL, with credentials, of the warehouse in use.

    Example: psql "$(vnhealth warehouse url --role bi_reader)" -c 'select 1'"""
    from vnhealth.warehouse import warehouse_url

    typer.echo(warehouse_url(role))


@warehouse_app.command("database")
def warehouse_database(name: str = typer.Argument(..., help="A database to create if missing (e.g. airflow).")) -> None:
    """Create a database of the project role on the embedded server (Airflow's metadata database,
    for CeleryExecutor) and print its SQLAlchemy URL.

    Example: vnhealth warehouse database airflow"""
    import psycopg

    from vnhealth.warehouse import EmbeddedWarehouse

    if not name.isidentifier():
        raise typer.BadParameter(f"{name!r}: letters, digits and _ only")
    wh = EmbeddedWarehouse()
    with psycopg.connect(wh.url("postgres", database="postgres"), autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}" owner vnhealth')
    typer.echo(wh.url("vnhealth", database=name).replace("postgresql://", "postgresql+psycopg://", 1))


@warehouse_app.command("env")
def warehouse_env() -> None:
    """Print shell exports that point dbt and Airflow at the warehouse in use.

    Example: eval "$(vnhealth warehouse env)" && echo "$AIRFLOW_CONN_WAREHOUSE" """
    for key, value in dbt_env().items():
        typer.echo(f"export {key}='{value}'")


def dbt_env() -> dict[str, str]:
    from vnhealth.warehouse import warehouse_url

    url = warehouse_url()
    parts = urlsplit(url)
    return {
        "VNHEALTH_DB_HOST": parts.hostname or "127.0.0.1",
        "VNHEALTH_DB_PORT": str(parts.port or 5432),
        "VNHEALTH_DB_USER": unquote(parts.username or ""),
        "VNHEALTH_DB_PASSWORD": unquote(parts.password or ""),
        "VNHEALTH_DB_NAME": parts.path.lstrip("/") or "vnhealth",
        "AIRFLOW_CONN_WAREHOUSE": url,
    }


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def dbt(ctx: typer.Context) -> None:
    """Run dbt in dbt_project/ with the warehouse's credentials: `vnhealth dbt build`.

    Example: vnhealth dbt build --select marts"""
    from vnhealth.settings import get_settings

    settings = get_settings()
    env = {**os.environ, **dbt_env()}
    exe = Path(sys.executable).with_name("dbt")
    cmd = [
        str(exe),
        *ctx.args,
        "--project-dir",
        str(settings.dbt_project_dir),
        "--profiles-dir",
        str(settings.dbt_project_dir),
    ]
    raise typer.Exit(subprocess.call(cmd, env=env))


@lineage_app.command("load")
def lineage_load() -> None:
    """Load the events appended to the OpenLineage file since the last load (each run's publication
    does this; the run's last events arrive after it).

    Example: vnhealth lineage load"""
    import psycopg

    from vnhealth.lineage import lineage_log_path, load_events
    from vnhealth.warehouse import warehouse_url

    path = lineage_log_path()
    if path is None:
        typer.echo("no OpenLineage file transport configured (AIRFLOW__OPENLINEAGE__TRANSPORT): nothing to load")
        return
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        typer.echo(f"{load_events(conn, path)} new events loaded from {path}")


@lineage_app.command("show")
def lineage_show(
    run_id: Optional[str] = typer.Option(None, help="Run to show (default: the latest)."),
    role: str = typer.Option("auditor", help="The role to read as."),
) -> None:
    """Which task (and which dbt model) wrote each table in a run, from its OpenLineage events.

    Example: vnhealth lineage show --run-id manual__2026-12-02T05:05:50+00:00"""
    import psycopg

    from vnhealth.lineage import produced_by
    from vnhealth.warehouse import warehouse_url

    with psycopg.connect(warehouse_url(role), autocommit=True) as conn:
        run_id = (
            run_id
            or (
                conn.execute(
                    "select airflow_run_id from audit.lineage_events order by event_time desc limit 1"
                ).fetchone()
                or [None]
            )[0]
        )
        if run_id is None:
            typer.echo("no lineage events loaded yet", err=True)
            raise typer.Exit(1)
        typer.echo(f"run {run_id}")
        for table, task, at in produced_by(conn, run_id):
            typer.echo(f"  {table:<55} {task:<24} {at}")


@app.command()
def trace(
    observation_id: str,
    as_json: bool = typer.Option(False, "--json", help="The trace as JSON, for tools."),
    role: str = typer.Option("auditor", help="The role to read as (auditor: marts and audit, nothing else)."),
) -> None:
    """Where a figure comes from and what became of it: the figure marked in its sentence, the sentence
    in its paragraph, the report's number, issuer and date, its validation (passed, quarantined by
    which rule, flagged) and whether the marts give it or another report's value. Quarantined
    observations too.

    Example: vnhealth trace 3f9c2a71 --json"""
    from vnhealth.audit import format_trace
    from vnhealth.audit import trace as trace_of

    try:
        result = trace_of(observation_id, role)
    except LookupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else format_trace(result))


@app.command()
def reextract(
    everything: bool = typer.Option(False, "--all", help="Every archived report, including those that failed to read."),
    report: Optional[str] = typer.Option(None, help="One report: its sha256 or a unique prefix."),
    since: Optional[datetime] = typer.Option(None, formats=["%Y-%m-%d"], help="Reports fetched on or after this date."),
    batch_size: int = typer.Option(20, min=1, help="Reports per batch (one transaction each)."),
    build: bool = typer.Option(True, help="Validate, rebuild the marts and validate them afterwards."),
) -> None:
    """Read archived reports again with the current extractor (default: those read by another version).

    Earlier readings are kept, marked superseded; the marts read the current one. Prints, per report,
    how many facts the new reading added, dropped and changed; the run's changes page lists each.

    Example: vnhealth reextract --since 2026-01-01"""
    from vnhealth import pipeline
    from vnhealth.audit import extraction_changes, record_dbt_results, write_changes_page
    from vnhealth.extraction import EXTRACTOR_VERSION
    from vnhealth.quality import publish_data_docs, validate_marts, validate_observations
    from vnhealth.settings import get_settings
    from vnhealth.warehouse import warehouse_url

    import psycopg

    run_id = "reextract__" + datetime.now(timezone.utc).isoformat()
    try:
        batches = pipeline.reextraction_batches(
            batch_size, everything=everything, report=report, since=since.date() if since else None
        )
    except LookupError as exc:
        raise typer.BadParameter(str(exc), param_hint="--report") from None
    total = sum(len(b) for b in batches)
    typer.echo(f"{run_id}: reading {total} reports again with extractor {EXTRACTOR_VERSION}")
    for batch in progress(batches, "reading batches"):
        pipeline.load_batch_file(pipeline.extract_batch(batch, run_id), run_id)
    if build and total:
        validate_observations(run_id)
        settings = get_settings()
        code = subprocess.call(
            [
                str(Path(sys.executable).with_name("dbt")),
                "build",
                "--quiet",
                "--project-dir",
                str(settings.dbt_project_dir),
                "--profiles-dir",
                str(settings.dbt_project_dir),
            ],
            env={**os.environ, **dbt_env()},
        )
        record_dbt_results(str(settings.dbt_project_dir), {"run_id": run_id})
        if code != 0:
            typer.echo("dbt build failed; the new readings are loaded, the marts are not rebuilt", err=True)
            raise typer.Exit(code)
        validate_marts(run_id)
    write_changes_page(run_id)
    docs = publish_data_docs(run_id, final=True)
    pipeline.record_run(run_id, str(docs), "reextract")
    with psycopg.connect(warehouse_url()) as conn:
        rows = extraction_changes(conn, run_id)
    for report_id, title, old, new, added, dropped, changed in rows:
        typer.echo(
            f"  {report_id[:16]}  {old} -> {new}  added {added}, dropped {dropped}, changed {changed}  "
            f"{(title or '')[:60]}"
        )
    typer.echo(f"{len(rows)} reports had an earlier reading; changes: {docs.parent / 'changes'}")


@warehouse_app.command("checksum")
def warehouse_checksum() -> None:
    """Row count and content checksum of every raw and mart table (run ids and timestamps left out).

    Example: vnhealth warehouse checksum > before.txt"""
    import psycopg

    from vnhealth.audit import table_checksums
    from vnhealth.warehouse import warehouse_url

    with psycopg.connect(warehouse_url()) as conn:
        for table, (count, digest) in table_checksums(conn).items():
            typer.echo(f"{table:45s} {count:>9d}  {digest}")


@app.command()
def summary(
    run_id: Optional[str] = typer.Option(None, help="Run to summarise (default: the latest)."),
    require_success: bool = typer.Option(False, help="Exit 1 when no run has finished."),
) -> None:
    """Print what the last run did: reports, observations, dbt results, expectations, Data Docs.

    Example: vnhealth summary --run-id manual__2026-12-02T05:05:50+00:00"""
    from vnhealth.audit import run_summary

    text = run_summary(run_id)
    typer.echo(text)
    if require_success and text == "no finished run yet":
        raise typer.Exit(1)


if __name__ == "__main__":
    main()
