"""The extractor against the hand-made gold of the five real reports, scored by the shared scorer."""
import json
import subprocess
import sys

from conftest import CORPUS, SHARED, run_cli


def test_gold_scores(tmp_path):
    out = tmp_path / "pred.jsonl"
    reports = sorted(str(p) for p in (CORPUS / "reports").glob("*.txt"))
    run_cli("vnhealth", "extract", *reports, "--output", str(out))
    proc = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(CORPUS / "gold"),
                           "--pred", str(out), "--json"], capture_output=True, text=True, check=True)
    score = json.loads(proc.stdout)
    assert score["f1"] >= 0.95, score
    assert score["matched"] > 0
    period_n, period_d = (int(x) for x in score["period_agreement"].split("/"))
    area_n, area_d = (int(x) for x in score["area_agreement"].split("/"))
    assert period_n / period_d >= 0.90, score
    assert area_n / area_d >= 0.95, score


def test_every_line_follows_the_contract(tmp_path):
    out = tmp_path / "pred.jsonl"
    run_cli("vnhealth", "extract", str(CORPUS / "reports" / "004_65f8aa47b2c67ecc.txt"), "--output", str(out))
    fields = ["source", "indicator", "value", "unit", "kind", "qualifier", "period_start", "period_end", "area",
              "dimension", "facility", "evidence"]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) > 50
    for row in rows:
        assert all(f in row for f in fields)
        assert row["kind"] in ("actual", "target")
        assert row["qualifier"] in ("exact", "approx", "more_than", "less_than")
        assert 0 < len(row["evidence"]) <= 400
