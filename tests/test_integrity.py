"""Nothing lost, nothing overwritten: identity, file versions, re-extraction, complete quarantine and
determinism, on a real PostgreSQL with real Great Expectations checkpoints and real `dbt build`."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest
import yaml

from conftest import ROOT, run_cli
from vnhealth import loading, pipeline, quality
from vnhealth.audit import table_checksums
from vnhealth.extraction import EXTRACTOR_VERSION
from vnhealth.loading import IDENTITY_FIELDS, LoadError, observation_id

REPORT_2023 = "BÁO CÁO năm 2023 tỉnh Hà Tĩnh\nTuổi thọ trung bình đạt 71,2 tuổi.\n"
REPORT_2024 = "BÁO CÁO năm 2024 tỉnh Hà Tĩnh\nTuổi thọ trung bình đạt 71,2 tuổi.\n"
# Two reports issued the same day about the same year, stating different values for one fact.
TIE = (
    "SỞ Y TẾ TỈNH HÀ GIANG\nHà Giang, ngày 10 tháng 01 năm 2024\nBÁO CÁO\n{title} công tác y tế năm 2023\n"
    "Số giường bệnh năm 2023 đạt {value} giường bệnh/10.000 dân.\n"
)


def _new_database(warehouse) -> str:
    from vnhealth.warehouse import migrate

    name = f"integrity_{time.monotonic_ns() % 10**12}"
    with psycopg.connect(warehouse.url("postgres", database="postgres"), autocommit=True) as conn:
        conn.execute(f'create database "{name}" owner vnhealth')
    url = warehouse.url("vnhealth", database=name)
    migrate(url)
    return url


class Site:
    """A warehouse database, an archive and an inbox of the test's own, and the pipeline run on them."""

    def __init__(self, warehouse, tmp: Path, monkeypatch, inbox: Path | None = None):
        self.url = _new_database(warehouse)
        self.tmp, self.monkeypatch = tmp, monkeypatch
        tmp.mkdir(parents=True, exist_ok=True)
        self.inbox = inbox or tmp / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        (tmp / "sources.yml").write_text(
            yaml.safe_dump({"sources": [{"name": "inbox", "type": "directory", "path": str(self.inbox)}]})
        )
        self.use()

    def use(self) -> None:
        for key, value in {
            "WAREHOUSE_URL": self.url,
            "VNHEALTH_GX_WAREHOUSE_URL": self.url,
            "AIRFLOW_CONN_WAREHOUSE": self.url,
            "VNHEALTH_ARCHIVE_ROOT": str(self.tmp / "archive"),
            "VNHEALTH_SOURCES": str(self.tmp / "sources.yml"),
        }.items():
            self.monkeypatch.setenv(key, value)

    def run(self, run_id: str, batch_size: int = 20, reverse: bool = False, build: bool = True) -> None:
        """The nightly's steps in order, batches as given or reversed (the order mapped tasks may take)."""
        self.use()
        landing = pipeline.discover_batches(batch_size)
        if reverse:
            landing = [list(reversed(b)) for b in reversed(landing)]
        for batch in landing:
            pipeline.land_batch(batch, run_id)
        reading = pipeline.extraction_batches(batch_size)
        if reverse:
            reading = [list(reversed(b)) for b in reversed(reading)]
        for batch in reading:
            pipeline.load_batch_file(pipeline.extract_batch(batch, run_id), run_id)
        if build:
            self.validate_and_build(run_id)

    def validate_and_build(self, run_id: str) -> None:
        self.use()
        quality.validate_observations(run_id)
        run_cli("vnhealth", "dbt", "build", "--quiet")

    def rows(self, sql: str, params=None) -> list[tuple]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()

    def execute(self, sql: str, params=None) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql, params)

    def checksums(self) -> dict:
        with psycopg.connect(self.url) as conn:
            return table_checksums(conn)


@pytest.fixture()
def site(warehouse, dbt_manifest, tmp_path, monkeypatch):
    return Site(warehouse, tmp_path, monkeypatch)


def test_every_field_of_a_fact_changes_its_id_and_nothing_else_does():
    row = {
        "indicator": "life_expectancy_years",
        "kind": "actual",
        "qualifier": "exact",
        "dimension": None,
        "facility": None,
        "area": "Hà Tĩnh",
        "period_start": "2018-01-01",
        "period_end": "2018-12-31",
        "value": 71.2,
        "evidence_start": 10,
        "evidence_end": 40,
        "source": "bao-cao.txt",
        "evidence": "...",
    }
    base = observation_id("a" * 64, row)
    assert observation_id("a" * 64, dict(row)) == base
    assert observation_id("a" * 64, {**row, "source": "other.txt", "evidence": "other"}) == base
    assert observation_id("b" * 64, row) != base, "the same figure in another report is another fact"
    changed = {
        "indicator": "doctors_per_10k",
        "kind": "target",
        "qualifier": "approx",
        "dimension": "public",
        "facility": "Sở Y tế",
        "area": "Nghệ An",
        "period_start": "2019-01-01",
        "period_end": "2019-12-31",
        "value": 71.3,
        "evidence_start": 11,
        "evidence_end": 41,
    }
    assert set(changed) == set(IDENTITY_FIELDS)
    ids = {observation_id("a" * 64, {**row, field: value}) for field, value in changed.items()}
    assert len(ids) == len(changed) and base not in ids


def test_same_file_name_in_two_folders_keeps_both_years(site):
    for year, text in (("2023", REPORT_2023), ("2024", REPORT_2024)):
        (site.inbox / year).mkdir()
        (site.inbox / year / "bao-cao.txt").write_text(text, encoding="utf-8")
    site.run("run-folders", build=False)
    held = site.rows("select period_start::text, value, run_id from raw.observations order by 1")
    assert held == [("2023-01-01", 71.2, "run-folders"), ("2024-01-01", 71.2, "run-folders")]
    with psycopg.connect(site.url) as conn:
        assert pipeline.run_counts(conn, "run-folders")["observations_loaded"] == 2


def test_the_load_fails_loudly_and_writes_nothing_when_a_version_reads_a_report_differently(site):
    (site.inbox / "a.txt").write_text(REPORT_2023, encoding="utf-8")
    pipeline.land_batch(pipeline.discover_batches()[0], "run-a")
    [ids] = pipeline.extraction_batches()
    batch = Path(pipeline.extract_batch(ids, "run-a"))
    assert pipeline.load_batch_file(str(batch), "run-a") == 1
    assert pipeline.load_batch_file(str(batch), "run-a") == 0, "loading the same batch again writes nothing"
    before = site.checksums()
    [reading] = loading.read_batch(batch)
    reading["observations"].append({**reading["observations"][0], "observation_id": "f" * 64, "value": 99.0})
    loading.write_batch(batch, [reading], "run-a")
    with pytest.raises(LoadError, match="without a new EXTRACTOR_VERSION"):
        pipeline.load_batch_file(str(batch), "run-b")
    assert site.checksums() == before


def test_a_changed_file_is_a_new_version_and_the_old_version_keeps_its_history(site):
    report = site.inbox / "bao-cao" / "a.txt"
    report.parent.mkdir()
    report.write_text(REPORT_2024, encoding="utf-8")
    site.run("run-v1")
    old_id = site.rows("select report_id from raw.reports")[0][0]
    history = """select r.report_id, r.status, r.observation_count, r.first_run_id, r.status_run_id,
                        o.observation_id, o.value, o.run_id, o.extractor_version, e.run_id, e.observation_count
                 from raw.reports r join raw.observations o using (report_id)
                 join raw.extractions e using (report_id, extractor_version) where r.report_id = %s"""
    before = site.rows(history, (old_id,))
    assert len(before) == 1
    report.write_text(REPORT_2024.replace("71,2", "73,4").replace("đạt", "là"), encoding="utf-8")
    site.run("run-v2")
    assert site.rows(history, (old_id,)) == before, "the old version's rows, counts and run ids are untouched"
    new_id, supersedes = site.rows("select report_id, supersedes from raw.reports where report_id <> %s", (old_id,))[0]
    assert supersedes == old_id
    assert site.rows("select value from raw.observations where report_id = %s", (new_id,)) == [(73.4,)]
    assert site.rows("select report_id, observed_value from marts.fct_indicator_observation") == [(new_id, 73.4)]
    assert site.rows("select observed_value from marts.fct_indicator_value") == [(73.4,)]
    versions = dict(
        (r, (current, by))
        for r, current, by in site.rows(
            "select report_id, is_current_version, superseded_by_report_id from marts.dim_report"
        )
    )
    assert versions == {old_id: (False, new_id), new_id: (True, None)}


def test_reextraction_keeps_the_old_reading_and_lists_what_changed(site):
    for name in ("ha-tinh-2024.txt", "thanh-hoa-2023.txt"):
        (site.inbox / name).write_bytes((ROOT / "sample_inbox" / name).read_bytes())
    # Readings as an earlier extractor ("0.9.0") made them: it missed one fact, read one value
    # differently and read one fact that is not there.
    pipeline.land_batch(pipeline.discover_batches()[0], "run-old")
    [ids] = pipeline.extraction_batches()
    batch = Path(pipeline.extract_batch(ids, "run-old"))
    readings = loading.read_batch(batch)
    target = max(readings, key=lambda r: len(r["observations"]))
    observations = target["observations"]
    missed, misread = observations[0], observations[1]
    misread_value = misread["value"] + 1
    invented = {**observations[2], "indicator": "measles_cases", "unit": "count", "value": 7.0}
    old = [o for o in observations[2:]] + [{**misread, "value": misread_value}, invented]
    for o in old:
        o["observation_id"] = observation_id(target["report_id"], o)
    for r in readings:
        r["extractor_version"] = "0.9.0"
        for o in r["observations"]:
            o["extractor_version"] = "0.9.0"
    target["observations"] = [{**o, "extractor_version": "0.9.0"} for o in old]
    loading.write_batch(batch, readings, "run-old")
    pipeline.load_batch_file(str(batch), "run-old")
    old_rows = site.rows("select count(*) from raw.observations where extractor_version = '0.9.0'")[0][0]

    out = run_cli("vnhealth", "reextract").stdout
    assert f"0.9.0 -> {EXTRACTOR_VERSION}  added 1, dropped 1, changed 1" in out, out
    assert site.rows("select count(*) from raw.observations where extractor_version = '0.9.0'")[0][0] == old_rows
    extractions = site.rows(
        """select extractor_version, is_current, superseded_by_version from raw.extractions
                               where report_id = %s order by extracted_at""",
        (target["report_id"],),
    )
    assert extractions == [("0.9.0", False, EXTRACTOR_VERSION), (EXTRACTOR_VERSION, True, None)]
    changes = {
        c: (old_v, new_v)
        for c, old_v, new_v in site.rows(
            "select change, old_value, new_value from audit.extraction_changes where report_id = %s",
            (target["report_id"],),
        )
    }
    assert changes == {
        "added": (None, missed["value"]),
        "dropped": (7.0, None),
        "changed": (misread_value, misread["value"]),
    }
    assert site.rows("select distinct extractor_version from marts.fct_indicator_observation") == [(EXTRACTOR_VERSION,)]
    assert (
        site.rows("select count(*) from marts.fct_indicator_observation")[0][0]
        == site.rows(f"select count(*) from raw.observations where extractor_version = '{EXTRACTOR_VERSION}'")[0][0]
    )
    run_id, kind, read = site.rows("select run_id, run_kind, reports_extracted from audit.pipeline_runs")[0]
    assert (kind, read) == ("reextract", 2)
    from vnhealth.settings import safe_run_dir
    from vnhealth.settings import get_settings

    page = (get_settings().data_docs_root / "changes" / f"{safe_run_dir(run_id)}.html").read_text(encoding="utf-8")
    assert target["report_id"][:16] in page and "measles_cases" in page and "dropped" in page
    again = run_cli("vnhealth", "reextract").stdout
    assert "reading 0 reports" in again, "nothing is stale any more"


def _observation(report_id: str, version: str, **fields) -> dict:
    row = {
        "report_id": report_id,
        "source": "r.txt",
        "indicator": "medical_visits_total",
        "value": 1000.0,
        "unit": "count",
        "kind": "actual",
        "qualifier": "exact",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "area": "Nghệ An",
        "dimension": None,
        "facility": None,
        "evidence": "tổng 1.000 lượt",
        "evidence_start": 0,
        "evidence_end": 15,
        "extractor_version": version,
        "run_id": "seed",
        **fields,
    }
    row["evidence_end"] = row["evidence_start"] + len(row["evidence"])
    row["observation_id"] = observation_id(report_id, row)
    return row


def _insert(site: Site, rows: list[dict]) -> None:
    columns = list(rows[0])
    with psycopg.connect(site.url) as conn, conn.cursor() as cur:
        cur.executemany(
            f"insert into raw.observations ({', '.join(columns)}) values ({', '.join(['%s'] * len(columns))})",
            [tuple(r[c] for c in columns) for r in rows],
        )


def test_an_observation_without_a_recorded_reading_of_a_held_report_is_refused(site):
    """raw.observations' one foreign key, to its reading in raw.extractions, is also what ties it to
    its report: neither an unknown report nor a held report's unrecorded reading gets a row in."""
    (site.inbox / "r.txt").write_text("BÁO CÁO năm 2024 tỉnh Nghệ An\nTỷ lệ bác sĩ đạt 12 bác sĩ/10.000 dân.\n")
    site.run("run-1", build=False)
    report_id, version = site.rows("select report_id, extractor_version from raw.extractions")[0]
    for row in (_observation("0" * 64, version), _observation(report_id, version + ".unrecorded")):
        with pytest.raises(psycopg.errors.ForeignKeyViolation, match="observations_extraction_fkey"):
            _insert(site, [row])
    _insert(site, [_observation(report_id, version, value=13.0)])  # a recorded reading takes it
    assert site.rows("select count(*) from raw.observations where value = 13")[0][0] == 1


def test_every_failing_row_is_quarantined_and_none_reaches_the_marts(site):
    (site.inbox / "r.txt").write_text(
        "BÁO CÁO năm 2024 tỉnh Nghệ An\nTỷ lệ bác sĩ đạt 12 bác sĩ/10.000 dân.\n", encoding="utf-8"
    )
    site.run("run-1", build=False)
    report_id, version = site.rows("select report_id, extractor_version from raw.extractions")[0]
    bad = [
        _observation(
            report_id,
            version,
            indicator="health_insurance_coverage_pct",
            unit="pct",
            value=140.0 + i,
            evidence=f"đạt {140 + i}%",
            evidence_start=i,
        )
        for i in range(150)
    ]
    total = _observation(report_id, version)
    inpatient = _observation(
        report_id, version, dimension="inpatient", value=400.0, evidence="nội trú 400 lượt", evidence_start=20
    )
    _insert(site, bad + [total, inpatient])
    site.validate_and_build("run-2")
    held = {
        i for (i,) in site.rows("select observation_id from audit.quarantined_observations where released_at is null")
    }
    assert held == {b["observation_id"] for b in bad}, "all 150, not the 20 a checkpoint result lists"
    published = {i for (i,) in site.rows("select observation_id from marts.fct_indicator_observation")}
    assert inpatient["observation_id"] in published and not held & published

    # A part published yesterday breaks the rule today (its sibling part makes the parts exceed the total).
    outpatient = _observation(
        report_id, version, dimension="outpatient", value=700.0, evidence="ngoại trú 700 lượt", evidence_start=40
    )
    _insert(site, [outpatient])
    site.validate_and_build("run-3")
    published = {i for (i,) in site.rows("select observation_id from marts.fct_indicator_observation")}
    assert inpatient["observation_id"] not in published and outpatient["observation_id"] not in published
    assert total["observation_id"] in published
    assert site.rows("select count(*) from marts.fct_indicator_value where observed_value = 400")[0][0] == 0

    # Once the rule holds again the row is released, the release is kept, and it is published again.
    site.execute("delete from raw.observations where observation_id = %s", (outpatient["observation_id"],))
    site.validate_and_build("run-4")
    released = site.rows(
        "select released_run_id from audit.quarantined_observations where observation_id = %s",
        (inpatient["observation_id"],),
    )
    assert released == [("run-4",)]
    published = {i for (i,) in site.rows("select observation_id from marts.fct_indicator_observation")}
    assert inpatient["observation_id"] in published


def test_a_published_value_with_competitors_can_be_quarantined_later(site):
    """The value the marts give for a grain, with a competing value beside it (a conflict), is
    quarantined by a later validation: the next build drops it from the observation fact, and with it
    the value row and its conflict rows, which that build makes again from what is still accepted
    (the competitor, now the value)."""
    (site.inbox / "r.txt").write_text(
        "BÁO CÁO năm 2024 tỉnh Nghệ An\nTỷ lệ bác sĩ đạt 12 bác sĩ/10.000 dân.\n", encoding="utf-8"
    )
    site.run("run-1", build=False)
    report_id, version = site.rows("select report_id, extractor_version from raw.extractions")[0]
    deaths = {"indicator": "covid19_deaths", "unit": "count"}
    stated = _observation(report_id, version, **deaths, value=5.0, evidence="5 ca tử vong", evidence_start=20)
    restated = _observation(report_id, version, **deaths, value=3.0, evidence="3 ca tử vong", evidence_start=60)
    _insert(site, [stated, restated])
    site.validate_and_build("run-2")
    competing = "select observation_id from marts.fct_indicator_value_conflict where indicator_id = 'covid19_deaths'"
    assert {i for (i,) in site.rows(competing)} == {stated["observation_id"], restated["observation_id"]}
    latest = "select latest_observation_id from marts.fct_indicator_value where indicator_id = 'covid19_deaths'"
    assert site.rows(latest) == [(stated["observation_id"],)], "the earlier statement wins within a report"

    # the report's cases, read later, are fewer than the winner's deaths: the winner alone is quarantined
    cases = _observation(
        report_id, version, indicator="covid19_cases", unit="count", value=4.0, evidence="4 ca", evidence_start=100
    )
    _insert(site, [cases])
    site.validate_and_build("run-3")
    held = {i for (i,) in site.rows("select observation_id from audit.quarantined_observations")}
    assert stated["observation_id"] in held and restated["observation_id"] not in held
    assert site.rows(latest) == [(restated["observation_id"],)]
    assert site.rows(competing) == []


def test_same_inputs_in_any_batch_order_give_the_same_warehouse_and_a_rerun_changes_nothing(
    warehouse, dbt_manifest, tmp_path, monkeypatch
):
    inbox = tmp_path / "inbox"
    run_cli("vnhealth", "synth", str(inbox), "--reports", "30", "--seed", "11")
    for path in inbox.glob("*.jsonl"):
        path.unlink()
    (inbox / "tie-a.txt").write_text(TIE.format(title="Kết quả", value="29,6"), encoding="utf-8")
    (inbox / "tie-b.txt").write_text(TIE.format(title="Tổng kết", value="37,7"), encoding="utf-8")
    first = Site(warehouse, tmp_path / "first", monkeypatch, inbox=inbox)
    first.run("run-in-order", batch_size=7)
    second = Site(warehouse, tmp_path / "second", monkeypatch, inbox=inbox)
    second.run("run-reversed", batch_size=5, reverse=True)
    sums = first.checksums()
    assert sums["marts.fct_indicator_value"][0] > 100
    assert second.checksums() == sums
    winner = max(first.rows("select report_id from raw.reports where location like '%tie-%'"))[0]
    value = first.rows("""select v.observed_value, v.latest_report_id, v.has_conflict from marts.fct_indicator_value v
                          join marts.dim_facility f using (facility_id)
                          where v.indicator_id = 'beds_per_10k' and f.facility_name = 'Hà Giang'
                            and v.period_id = '2023'""")
    assert value[0][1:] == (winner, True), "the same issue date and period: the higher sha256 wins"
    second.run("run-again", reverse=True)
    assert second.checksums() == sums, "the first rerun changes nothing"
    second.run("run-once-more")
    assert second.checksums() == sums, "nor does any later one"


def test_a_batch_file_gives_back_every_field_as_extraction_wrote_it(tmp_path):
    """The COPY text format escapes what would end a field or a row; reading a batch back gives the
    values extraction wrote, so that a check of a reading compares like with like."""
    awkward = "tab\there, line\nbreak, carriage\rreturn, back\\slash, a literal \\N and 100% ✓"
    observation = {
        **{name: None for name in loading.OBSERVATION_COLUMNS},
        "source": "r.txt",
        "indicator": "medical_visits_total",
        "value": 0.1 + 0.2,
        "unit": "count",
        "kind": "actual",
        "qualifier": "exact",
        "evidence": awkward,
        "evidence_start": 3,
        "evidence_end": 3 + len(awkward),
    }
    batch = tmp_path / "batch-x.jsonl"
    with loading.BatchWriter(batch, "run-1") as writer:
        writer.write("a" * 64, "9.9.9", [observation, dict(observation)])  # the same fact twice is one
        writer.write("b" * 64, "9.9.9", None, failure="unreadable: no text")
    assert not list(tmp_path.glob("*.part")), "both files renamed once complete"
    first, failed = loading.read_batch(batch)
    assert (first["observation_count"], failed["status"], failed["observations"]) == (1, "failed", [])
    [row] = first["observations"]
    assert row["evidence"] == awkward and row["value"] == 0.1 + 0.2 and row["period_start"] is None
    assert row["run_id"] == "run-1" and row["observation_id"] == observation_id("a" * 64, row)
