"""The quality policy on real Great Expectations checkpoints against a real PostgreSQL: each
row-level expectation and each rule between figures, fed an observation that breaks it, quarantines
that observation (and only it); outliers are flagged, never quarantined."""

from __future__ import annotations

import hashlib

import psycopg
import pytest

from conftest import run_cli
from vnhealth import quality

REPORT_ID = "f" * 64


def _obs(name: str, **fields) -> dict:
    row = {
        "observation_id": hashlib.sha256(name.encode()).hexdigest()[:32],
        "report_id": REPORT_ID,
        "source": "r.txt",
        "indicator": "doctors_per_10k",
        "value": 12.0,
        "unit": "per_10k",
        "kind": "actual",
        "qualifier": "exact",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "area": "Nghệ An",
        "dimension": None,
        "facility": None,
        "evidence": "Tỷ lệ bác sĩ đạt 12 bác sĩ/10.000 dân",
        "evidence_start": 0,
        "evidence_end": 40,
        "extractor_version": "test",
        "run_id": "seed",
    }
    row.update(fields)
    row["_name"] = name
    return row


# Each bad row, and the expectation (suite: type on column) that must quarantine it.
BAD = [
    (
        _obs("unknown indicator", indicator="wellbeing_index", evidence="chỉ số hạnh phúc 12"),
        "expect_column_values_to_be_in_set:is_indicator_known",
    ),
    (
        _obs("wrong unit", unit="pct", evidence="Tỷ lệ bác sĩ đạt 12%"),
        "expect_column_values_to_be_in_set:is_unit_of_indicator",
    ),
    (
        _obs(
            "percentage over 100",
            indicator="health_insurance_coverage_pct",
            unit="pct",
            value=140.0,
            evidence="tham gia bảo hiểm y tế đạt 140%",
        ),
        "expect_column_values_to_be_in_set:is_value_plausible",
    ),
    (
        _obs(
            "life expectancy of 150 years",
            indicator="life_expectancy_years",
            unit="years",
            value=150.0,
            evidence="Tuổi thọ trung bình 150 tuổi",
        ),
        "expect_column_values_to_be_in_set:is_value_plausible",
    ),
    (
        _obs("fractional count", indicator="dengue_cases", unit="count", value=2.5, evidence="sốt xuất huyết 2,5 ca"),
        "expect_column_values_to_be_in_set:is_count_whole",
    ),
    (
        _obs("negative count", indicator="measles_cases", unit="count", value=-3.0, evidence="sởi -3 ca"),
        "expect_column_values_to_be_in_set:is_count_whole",
    ),
    (
        _obs("period backwards", period_start="2024-12-31", period_end="2024-01-01"),
        "expect_column_values_to_be_in_set:is_period_ordered",
    ),
    (_obs("kind not in set", kind="estimate"), "expect_column_values_to_be_in_set:kind"),
    (_obs("qualifier not in set", qualifier="roughly"), "expect_column_values_to_be_in_set:qualifier"),
    (_obs("evidence empty", evidence="   "), "expect_column_values_to_be_in_set:has_value_in_evidence"),
    (_obs("evidence without the number", value=12.5), "expect_column_values_to_be_in_set:has_value_in_evidence"),
    # Rules between figures.
    (
        _obs(
            "inpatient part",
            indicator="medical_visits_total",
            unit="count",
            value=800.0,
            dimension="inpatient",
            evidence="nội trú 800 lượt",
        ),
        "expect_column_values_to_be_in_set:is_parts_within_total",
    ),
    (
        _obs(
            "outpatient part",
            indicator="medical_visits_total",
            unit="count",
            value=700.0,
            dimension="outpatient",
            evidence="ngoại trú 700 lượt",
        ),
        "expect_column_values_to_be_in_set:is_parts_within_total",
    ),
    (
        _obs(
            "deaths above cases", indicator="covid19_deaths", unit="count", value=9.0, evidence="COVID-19: 9 ca tử vong"
        ),
        "expect_column_values_to_be_in_set:is_deaths_within_cases",
    ),
    (
        _obs(
            "target in another unit",
            indicator="referral_rate_pct",
            unit="count",
            value=5.0,
            kind="target",
            evidence="chỉ tiêu chuyển tuyến 5",
        ),
        "expect_column_values_to_be_in_set:is_target_unit_same",
    ),
]

GOOD = [
    _obs("plain good"),
    _obs("visits total", indicator="medical_visits_total", unit="count", value=1000.0, evidence="tổng 1.000 lượt"),
    _obs("covid cases", indicator="covid19_cases", unit="count", value=5.0, evidence="COVID-19: 5 ca"),
    _obs("referral actual", indicator="referral_rate_pct", unit="pct", value=4.5, evidence="chuyển tuyến 4,5%"),
    _obs(
        "scaled value",
        indicator="medical_visits_total",
        unit="count",
        value=3_900_000.0,
        area="Hà Tĩnh",
        evidence="3,9 triệu lượt khám",
    ),
    _obs("zero deaths", indicator="rabies_deaths", unit="count", value=0.0, evidence="không có tử vong do bệnh dại"),
]
# Seven provinces' doctor ratios; one far from the others is an outlier to flag, not to drop.
PEERS = [
    _obs(f"peer {i}", area=area, value=v, evidence=f"đạt {str(v).replace('.', ',')} bác sĩ/10.000 dân")
    for i, (area, v) in enumerate(
        [
            ("Hà Tĩnh", 11.0),
            ("Thanh Hóa", 12.5),
            ("Sơn La", 10.5),
            ("Lào Cai", 13.0),
            ("Phú Thọ", 11.5),
            ("Cao Bằng", 12.0),
        ]
    )
]
OUTLIER = _obs("outlier", area="Lâm Đồng", value=55.0, evidence="đạt 55 bác sĩ/10.000 dân")
# Like with like: six provinces' dengue cases over a year, and one province's cases in one month. The
# month is no outlier among years (its peers are other months), and a year's total is none among them.
DENGUE_YEARS = [
    _obs(
        f"dengue year {i}",
        indicator="dengue_cases",
        unit="count",
        area=area,
        value=v,
        evidence=f"sốt xuất huyết {v:.0f} ca",
    )
    for i, (area, v) in enumerate(
        [
            ("Hà Tĩnh", 900.0),
            ("Thanh Hóa", 1100.0),
            ("Sơn La", 1000.0),
            ("Lào Cai", 1200.0),
            ("Phú Thọ", 950.0),
            ("Cao Bằng", 1050.0),
        ]
    )
]
DENGUE_MONTH = _obs(
    "dengue month",
    indicator="dengue_cases",
    unit="count",
    area="Nghệ An",
    value=40.0,
    period_start="2024-03-01",
    period_end="2024-03-31",
    evidence="sốt xuất huyết 40 ca",
)


def _seed(url: str, rows: list[dict]) -> None:
    columns = [c for c in rows[0] if not c.startswith("_")]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """insert into raw.reports (report_id, source_name, location, fetched_at, size_bytes, archive_path, status)
               values (%s, 'test', '/tmp/r.txt', now(), 1, '/tmp/r.txt', 'extracted')""",
            (REPORT_ID,),
        )
        conn.execute(
            """insert into raw.extractions (report_id, extractor_version, run_id, observation_count)
                        values (%s, 'test', 'seed', %s)""",
            (REPORT_ID, len(rows)),
        )
        conn.execute(
            """insert into raw.report_sightings (report_id, source_name, location, first_seen_at, last_seen_at)
                        values (%s, 'test', '/tmp/r.txt', now(), now())""",
            (REPORT_ID,),
        )
        with conn.cursor() as cur:
            cur.executemany(
                f"insert into raw.observations ({', '.join(columns)}) values ({', '.join(['%s'] * len(columns))})",
                [tuple(r[c] for c in columns) for r in rows],
            )


@pytest.fixture()
def validated(scratch_db):
    _seed(scratch_db, [b for b, _ in BAD] + GOOD + PEERS + [OUTLIER] + DENGUE_YEARS + [DENGUE_MONTH])
    quarantined = quality.validate_observations("quality-run")
    with psycopg.connect(scratch_db) as conn:
        held = {}
        for oid, expectation, reason in conn.execute(
            "select observation_id, expectation, reason from audit.quarantined_observations where run_id = "
            "'quality-run'"
        ):
            assert reason and reason.strip(), f"{oid} quarantined under {expectation} without a reason"
            held.setdefault(oid, set()).add(expectation)
        results = conn.execute(
            """select suite, expectation, column_name, success, unexpected_count from audit.validation_results
               where run_id = 'quality-run'"""
        ).fetchall()
    return quarantined, held, results


@pytest.mark.parametrize("row,expectation", BAD, ids=[b["_name"] for b, _ in BAD])
def test_each_broken_expectation_or_rule_quarantines_its_row(validated, row, expectation):
    _, held, _ = validated
    assert expectation in held.get(row["observation_id"], set()), held.get(row["observation_id"])


def test_good_rows_and_outliers_are_not_quarantined(validated):
    quarantined, held, results = validated
    for row in GOOD + PEERS + [OUTLIER] + DENGUE_YEARS + [DENGUE_MONTH]:
        assert row["observation_id"] not in held, row["_name"]
    assert quarantined == len({b["observation_id"] for b, _ in BAD})
    typical = [r for r in results if r[2] == "is_typical"]
    assert typical == [("cross_figure_rules", "expect_column_values_to_be_in_set", "is_typical", False, 2)]


def test_results_are_stored_for_auditors_and_exposed_with_a_sample(validated, scratch_db):
    _, _, results = validated
    suites = {r[0] for r in results}
    assert suites == {"observations_rows", "cross_figure_rules"}
    with psycopg.connect(scratch_db) as conn:
        sample = conn.execute("""select unexpected_sample from audit.validation_results
                                 where run_id = 'quality-run' and column_name = 'is_value_plausible'""").fetchone()[0]
        reason = conn.execute(
            "select reason, row_data->>'indicator' from audit.quarantined_observations "
            "where expectation like '%is_indicator_known'"
        ).fetchone()
    assert sample, "a sample of the unexpected values is kept"
    assert (
        reason[0].startswith("observations_rows: expect_column_values_to_be_in_set") and reason[1] == "wellbeing_index"
    )


def test_outliers_compare_like_with_like_and_keep_score_median_and_mad(validated, scratch_db):
    with psycopg.connect(scratch_db) as conn:
        flags = {
            oid: (score, median, mad, n, ptype)
            for oid, score, median, mad, n, ptype in conn.execute(
                """select observation_id, outlier_score, median_value, mad_value, group_size, period_type
               from audit.outlier_flags where cleared_at is null"""
            )
        }
        samples = dict(
            conn.execute("""select column_name, unexpected_sample from audit.validation_results
                                       where run_id = 'quality-run' and not success""")
        )
    fractional = next(b for b, _ in BAD if b["_name"] == "fractional count")  # 2.5 cases among years of ~1,000
    assert set(flags) == {OUTLIER["observation_id"], fractional["observation_id"]}, (
        "the month of 40 cases is compared with months, not with years"
    )
    score, median, mad, n, ptype = flags[OUTLIER["observation_id"]]
    assert score > 5 and 11 <= median <= 13 and mad > 0 and n >= 7 and ptype == "12m from January"
    assert abs(score - abs(55.0 - median) / (1.4826 * mad)) < 1e-9
    # stored results name the failing observations, not the failing column's values
    assert set(samples["is_typical"]) == set(flags)
    with psycopg.connect(scratch_db) as conn:
        implausible = {
            i
            for (i,) in conn.execute("select observation_id from audit.observation_checks where not is_value_plausible")
        }
    assert implausible >= {b["observation_id"] for b, e in BAD if e.endswith("is_value_plausible")}
    assert set(samples["is_value_plausible"]) == implausible
    parts = {b["observation_id"] for b, e in BAD if e.endswith("is_parts_within_total")}
    assert set(samples["is_parts_within_total"]) == parts


def test_each_rule_between_figures_keeps_both_sides(validated, scratch_db):
    """DHIS2-style: a failing rule says its left side, its right side and the observations on each."""
    parts = {b["observation_id"] for b, e in BAD if e.endswith("is_parts_within_total")}
    deaths = next(b for b, e in BAD if e.endswith("is_deaths_within_cases"))
    with psycopg.connect(scratch_db) as conn:
        rows = conn.execute("""select observation_id, parts_sum, total_value, total_id, part_ids
                               from audit.rule_checks where not is_parts_within_total""").fetchall()
        death = conn.execute(
            """select value, cases_value, cases_id from audit.rule_checks
                                where observation_id = %s""",
            (deaths["observation_id"],),
        ).fetchone()
    assert {r[0] for r in rows} == parts
    assert {(r[1], r[2]) for r in rows} == {(1500.0, 1000.0)} and all(set(r[4]) == parts for r in rows)
    assert death[0] == 9.0 and death[1] == 5.0 and death[2]


def test_validation_is_idempotent(validated, scratch_db):
    quarantined, held, _ = validated
    again = quality.validate_observations("quality-run")
    with psycopg.connect(scratch_db) as conn:
        rows = conn.execute("select count(*) from audit.quarantined_observations").fetchone()[0]
    assert again == quarantined and rows == sum(len(v) for v in held.values())


def test_the_rule_tables_are_replaced_whole_even_after_a_crashed_validation(validated, scratch_db):
    """Both rule views are evaluated at once into new tables that replace the last ones together; a new
    table a crashed validation left behind is rebuilt, and the lock that keeps two validations apart
    is released."""
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        current = conn.execute("select count(*) from audit.current_observations").fetchone()[0]
        conn.execute("create table audit.rule_checks_next as select 1 as leftover")  # a crash mid-build
        context = quality.refresh_checks(conn, meanwhile=lambda: "loaded meanwhile")
        assert context == "loaded meanwhile"
        for table in ("observation_checks", "rule_checks"):
            assert conn.execute(f"select count(*) from audit.{table}").fetchone()[0] == current
        tables = {r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'audit'")}
        assert not {"observation_checks_next", "rule_checks_next"} & tables
        indexes = {r[0] for r in conn.execute("select indexname from pg_indexes where schemaname = 'audit'")}
        assert {"observation_checks_observation_id_idx", "rule_checks_observation_id_idx"} <= indexes
        with psycopg.connect(scratch_db, autocommit=True) as other:
            assert other.execute("select pg_try_advisory_lock(hashtext('audit.refresh_checks'))").fetchone()[0]


def test_a_figure_written_with_spaces_or_per_mille_is_found_in_its_evidence(scratch_db):
    rows = [
        _obs(
            "spaces",
            indicator="population_total",
            unit="count",
            value=1269530.0,
            evidence="Dân số trung bình là 1 269 530 người",
        ),
        _obs(
            "per mille",
            indicator="population_growth_pct",
            unit="pct",
            value=0.59,
            evidence="tỷ lệ tăng dân số tự nhiên 5,9‰",
        ),
    ]
    _seed(scratch_db, rows)
    with psycopg.connect(scratch_db) as conn:
        found = dict(
            conn.execute("select indicator, has_value_in_evidence from audit.observation_check_view").fetchall()
        )
    assert found == {"population_total": True, "population_growth_pct": True}


def test_the_committed_suites_say_exactly_what_the_one_definition_says():
    """expectations/gx/expectations/*.json are written by `vnhealth quality init` from quality.SUITES;
    an expectation added to one and not the other fails here."""
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "expectations" / "gx" / "expectations"
    committed = {}
    for path in sorted(folder.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        committed[suite["name"]] = [(e["type"], e["kwargs"]) for e in suite["expectations"]]
    assert committed == {name: [(t, k) for t, k in rules] for name, rules in quality.SUITES.items()}


def test_quality_init_writes_the_suites_from_the_one_definition(scratch_db, tmp_path):
    """`vnhealth quality init` against a real warehouse, into a copy of the project's expectations/."""
    import json
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "expectations", tmp_path / "expectations", ignore=shutil.ignore_patterns("uncommitted"))
    for path in (tmp_path / "expectations" / "gx" / "expectations").glob("*.json"):
        path.unlink()
    # GX checks that each asset's table exists when it is added: the marts of a build, empty here
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        for table in ("marts.fct_indicator_observation",):
            conn.execute(f"create table if not exists {table} (id text)")
    env = {**os.environ, "VNHEALTH_HOME": str(tmp_path), "VNHEALTH_GX_WAREHOUSE_URL": scratch_db}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("vnhealth")), "quality", "init"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    written = {}
    for path in (tmp_path / "expectations" / "gx" / "expectations").glob("*.json"):
        suite = json.loads(path.read_text(encoding="utf-8"))
        written[suite["name"]] = [(e["type"], e["kwargs"]) for e in suite["expectations"]]
    assert written == {name: [(t, k) for t, k in rules] for name, rules in quality.SUITES.items()}


def test_outlier_flags_reach_both_fact_marts_and_follow_a_cleared_flag(validated, scratch_db, dbt_manifest):
    """A flag raised by validation reaches the marts with its score; cleared later, it leaves the rows
    published earlier too (the observation fact is incremental)."""
    outlier = OUTLIER["observation_id"]

    def flags(conn):
        return (
            conn.execute(
                "select is_outlier, outlier_score from marts.fct_indicator_observation where observation_id = %s",
                (outlier,),
            ).fetchone(),
            conn.execute("select count(*) from marts.fct_indicator_observation where is_outlier").fetchone()[0],
        )

    with psycopg.connect(scratch_db, autocommit=True) as conn:  # the made-up sentences are shorter than 40
        conn.execute("update raw.observations set evidence_end = char_length(evidence)")
    run_cli("vnhealth", "dbt", "build", "--quiet")
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        (flagged, score), count = flags(conn)
        stored = conn.execute(
            "select outlier_score from audit.outlier_flags where observation_id = %s and cleared_at is null", (outlier,)
        ).fetchone()[0]
        assert flagged is True and abs(score - stored) < 1e-9 and score > 5
        assert count == 1, "the fractional count, flagged too, is quarantined and never reaches the marts"
        value = conn.execute(
            """select v.is_outlier, v.outlier_score from marts.fct_indicator_value v
               where v.latest_observation_id = %s""",
            (outlier,),
        ).fetchone()
        assert value is not None and value[0] is True, (
            "the value mart carries the flag (the figure is alone in its grain)"
        )
        conn.execute("update audit.outlier_flags set cleared_at = now() where observation_id = %s", (outlier,))
    run_cli("vnhealth", "dbt", "build", "--quiet", "--select", "fct_indicator_observation")
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        (flagged, score), count = flags(conn)
        assert flagged is False and score is None and count == 0
