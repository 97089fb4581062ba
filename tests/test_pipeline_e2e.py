"""The whole chain on real parts: `airflow dags test` against a fresh warehouse, re-runs, BI access,
quarantine and traceability."""

import html
import json
import os
import re

import psycopg
import pytest

from conftest import ROOT, run_cli


def _dag_test(env_extra=None, dag_id="health_reports_nightly", conf=None):
    env = {
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "VNHEALTH_TASK_RETRIES": "0",
        **(env_extra or {}),
    }
    run_cli("airflow", "db", "migrate", env=env)
    proc = run_cli(
        "airflow",
        "dags",
        "test",
        dag_id,
        *(["-c", json.dumps(conf)] if conf else []),
        env=env,
        check=False,
        timeout=900,
    )
    runs = run_cli("airflow", "dags", "list-runs", dag_id, "-o", "json", env=env).stdout
    data = json.loads(next(line for line in runs.splitlines() if line.startswith("[")))
    latest = max(data, key=lambda r: r.get("start_date") or "")
    assert latest["state"] == "success", proc.stdout[-4000:] + proc.stderr[-4000:]
    return latest["run_id"]


def _counts(conn):
    return {
        t: conn.execute(f"select count(*) from {t}").fetchone()[0]
        for t in (
            "raw.reports",
            "raw.observations",
            "marts.fct_indicator_observation",
            "marts.fct_indicator_value",
            "marts.dim_facility",
            "marts.dim_period",
        )
    }


@pytest.fixture(scope="module")
def first_run(warehouse, dbt_manifest):
    return _dag_test()


def test_end_to_end_fills_the_marts(first_run, db):
    counts = _counts(db)
    assert counts["raw.reports"] == 6
    assert counts["marts.fct_indicator_observation"] > 20
    row = db.execute(
        """select f.observed_value, p.dhis2_period_id from marts.fct_indicator_observation f
           join marts.dim_period p using (period_id) join marts.dim_facility d using (facility_id)
           where f.indicator_id = 'doctors_per_10k' and d.facility_name = 'Hà Tĩnh'"""
    ).fetchone()
    assert row == (13.6, "2024")
    run = db.execute(
        "select reports_new, reports_failed from audit.pipeline_runs where run_id = %s", (first_run,)
    ).fetchone()
    assert run == (6, 1), "six files landed for the first time, one of them unreadable"
    dbt_ok = db.execute(
        "select count(*) from audit.dbt_results where run_id = %s and status in ('success', 'pass')", (first_run,)
    ).fetchone()[0]
    assert dbt_ok > 20


def test_periods_have_labels_and_say_whether_they_run_year_to_date(first_run, db):
    periods = {
        pid: rest
        for pid, *rest in db.execute(
            """select period_id, granularity, period_label_vi, period_label_en, is_year_to_date, is_full_period,
                  month_count from marts.dim_period"""
        )
    }
    assert periods["2024"] == ["year", "Năm 2024", "2024", False, True, 12]
    # a complete calendar over the data's years, ISO weeks too, not only the periods facts use
    assert periods["2024Q3"][:3] == ["quarter", "Quý 3/2024", "2024 Q3"]
    assert periods["202402"][:3] == ["month", "Tháng 2/2024", "February 2024"]
    assert periods["2024W36"][:3] == ["week", "Tuần 36/2024", "2024 W36"]
    assert sum(1 for p in periods if p.startswith("2024W")) == 52
    ytd = [p for p in periods.values() if p[0] == "year_to_date"]
    assert ["year_to_date", "9 tháng đầu năm 2024", "January-September 2024", True, False, 9] in ytd, ytd
    assert all(p[1] and p[2] for p in periods.values())


def test_unreadable_report_is_recorded_with_its_reason_and_kept(first_run, db):
    status, reason, path = db.execute(
        "select status, failure_reason, archive_path from raw.reports where location like '%bao-cao-hong.pdf'"
    ).fetchone()
    assert status == "failed" and reason.startswith("corrupt_pdf")
    assert os.path.exists(path)
    others = db.execute("select count(*) from raw.reports where status = 'extracted'").fetchone()[0]
    assert others == 5


def test_rerun_changes_nothing(first_run, db):
    before = _counts(db)
    second = _dag_test()
    assert second != first_run
    assert _counts(db) == before
    new, seen = db.execute(
        "select reports_new, reports_seen from audit.pipeline_runs where run_id = %s", (second,)
    ).fetchone()
    assert (new, seen) == (0, 6), "every file seen again, none new"
    # a quiet night builds nothing: the marts of the first run stand, and no dbt node ran
    assert db.execute("select count(*) from audit.mart_builds where run_id = %s", (second,)).fetchone()[0] == 0
    assert db.execute("select count(*) from audit.dbt_results where run_id = %s", (second,)).fetchone()[0] == 0


def test_the_reextraction_dag_reads_every_report_again_and_changes_nothing_when_the_extractor_has_not(first_run, db):
    from vnhealth.audit import table_checksums

    before = table_checksums(db)
    run_id = _dag_test(dag_id="health_reports_reextract", conf={"mode": "all"})
    kind, read, loaded = db.execute(
        "select run_kind, reports_extracted, observations_loaded from audit.pipeline_runs where run_id = %s", (run_id,)
    ).fetchone()
    assert (kind, read, loaded) == ("reextract", 0, 0), "the same extractor version reads the same facts"
    assert table_checksums(db) == before
    built = db.execute("select count(*) from audit.dbt_results where run_id = %s", (run_id,)).fetchone()[0]
    assert built == 0, "nothing changed, so the marts were not rebuilt"


def test_every_fact_is_found_at_its_offsets_in_the_archive(first_run, db):
    from vnhealth.audit import evidence_in_archive

    rows = db.execute("""select r.archive_path, f.evidence_start, f.evidence_end, f.evidence
                         from marts.fct_indicator_observation f join marts.dim_report r using (report_id)""").fetchall()
    assert rows and all(evidence_in_archive(*row) for row in rows)


def test_trace_prints_the_sentence(first_run, db):
    oid = db.execute(
        "select observation_id from marts.fct_indicator_observation "
        "where indicator_id = 'administrative_fines_vnd' and observed_value = 415500000"
    ).fetchone()[0]
    out = run_cli("vnhealth", "trace", oid).stdout
    assert "administrative_fines_vnd" in out and ">>>" in out and "verified in the archived text" in out
    assert "415500000" in out.replace(",", "")
    # the figure itself is marked inside its sentence, and the report's number, issuer and date are shown
    assert "[[415,5]] triệu" in out or "[[415.500.000]]" in out, out
    assert "validation   passed" in out and "in the marts " in out
    report = db.execute(
        "select r.document_number, r.issuing_body from marts.fct_indicator_observation f "
        "join marts.dim_report r using (report_id) where f.observation_id = %s",
        (oid,),
    ).fetchone()
    assert f"number       {report[0] or '-'}   issued by {report[1] or '-'}" in out
    traced = json.loads(run_cli("vnhealth", "trace", oid, "--json").stdout)
    start, end = traced["evidence"]["figure"]
    sentence = traced["evidence"]["text"]
    assert sentence[start - traced["evidence"]["start"] : end - traced["evidence"]["start"]] in ("415,5", "415.500.000")
    assert traced["validation"] == {"status": "passed", "flags": traced["validation"]["flags"], "failed_rules": []}
    assert traced["in_marts"].startswith(("the value", "lost to"))
    missing = run_cli("vnhealth", "trace", "f" * 64, check=False)
    assert missing.returncode == 1 and "no observation" in missing.stderr


def test_the_auditor_reads_marts_and_audit_but_writes_nothing_and_no_raw(first_run, warehouse):
    url = run_cli("vnhealth", "warehouse", "url", "--role", "auditor").stdout.strip()
    assert url.startswith("postgresql://auditor:")
    with psycopg.connect(url, autocommit=True) as conn:
        for table in (
            "marts.fct_indicator_observation",
            "audit.quarantined_observations",
            "audit.validation_results",
            "audit.pipeline_runs",
            "audit.dbt_results",
            "audit.rule_checks",
        ):
            conn.execute(f"select * from {table} limit 1").fetchall()
        for statement in (
            "select * from raw.reports",
            "select rolpassword from pg_authid",
            "delete from audit.quarantined_observations",
            "update marts.dim_indicator set unit = unit",
            "create table audit.x (a int)",
            "insert into audit.pipeline_runs (run_id) values ('x')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_lineage_of_the_night_says_which_task_and_model_wrote_each_mart(first_run, warehouse):
    """Airflow's OpenLineage events (dbt's through cosmos), loaded without a lineage server."""
    from vnhealth.settings import get_settings, safe_run_dir

    run_cli("vnhealth", "lineage", "load")  # the run's last events come after its publication
    url = run_cli("vnhealth", "warehouse", "url", "--role", "auditor").stdout.strip()
    with psycopg.connect(url, autocommit=True) as conn:
        tasks = {
            r[0]
            for r in conn.execute(
                "select task_id from audit.lineage_events where airflow_run_id = %s and event_type = 'COMPLETE'",
                (first_run,),
            ).fetchall()
        }
        assert {"land_reports", "extract_observations", "load_observations", "dbt_build", "publish_run"} <= tasks
        writers = dict(
            conn.execute(
                """select dataset_name, task_id from audit.lineage_datasets
               where airflow_run_id = %s and direction = 'output'""",
                (first_run,),
            ).fetchall()
        )
        assert writers["vnhealth.marts.fct_indicator_value"] == "dbt_build"
        assert writers["vnhealth.marts.dim_facility"] == "dbt_build"
        read = {
            r[0]
            for r in conn.execute(
                "select dataset_name from audit.lineage_datasets where airflow_run_id = %s and direction = 'input'",
                (first_run,),
            ).fetchall()
        }
        assert "vnhealth.raw.observations" in read
    run_dir = get_settings().data_docs_root / "runs" / safe_run_dir(first_run)
    events = [json.loads(line) for line in (run_dir / "lineage.jsonl").read_text(encoding="utf-8").splitlines()]
    assert events and all(e["run"]["facets"]["airflow"]["dagRun"]["run_id"] == first_run for e in events)
    assert "vnhealth.marts.fct_indicator_value" in (run_dir / "night.html").read_text(encoding="utf-8")
    shown = run_cli("vnhealth", "lineage", "show", "--run-id", first_run).stdout
    assert "marts.fct_target_attainment" in shown and "dbt_build" in shown
    again = run_cli("vnhealth", "lineage", "load").stdout
    assert again.startswith("0 new events"), "an event is loaded once"


def test_bi_reader_can_query_marts_but_not_write_or_read_raw(first_run, warehouse):
    url = run_cli("vnhealth", "warehouse", "url", "--role", "bi_reader").stdout.strip()
    with psycopg.connect(url, autocommit=True) as conn:
        queries = [
            q
            for q in (ROOT / "docs" / "example_queries.sql").read_text().split(";")
            if any(line.strip() and not line.strip().startswith("--") for line in q.splitlines())
        ]
        assert len(queries) == 4
        for query in queries:
            conn.execute(query).fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from raw.reports")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from audit.quarantined_observations")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("delete from marts.dim_indicator")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("create table marts.x (a int)")


def test_bad_observations_are_quarantined_and_kept_out_of_the_marts(first_run, db):
    from vnhealth.quality import validate_observations

    report_id, version = db.execute(
        "select report_id, extractor_version from raw.extractions where is_current order by report_id limit 1"
    ).fetchone()
    bad = {
        "bad-unknown": ("no_such_indicator", 5, "count", "actual", "exact", "5 ca"),
        "bad-range": ("health_insurance_coverage_pct", 140, "pct", "actual", "exact", "đạt 140%"),
        "bad-kind": ("dengue_cases", 12, "count", "guess", "exact", "12 ca"),
        "bad-evidence": ("dengue_cases", 77, "count", "actual", "exact", "không nêu số"),
        "bad-deaths": ("covid19_deaths", 50, "count", "actual", "exact", "50 ca tử vong"),
    }
    for oid, (ind, value, unit, kind, qual, ev) in bad.items():
        db.execute(
            """insert into raw.observations (observation_id, report_id, source, indicator, value, unit, kind,
                      qualifier, period_start, period_end, area, evidence, evidence_start, evidence_end,
                      extractor_version)
                      values (%s, %s, 'test', %s, %s, %s, %s, %s, '2030-01-01', '2030-12-31', 'Hà Tĩnh', %s, 0,
                      %s, %s)""",
            (oid, report_id, ind, value, unit, kind, qual, ev, len(ev), version),
        )
    db.execute(
        """insert into raw.observations (observation_id, report_id, source, indicator, value, unit, kind,
                  qualifier, period_start, period_end, area, evidence, evidence_start, evidence_end, extractor_version)
                  values ('ok-cases', %s, 'test', 'covid19_cases', 10, 'count', 'actual', 'exact', '2030-01-01',
                  '2030-12-31', 'Hà Tĩnh', '10 ca', 0, 5, %s)""",
        (report_id, version),
    )
    validate_observations("quarantine-test")
    held = dict(
        db.execute(
            "select observation_id, expectation from audit.quarantined_observations where run_id = 'quarantine-test'"
        ).fetchall()
    )
    assert set(bad) <= set(held), held
    assert "ok-cases" not in held
    assert "is_value_plausible" in held["bad-range"] and "is_deaths_within_cases" in held["bad-deaths"]
    results = db.execute(
        "select count(*) from audit.validation_results where run_id = 'quarantine-test' and not success"
    ).fetchone()[0]
    assert results >= 4
    # a quarantined figure is traced too, with the rule that holds it back
    traced = json.loads(run_cli("vnhealth", "trace", "bad-range", "--json").stdout)
    assert traced["validation"]["status"] == "quarantined" and traced["in_marts"].startswith("not in the marts")
    assert any("is_value_plausible" in f["expectation"] for f in traced["validation"]["failed_rules"])
    assert (traced["indicator"], traced["value"]) == ("health_insurance_coverage_pct", 140.0)
    assert "[[140]]%" in run_cli("vnhealth", "trace", "bad-range").stdout
    db.execute("delete from raw.observations where observation_id = any(%s)", (list(bad) + ["ok-cases"],))
    db.execute("delete from audit.quarantined_observations where observation_id = any(%s)", (list(bad),))


def test_data_docs_of_every_run_are_reachable_from_the_index(first_run, db):
    from vnhealth.settings import safe_run_dir
    from vnhealth.settings import get_settings

    runs = [
        r
        for (r,) in db.execute(
            "select run_id from audit.pipeline_runs where finished_at is not null "
            "and data_docs_path is not null order by finished_at"
        )
    ]
    assert len(runs) >= 2, "the first run and the re-run"
    root = get_settings().data_docs_root
    index = (root / "index.html").read_text(encoding="utf-8")
    for run in runs:
        link = f"runs/{safe_run_dir(run)}/index.html"
        assert link in index, f"{run} is not in the index"
        page = root / link
        assert page.exists()
        validated = db.execute("select count(*) from audit.validation_results where run_id = %s", (run,)).fetchone()[0]
        if validated:
            assert list((page.parent / "validations").rglob("*.html")), f"the run {run} has no validation pages"
        else:
            assert "Nothing was validated in this run" in page.read_text(encoding="utf-8")
    assert db.execute("select count(distinct run_id) from audit.validation_results").fetchone()[0] >= 1
    # each run's folder holds its own results only: the disk grows with the nights, not their square
    sizes = [
        sum(f.stat().st_size for f in (root / "runs" / safe_run_dir(r) / "validations").rglob("*") if f.is_file())
        for r in runs
        if (root / "runs" / safe_run_dir(r) / "validations").exists()
    ]
    assert sizes and max(sizes) < 3 * min(sizes), sizes


def test_a_failing_night_has_a_page_that_shows_the_failure_and_the_rows(first_run, db):
    """A night whose rows break rules and one of whose tasks failed: its own page (no asset from the
    internet) shows the status, the rule in words with its threshold, and each failing row with its
    province, indicator, period, value, report and sentence; the index lists it first, as failed."""
    from vnhealth.pipeline import record_run
    from vnhealth.quality import validate_observations
    from vnhealth.settings import safe_run_dir
    from vnhealth.settings import get_settings

    report_id, version = db.execute(
        "select report_id, extractor_version from raw.extractions where is_current order by report_id limit 1"
    ).fetchone()
    evidence = "Tỷ lệ bao phủ bảo hiểm y tế đạt 140% dân số."
    db.execute(
        """insert into raw.observations (observation_id, report_id, source, indicator, value, unit, kind,
                  qualifier, period_start, period_end, area, evidence, evidence_start, evidence_end, extractor_version)
                  values ('night-bad', %s, 'test', 'health_insurance_coverage_pct', 140, 'pct', 'actual', 'exact',
                  '2031-01-01', '2031-12-31', 'Quảng Trị', %s, 0, %s, %s)""",
        (report_id, evidence, len(evidence), version),
    )
    for oid, indicator, value, sentence in (
        ("night-cases", "covid19_cases", 10, "COVID-19: 10 ca mắc."),
        ("night-deaths", "covid19_deaths", 50, "COVID-19: 50 ca tử vong."),
    ):
        db.execute(
            """insert into raw.observations (observation_id, report_id, source, indicator, value, unit, kind,
                      qualifier, period_start, period_end, area, evidence, evidence_start, evidence_end,
                      extractor_version)
                      values (%s, %s, 'test', %s, %s, 'count', 'actual', 'exact', '2031-01-01', '2031-12-31',
                      'Quảng Trị', %s, 0, %s, %s)""",
            (oid, report_id, indicator, value, sentence, len(sentence), version),
        )
    run = "night-failing"
    try:
        validate_observations(run)
        summary = record_run(run, None, "nightly", failed_tasks=["validate_marts"])
        assert summary["status"] == "failed"
        root = get_settings().data_docs_root
        page = (root / "runs" / safe_run_dir(run) / "night.html").read_text(encoding="utf-8")
        assert "failed" in page and "validate_marts" in page
        assert (
            "the value lies in the indicator&#x27;s plausible range" in page
            or "the value lies in the indicator's plausible range" in page
        )
        assert "0 ≤ value ≤ 100" in page, "the threshold, from the catalogue"
        assert "Quảng Trị" in page and "health_insurance_coverage_pct" in page and "2031-01-01" in page
        assert "<mark>140</mark>%" in page, "the figure marked in its sentence"
        assert "http://" not in page and "https://" not in page, "nothing loaded from the internet"
        # a rule between figures shows its left side, operator and right side, and the observations on each
        assert "deaths do not exceed the cases of the same disease" in page
        assert "<td>50</td><td>≤</td><td>10</td>" in page and "night-deaths"[:12] in page and "night-cases"[:12] in page
        # the SQL that Great Expectations' pages give to retrieve the failing rows runs as the auditor
        queries = {}
        for gx_page in (root / "runs" / safe_run_dir(run) / "validations").rglob("*.html"):
            if f"{run}:" in str(gx_page):
                for query in re.findall(r"(SELECT .*?);", gx_page.read_text(encoding="utf-8"), re.S):
                    queries[html.unescape(query).replace("<br>", " ").split(",")[1].split()[0]] = html.unescape(
                        query
                    ).replace("<br>", " ")
        for gx_page in (root / "runs" / safe_run_dir(run)).rglob("*.html"):  # readable offline
            remote = re.findall(
                r"<(?:script|link|img)\b[^>]*(?:src|href)=[\"']https?://", gx_page.read_text(encoding="utf-8")
            )
            assert not remote, f"{gx_page} loads {remote} from the internet"
        auditor = run_cli("vnhealth", "warehouse", "url", "--role", "auditor").stdout.strip()
        with psycopg.connect(auditor, autocommit=True) as conn:
            assert {"night-deaths"} <= {r[0] for r in conn.execute(queries["is_deaths_within_cases"])}
            assert {"night-bad"} <= {r[0] for r in conn.execute(queries["is_value_plausible"])}
        index = (root / "index.html").read_text(encoding="utf-8")
        rows = index.split("<tr>")[2:]
        assert run in rows[0] and "failed" in rows[0], "newest first, with its status"
        finished = db.execute("select finished_at from audit.pipeline_runs where run_id = %s", (run,)).fetchone()[0]
        assert f"{finished:%Y-%m-%d %H:%M:%S} UTC" in rows[0], "the time recorded, not a file's"
    finally:
        db.execute("delete from raw.observations where observation_id like 'night-%'")
        db.execute("delete from audit.quarantined_observations where observation_id like 'night-%'")
        db.execute("delete from audit.outlier_flags where observation_id like 'night-%'")
        db.execute("delete from audit.pipeline_runs where run_id = %s", (run,))


def test_a_night_whose_task_fails_is_recorded_failed_with_its_page(first_run, db, tmp_path):
    broken = tmp_path / "sources.yml"
    broken.write_text("sources: [this is: not valid\n", encoding="utf-8")
    env = {
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "VNHEALTH_TASK_RETRIES": "0",
        "VNHEALTH_SOURCES": str(broken),
    }
    run_cli("airflow", "db", "migrate", env=env)
    run_cli("airflow", "dags", "test", "health_reports_nightly", env=env, check=False, timeout=900)
    status, failed = db.execute(
        "select status, failed_tasks from audit.pipeline_runs order by finished_at desc limit 1"
    ).fetchone()
    assert status == "failed" and "discover_reports" in failed, (status, failed)
    runs = run_cli("airflow", "dags", "list-runs", "health_reports_nightly", "-o", "json", env=env).stdout
    latest = max(
        json.loads(next(line for line in runs.splitlines() if line.startswith("["))),
        key=lambda r: r.get("start_date") or "",
    )
    assert latest["state"] == "failed", "the run fails after its page is published"


@pytest.fixture()
def restore_marts(db):
    """Undo what a structural-failure test does to the marts, whatever happens."""
    yield
    db.execute("delete from marts.fct_indicator_observation where observation_id like 'broken-%'")
    db.execute("""delete from marts.fct_indicator_observation f using (
                      select ctid, row_number() over (partition by observation_id order by ctid) as n
                      from marts.fct_indicator_observation) d
                  where f.ctid = d.ctid and d.n > 1""")
    db.execute("delete from audit.pipeline_runs where run_id like 'structural-%'")
    run_cli("vnhealth", "dbt", "run", "--quiet", "--select", "marts")  # gives back a key a test dropped


ORPHAN = """insert into marts.fct_indicator_observation
    select 'broken-orphan', indicator_id, 'nowhere', period_id, report_id, report_sha256, observed_value, unit,
           value_kind, qualifier, dimension, facility_name, evidence, evidence_start, evidence_end, source_file,
           extractor_version, loaded_at, loaded_run_id, is_outlier, outlier_score
    from marts.fct_indicator_observation limit 1"""
DUPLICATE = "insert into marts.fct_indicator_observation select * from marts.fct_indicator_observation limit 1"


def test_the_database_refuses_a_duplicate_key_and_an_orphan(first_run, db):
    with pytest.raises(psycopg.errors.UniqueViolation):
        db.execute(DUPLICATE)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        db.execute(ORPHAN)


def test_dbt_tests_catch_broken_keys_where_the_database_holds_none(first_run, db, restore_marts):
    """Structure is checked once, by dbt (its tests, and the keys it declares): a copy of the marts
    without their keys (a restore, a hand edit) fails dbt's tests, which fail the run; and its next
    build fails too, on the duplicate the copy let in, when it puts the key back (the orphan, which
    no accepted reading gives, the build removes)."""
    db.execute("alter table marts.fct_indicator_observation drop constraint fct_indicator_observation_pkey cascade")
    db.execute("alter table marts.fct_indicator_observation drop constraint fct_indicator_observation_facility_id_fkey")
    db.execute(DUPLICATE)
    db.execute(ORPHAN)
    proc = run_cli("vnhealth", "dbt", "test", "--select", "fct_indicator_observation", check=False)
    assert proc.returncode != 0
    assert "primary_key_constraint_fct_indicator_observation_observation_id" in proc.stdout
    assert "foreign_key_constraint_fct_indicator_observation_facility_id" in proc.stdout
    build = run_cli("vnhealth", "dbt", "run", "--select", "fct_indicator_observation", check=False)
    assert build.returncode != 0
    assert "could not create unique index" in build.stdout


def test_the_fact_refuses_a_null_and_gets_back_a_not_null_constraint_it_lacks(first_run, db, restore_marts):
    """The incremental fact keeps the table it was first built as: what its contract says is never
    empty is NOT NULL in the table, so PostgreSQL refuses a null as it is written (instead of a test
    query per column after each build), and a table that lacks the constraint (built before the
    contract said so, restored without it) gets it back on the next build."""
    null_evidence = ORPHAN.replace("'nowhere'", "facility_id").replace(" evidence,", " null,")
    with pytest.raises(psycopg.errors.NotNullViolation):
        db.execute(null_evidence)
    not_null = (
        "select attnotnull from pg_attribute "
        "where attrelid = 'marts.fct_indicator_observation'::regclass and attname = 'evidence'"
    )
    db.execute("alter table marts.fct_indicator_observation alter column evidence drop not null")
    assert db.execute(not_null).fetchone()[0] is False
    run_cli("vnhealth", "dbt", "run", "--quiet", "--select", "fct_indicator_observation")
    assert db.execute(not_null).fetchone()[0] is True


def test_marts_shrinking_beyond_the_bound_fails_validation(first_run, db, restore_marts):
    from vnhealth.quality import StructuralValidationError, validate_marts

    rows = db.execute("select count(*) from marts.fct_indicator_observation").fetchone()[0]
    db.execute(
        "insert into audit.pipeline_runs (run_id, finished_at, observations_in_marts) "
        "values ('structural-previous', now() + interval '1 day', %s)",
        (rows * 10,),
    )
    with pytest.raises(StructuralValidationError, match=r"expect_table_row_count_to_be_between"):
        validate_marts("structural-shrink")


def test_bi_tools_read_keys_and_descriptions_from_the_catalog(first_run, warehouse):
    """What Metabase, Superset and Power BI read: table and column comments, primary and foreign keys,
    after a second build too (dbt swaps tables in; the keys must survive it)."""
    run_cli("vnhealth", "dbt", "build", "--quiet", "--select", "marts")
    url = run_cli("vnhealth", "warehouse", "url", "--role", "bi_reader").stdout.strip()
    with psycopg.connect(url, autocommit=True) as conn:
        tables = dict(
            conn.execute(
                """select c.relname, obj_description(c.oid, 'pg_class') from pg_class c
               where c.relnamespace = 'marts'::regnamespace and c.relkind in ('r', 'v')"""
            ).fetchall()
        )
        assert {
            "dim_facility",
            "fct_indicator_value",
            "fct_indicator_value_province_2025",
            "fct_indicator_value_conflict",
            "fct_indicator_value_history",
        } <= set(tables)
        assert all(comment and len(comment.split()) >= 4 for comment in tables.values()), tables
        thin = conn.execute(
            """select c.relname || '.' || a.attname from pg_class c
               join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
               where c.relnamespace = 'marts'::regnamespace and c.relkind in ('r', 'v')
                 and c.relname not like '%history' and a.attname not like 'dbt\\_%'
                 and coalesce(array_length(regexp_split_to_array(trim(col_description(c.oid, a.attnum)),
                 '\\s+'), 1), 0) < 4
            """
        ).fetchall()
        assert thin == [], "every mart column has a real description"
        keys = set(
            conn.execute(
                """select conrelid::regclass::text, contype::text,
                      string_agg(a.attname || case when k.contype = 'f' then '->' || k.confrelid::regclass::text
                                                   else '' end, ',' order by a.attname)
               from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
               where k.connamespace = 'marts'::regnamespace and k.contype in ('p', 'f')
               group by 1, 2, k.conname"""
            ).fetchall()
        )
        assert ("marts.dim_facility", "p", "facility_id") in keys
        assert ("marts.fct_indicator_observation", "p", "observation_id") in keys
        foreign = {columns for table, kind, columns in keys if kind == "f" and table == "marts.fct_indicator_value"}
        assert {
            "facility_id->marts.dim_facility",
            "period_id->marts.dim_period",
            "latest_observation_id->marts.fct_indicator_observation",
        } <= foreign, foreign
        observation_fks = {c for t, k, c in keys if k == "f" and t == "marts.fct_indicator_observation"}
        assert "facility_id->marts.dim_facility" in observation_fks, "re-added after the dimension was swapped"


def test_each_run_writes_an_overview_that_reads_offline(first_run, db):
    from vnhealth.settings import get_settings, safe_run_dir

    root = get_settings().data_docs_root
    page = (root / "runs" / safe_run_dir(first_run) / "overview.html").read_text(encoding="utf-8")
    assert not re.findall(r"(?:src|href)=[\"']?(?:https?:)?//", page), "nothing loaded from the network"
    script = re.search(r"<script src='(\.\./\.\./assets/plotly-[\d.]+\.min\.js)'>", page)
    assert script and (root / "runs" / safe_run_dir(first_run) / script.group(1)).resolve().exists()
    assert "Health insurance coverage by province" in page and "Plotly.newPlot" in page
    doctors = db.execute(
        """select v.observed_value from marts.fct_indicator_value v join marts.dim_facility f using (facility_id)
           where v.indicator_id = 'doctors_per_10k' and f.facility_name = 'Hà Tĩnh' and v.period_id = '2024'
             and v.value_kind = 'actual'"""
    ).fetchone()[0]
    assert f"<td>Hà Tĩnh</td><td>2024</td><td>{doctors:g}</td>" in page, "the latest value of each indicator"
    night = (root / "runs" / safe_run_dir(first_run) / "night.html").read_text(encoding="utf-8")
    assert "href='overview.html'" in night


def test_conflicts_attainment_and_province_map_can_be_checked(first_run, db):
    # every competitor of a conflicting value, with its evidence; exactly one winner, the value the mart gives
    conflicts = db.execute(
        """select c.indicator_value_id, count(*), count(*) filter (where c.is_winner),
                  bool_and(c.evidence is not null), min(v.conflict_class),
                  max(case when c.is_winner then c.observation_id end) = min(v.latest_observation_id)
           from marts.fct_indicator_value_conflict c join marts.fct_indicator_value v using (indicator_value_id)
           group by 1"""
    ).fetchall()
    assert conflicts and all(
        n >= 2 and winners == 1 and has_evidence and cls != "none" and same
        for _, n, winners, has_evidence, cls, same in conflicts
    ), conflicts
    unflagged = db.execute(
        "select count(*) from marts.fct_indicator_value where has_conflict and conflict_class = 'none'"
    )
    assert unflagged.fetchone()[0] == 0
    # attainment rows name the observations of their actual and target, which trace to their sentences
    rows = db.execute(
        """select t.actual_value, a.observed_value, t.target_value, g.observed_value, a.report_id = t.actual_report_id
           from marts.fct_target_attainment t
           join marts.fct_indicator_observation a on a.observation_id = t.actual_observation_id
           join marts.fct_indicator_observation g on g.observation_id = t.target_observation_id"""
    ).fetchall()
    assert rows and all(av == ao and tv == to and same for av, ao, tv, to, same in rows)
    # the 34-province map: a province that continues alone keeps its figure; nothing is averaged
    hatinh = db.execute(
        """select observed_value, aggregation_method, merged_province_count from marts.fct_indicator_value_province_2025
           where indicator_id = 'doctors_per_10k' and province_id = 'vn.2025.ha_tinh' and period_id = '2024'
             and value_kind = 'actual'"""
    ).fetchone()
    assert hatinh == (13.6, "single_province", 1)
    merged = db.execute(
        """select count(*) filter (where observed_value is null and null_reason is null),
                  count(*) filter (where observed_value is not null and aggregation_method is null)
           from marts.fct_indicator_value_province_2025"""
    ).fetchone()
    assert merged == (0, 0), "every value says how it was combined, every gap why"
    units = db.execute(
        """select facility_id, official_code, valid_from_date::text, valid_to_date::text, successor_province_id
           from marts.dim_facility where facility_id in ('vn.yen_bai', 'vn.lao_cai', 'vn.2025.lao_cai')
           order by facility_id"""
    ).fetchall()
    assert units == [
        ("vn.2025.lao_cai", "15", "2025-07-01", None, None),
        ("vn.lao_cai", "10", None, "2025-06-30", "vn.2025.lao_cai"),
        ("vn.yen_bai", "15", None, "2025-06-30", "vn.2025.lao_cai"),
    ]


def test_dbt_docs_generate_documents_every_model_and_column(first_run, tmp_path):
    run_cli("vnhealth", "dbt", "docs", "generate", "--target-path", str(tmp_path), timeout=600)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    # The catalog is read from the warehouse: every built model and seed, with the columns it really has.
    built = {key: node for key, node in catalog["nodes"].items() if key in manifest["nodes"]}
    assert {manifest["nodes"][k]["name"] for k in built} >= {
        "dim_facility",
        "dim_indicator",
        "dim_period",
        "dim_report",
        "fct_indicator_observation",
        "fct_indicator_value",
        "fct_target_attainment",
        "indicator_catalogue",
        "provinces",
    }
    undescribed = [manifest["nodes"][k]["name"] for k in built if not manifest["nodes"][k]["description"].strip()]
    undocumented = [
        f"{manifest['nodes'][k]['name']}.{column}"
        for k, node in built.items()
        for column in node["columns"]
        if not manifest["nodes"][k]["columns"].get(column.lower(), {}).get("description", "").strip()
    ]
    assert (undescribed, undocumented) == ([], [])
    assert manifest["exposures"], "exposures for the BI and audit consumers"
