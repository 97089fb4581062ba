"""Synthetic provincial health reports with known ground truth.

The five real reports are too few to show that a rule generalises, so the generator writes reports
the way provinces write them: many phrasings per indicator, every number format of the contract,
NFD text, old tone placement, stray tabs, non-breaking spaces and markdown, actual/target pairs,
targets for the coming year, statistical tables, and numbers that must never be read (dates,
decree numbers, phone numbers, meetings and awards). Each report comes with its observations in
the contract, so `../shared/eval/score.py` scores the extractor on it. It also feeds the sample
inbox and the throughput benchmark.
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


PROVINCES = [
    "Hà Tĩnh",
    "Nghệ An",
    "Thanh Hóa",
    "Thái Nguyên",
    "Quảng Ninh",
    "Lâm Đồng",
    "Đắk Lắk",
    "Khánh Hòa",
    "Cần Thơ",
    "An Giang",
    "Ninh Bình",
    "Lào Cai",
    "Phú Thọ",
    "Gia Lai",
    "Đồng Tháp",
    "Hưng Yên",
    "Sơn La",
    "Cao Bằng",
    "Bắc Ninh",
    "Tây Ninh",
]
# How some reports spell the same province.
PROVINCE_SPELLINGS = {"Thanh Hóa": ["Thanh Hoá"], "Khánh Hòa": ["Khánh Hoà"]}


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return ".".join(out)


def fmt(value: float, decimals: int = 0, lead_zero: bool = False) -> str:
    """A number as Vietnamese reports write it: `2.676.093`, `51,3`, `06`."""
    if decimals == 0:
        n = int(round(value))
        return f"0{n}" if lead_zero and 0 < n < 10 else _group(str(n))
    whole, frac = f"{value:.{decimals}f}".split(".")
    return f"{_group(whole)},{frac}"


@dataclass
class Statement:
    text: str
    truth: list[dict]


@dataclass
class Context:
    rng: random.Random
    year: int
    area: str
    period: tuple[str, str]


QUALIFIER_WORDS = {
    "exact": [""],
    "approx": ["khoảng ", "gần ", "ước "],
    "more_than": ["trên ", "hơn ", "không dưới "],
    "less_than": ["dưới ", "không vượt quá "],
}


def _truth(
    code: str,
    unit: str,
    value: float,
    ctx: Context,
    kind: str = "actual",
    qualifier: str = "exact",
    period: tuple[str, str] | None = None,
    dimension: str | None = None,
) -> dict:
    start, end = period or ctx.period
    if unit in ("count", "vnd"):
        value = int(round(value))
    return {
        "indicator": code,
        "value": value,
        "unit": unit,
        "kind": kind,
        "qualifier": qualifier,
        "period_start": start,
        "period_end": end,
        "area": ctx.area,
        "dimension": dimension,
        "facility": None,
    }


def _qualifier(ctx: Context, weights=(6, 2, 1, 1)) -> str:
    return ctx.rng.choices(["exact", "approx", "more_than", "less_than"], weights=weights)[0]


# --- rates and shares ------------------------------------------------------------------------------
PCT_SUBJECTS: dict[str, list[str]] = {
    "health_insurance_coverage_pct": [
        "Tỷ lệ người dân tham gia bảo hiểm y tế",
        "Tỷ lệ bao phủ bảo hiểm y tế",
        "Tỷ lệ dân số tham gia BHYT",
    ],
    "full_immunization_pct": ["Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ", "Tỷ lệ tiêm chủng đầy đủ"],
    "patient_satisfaction_pct": ["Tỷ lệ người bệnh hài lòng với dịch vụ y tế", "Tỷ lệ hài lòng của người bệnh"],
    "stunting_under5_pct": [
        "Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi",
        "Tỷ lệ trẻ dưới 5 tuổi suy dinh dưỡng thể thấp còi",
    ],
    "underweight_under5_pct": ["Tỷ lệ suy dinh dưỡng thể nhẹ cân ở trẻ em dưới 5 tuổi"],
    "ehealth_book_pct": ["Tỷ lệ dân số có Sổ sức khỏe điện tử", "Tỷ lệ người dân được lập Sổ sức khoẻ điện tử"],
    "prenatal_screening_pct": ["Tỷ lệ bà mẹ mang thai được sàng lọc trước sinh", "Tỷ lệ sàng lọc trước sinh"],
    "newborn_screening_pct": ["Tỷ lệ trẻ sơ sinh được sàng lọc sơ sinh", "Tỷ lệ sàng lọc sơ sinh"],
    "communes_national_criteria_pct": [
        "Tỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế",
        "Tỷ lệ xã đạt tiêu chí quốc gia về y tế",
    ],
    "commune_stations_with_doctor_pct": ["Tỷ lệ trạm y tế xã có bác sĩ làm việc", "Tỷ lệ trạm y tế có bác sỹ"],
    "hygienic_latrine_pct": ["Tỷ lệ hộ gia đình có nhà tiêu hợp vệ sinh"],
    "elderly_check_pct": ["Tỷ lệ người cao tuổi được khám sức khỏe định kỳ"],
}
PCT_RANGES = {"stunting_under5_pct": (8, 30), "underweight_under5_pct": (5, 20)}
FIGURE_FIRST = {
    "full_immunization_pct": "trẻ em dưới 1 tuổi được tiêm chủng đầy đủ",
    "health_insurance_coverage_pct": "dân số tham gia bảo hiểm y tế",
    "commune_stations_with_doctor_pct": "trạm y tế xã có bác sĩ làm việc",
    "hygienic_latrine_pct": "hộ gia đình có nhà tiêu hợp vệ sinh",
}
VERBS = ["đạt", "là", "ước đạt", ":", "đạt mức", "tiếp tục duy trì ở mức"]


def _verb_and_qualifier(ctx: Context) -> tuple[str, str]:
    verb = ctx.rng.choice(VERBS)
    if verb == "ước đạt":
        return "ước đạt ", "approx"
    qualifier = _qualifier(ctx)
    lead = "" if verb == ":" else " "
    return f"{lead}{verb} {ctx.rng.choice(QUALIFIER_WORDS[qualifier])}".rstrip() + " ", qualifier


def pct_statement(ctx: Context) -> Statement:
    rng = ctx.rng
    code = rng.choice(sorted(PCT_SUBJECTS))
    subject = rng.choice(PCT_SUBJECTS[code])
    lo, hi = PCT_RANGES.get(code, (40, 99.9))
    value = round(rng.uniform(lo, hi), rng.choice([1, 1, 2, 0]))
    decimals = 0 if float(value).is_integer() else len(str(value).split(".")[1])
    if code in FIGURE_FIRST and rng.random() < 0.15:
        # `Có 98,7% trẻ em dưới 1 tuổi được tiêm chủng đầy đủ`: the share first, then what it is a share of
        text = f"{rng.choice(['Có ', 'Toàn tỉnh có ', ''])}{fmt(value, decimals)}% {FIGURE_FIRST[code]}"
        return Statement(text[0].upper() + text[1:] + ".", [_truth(code, "pct", value, ctx)])
    verb, qualifier = _verb_and_qualifier(ctx)
    truth = [_truth(code, "pct", value, ctx, qualifier=qualifier)]
    text = f"{subject}{'' if verb.startswith(':') else ' '}{verb.strip()} {fmt(value, decimals)}%"
    if verb.startswith(":"):
        text = f"{subject}: {verb[1:].strip()} {fmt(value, decimals)}%".replace(":  ", ": ")
    roll = rng.random()
    if roll < 0.3:
        target = round(rng.uniform(lo, hi))
        cue = rng.choice(["mục tiêu đề ra", "chỉ tiêu giao", "kế hoạch giao", "chỉ tiêu Nghị quyết"])
        text += f" (Đạt {cue} năm {ctx.year}: {fmt(target)}%)"
        truth.append(_truth(code, "pct", target, ctx, kind="target", period=(f"{ctx.year}-01-01", f"{ctx.year}-12-31")))
    elif roll < 0.45:
        prev = round(rng.uniform(lo, hi), 1)
        text += f", tăng {fmt(abs(value - prev) or 0.3, 1)}% so với năm {ctx.year - 1}"
    return Statement(text + ".", truth)


def per10k_statement(ctx: Context) -> Statement:
    rng = ctx.rng
    if rng.random() < 0.5:
        code, value = "doctors_per_10k", round(rng.uniform(7, 25), 1)
        subject = rng.choice(["Tỷ lệ bác sĩ", "Tỷ lệ bác sỹ", "Số bác sĩ trên 10.000 dân", "Số bác sỹ trên vạn dân"])
        unit = rng.choice(
            ["bác sĩ/10.000 dân", "bác sỹ/vạn dân", "BS/10.000 dân", "bác sĩ/ 10.000 dân", "bác sĩ trên 10.000 dân"]
        )
    else:
        code, value = "beds_per_10k", round(rng.uniform(20, 60), 1)
        subject = rng.choice(["Tỷ lệ giường bệnh", "Số giường bệnh trên 10.000 dân", "Số giường bệnh/vạn dân"])
        unit = rng.choice(
            ["giường bệnh/10.000 dân", "giường/vạn dân", "giường bệnh/vạn dân", "giường bệnh trên vạn dân"]
        )
    verb, qualifier = _verb_and_qualifier(ctx)
    text = f"{subject} {verb.strip().lstrip(':').strip() or 'đạt'} {fmt(value, 1)} {unit}".replace("  ", " ")
    return Statement(text + ".", [_truth(code, "per_10k", value, ctx, qualifier=qualifier)])


# --- counts -----------------------------------------------------------------------------------------
DISEASES = {
    "dengue_cases": ["Sốt xuất huyết", "Bệnh sốt xuất huyết"],
    "hfmd_cases": ["Tay chân miệng", "Bệnh tay chân miệng"],
    "measles_cases": ["Sởi", "Bệnh sởi"],
    "mumps_cases": ["Quai bị"],
    "chickenpox_cases": ["Thủy đậu", "Thuỷ đậu"],
    "pertussis_cases": ["Ho gà"],
    "covid19_cases": ["COVID-19"],
}
DEATHS = {"covid19_cases": "covid19_deaths"}
SPELLED_OUT = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def disease_statement(ctx: Context) -> Statement:
    rng = ctx.rng
    code = rng.choice(sorted(DISEASES))
    name = rng.choice(DISEASES[code])
    cases = rng.choice([rng.randint(1, 9), rng.randint(10, 900), rng.randint(1000, 9000)])
    noun = rng.choice(["ca", "ca mắc", "trường hợp"])
    lead = rng.choice(["ghi nhận", "lũy tích", "mắc", "phát hiện"])
    count = fmt(cases, lead_zero=rng.random() < 0.5)
    if cases < 10 and rng.random() < 0.3:
        count += f" ({SPELLED_OUT[cases]})"  # `02 (hai) ca`, as official documents write small counts
    text = f"- Bệnh {name.lower().replace('bệnh ', '')}: {lead} {count} {noun}"
    truth = [_truth(code, "count", cases, ctx)]
    if code in DEATHS:
        if rng.random() < 0.5:
            deaths = rng.randint(1, min(9, cases))  # deaths never exceed cases (a rule the warehouse checks)
            text += f", {fmt(deaths, lead_zero=True)} ca tử vong"
            truth.append(_truth(DEATHS[code], "count", deaths, ctx))
        else:
            text += ", không có tử vong"
            truth.append(_truth(DEATHS[code], "count", 0, ctx))
    return Statement(text + ".", truth)


def visits_statement(ctx: Context) -> Statement:
    rng = ctx.rng
    if rng.random() < 0.5:
        total = rng.randint(200_000, 9_000_000)
        text = f"Tổng số lượt khám, chữa bệnh đạt {fmt(total)} lượt"
    else:
        millions = round(rng.uniform(1.1, 9.9), 1)
        total = millions * 1e6
        qualifier = rng.choice(["exact", "more_than", "approx"])
        word = {"exact": "", "more_than": "trên ", "approx": "khoảng "}[qualifier]
        text = f"Toàn tỉnh có {word}{fmt(millions, 1)} triệu lượt khám chữa bệnh"
        return Statement(text + ".", [_truth("medical_visits_total", "count", total, ctx, qualifier=qualifier)])
    truth = [_truth("medical_visits_total", "count", total, ctx)]
    if rng.random() < 0.6:
        inpatient = rng.randint(10_000, total // 5)
        text += f", trong đó điều trị nội trú {fmt(inpatient)} lượt"
        truth.append(_truth("medical_visits_total", "count", inpatient, ctx, dimension="inpatient"))
    return Statement(text + ".", truth)


def money_statement(ctx: Context) -> Statement:
    rng = ctx.rng
    if rng.random() < 0.5:
        billions = rng.randint(20, 900)
        text, value = f"{fmt(billions)} tỷ đồng", billions * 1e9
    else:
        millions = round(rng.uniform(100, 999), 3)
        text, value = f"{fmt(millions, 3)} triệu đồng", round(millions * 1e6)
    if rng.random() < 0.5:
        qualifier = rng.choice(["exact", "more_than"])
        word = "trên " if qualifier == "more_than" else ""
        sentence = f"Chi phí khám, chữa bệnh bảo hiểm y tế năm {ctx.year} là {word}{text}"
        code = "insured_treatment_cost_vnd"
    else:
        qualifier = "exact"
        sentence = f"Đã ban hành quyết định xử phạt vi phạm hành chính với tổng số tiền {text}"
        code = "administrative_fines_vnd"
    return Statement(sentence + ".", [_truth(code, "vnd", value, ctx, qualifier=qualifier)])


def capacity_statement(ctx: Context) -> Statement:
    rng = ctx.rng
    roll = rng.random()
    if roll < 0.35:
        n = rng.randint(300, 3000)
        return Statement(
            f"Toàn tỉnh hiện có {fmt(n)} cơ sở khám, chữa bệnh.", [_truth("health_facilities_total", "count", n, ctx)]
        )
    if roll < 0.7:
        n = rng.randint(5, 120)
        return Statement(
            f"Trong năm, đã tiến hành {fmt(n, lead_zero=True)} cuộc thanh tra, kiểm tra.",
            [_truth("inspections_total", "count", n, ctx)],
        )
    n = rng.randint(10, 500)
    k = rng.randint(1, 40)
    return Statement(
        f"Xảy ra {fmt(k, lead_zero=True)} vụ ngộ độc thực phẩm làm {fmt(n)} người mắc.",
        [_truth("food_poisoning_outbreaks", "count", k, ctx), _truth("food_poisoning_cases", "count", n, ctx)],
    )


def outcome_statement(ctx: Context) -> Statement:
    rng = ctx.rng
    if rng.random() < 0.5:
        value = round(rng.uniform(70, 78), 1)
        subject = rng.choice(["Tuổi thọ trung bình", "Tuổi thọ bình quân của người dân"])
        return Statement(f"{subject} đạt {fmt(value, 1)} tuổi.", [_truth("life_expectancy_years", "years", value, ctx)])
    value = round(rng.uniform(104, 116), 1)
    return Statement(
        f"Tỷ số giới tính khi sinh là {fmt(value, 1)} trẻ trai/100 trẻ gái.",
        [_truth("sex_ratio_at_birth", "boys_per_100_girls", value, ctx)],
    )


def half_year_statement(ctx: Context) -> Statement:
    """A clause period that overrides the document's."""
    rng = ctx.rng
    months, label = rng.choice([(9, "9 tháng đầu năm"), (6, "6 tháng đầu năm")])
    end = "09-30" if months == 9 else "06-30"
    n = rng.randint(20, 900)
    code = rng.choice(["dengue_cases", "hfmd_cases"])
    name = "sốt xuất huyết" if code == "dengue_cases" else "tay chân miệng"
    text = f"Trong {label} {ctx.year}, toàn tỉnh ghi nhận {fmt(n)} ca mắc {name}."
    return Statement(text, [_truth(code, "count", n, ctx, period=(f"{ctx.year}-01-01", f"{ctx.year}-{end}"))])


def target_statement(ctx: Context) -> Statement:
    """A target for the coming year."""
    rng = ctx.rng
    nxt = ctx.year + 1
    code = rng.choice(["health_insurance_coverage_pct", "full_immunization_pct", "stunting_under5_pct"])
    subject = rng.choice(PCT_SUBJECTS[code]).lower()
    value = rng.randint(10, 20) if code == "stunting_under5_pct" else rng.randint(90, 99)
    qualifier = "less_than" if code == "stunting_under5_pct" else rng.choice(["exact", "more_than"])
    word = {"less_than": rng.choice(["dưới ", "< "]), "more_than": rng.choice(["trên ", "> "]), "exact": ""}[qualifier]
    cue = rng.choice(
        [
            f"Chỉ tiêu năm {nxt}: {subject}",
            f"Phấn đấu năm {nxt} {subject} đạt",
            f"Mục tiêu năm {nxt}: {subject}",
            f"Năm {nxt}, ngành y tế đề ra mục tiêu: {subject} đạt",
            f"Dự kiến năm {nxt} {subject} đạt",
            f"Đến năm {nxt}, {subject} đạt",
        ]
    )
    return Statement(
        f"{cue} {word}{fmt(value)}%.",
        [_truth(code, "pct", value, ctx, kind="target", qualifier=qualifier, period=(f"{nxt}-01-01", f"{nxt}-12-31"))],
    )


def comparison_statement(ctx: Context) -> Statement:
    """Figures of another period or area inside a sentence about this one: `cùng kỳ`, `giảm từ ... năm X
    xuống ... năm Y`, a national average in a parenthesis, and a part (`trong đó`) that is no new figure."""
    rng = ctx.rng
    y = ctx.year
    form = rng.randrange(4)
    if form == 0:
        months, label = rng.choice([(9, "9 tháng đầu năm"), (6, "6 tháng đầu năm"), (10, "10 tháng năm")])
        end = f"{months:02d}-{_month_days(y, months):02d}"
        code = rng.choice(["dengue_cases", "hfmd_cases"])
        name = "sốt xuất huyết" if code == "dengue_cases" else "tay chân miệng"
        n, m = rng.randint(20, 900), rng.randint(20, 900)
        text = f"Trong {label} {y}, toàn tỉnh ghi nhận {fmt(n)} ca {name} (cùng kỳ năm {y - 1}: {fmt(m)} ca)."
        return Statement(
            text,
            [
                _truth(code, "count", n, ctx, period=(f"{y}-01-01", f"{y}-{end}")),
                _truth(
                    code,
                    "count",
                    m,
                    ctx,
                    period=(f"{y - 1}-01-01", f"{y - 1}-{months:02d}-{_month_days(y - 1, months):02d}"),
                ),
            ],
        )
    if form == 1:
        code = rng.choice(["stunting_under5_pct", "underweight_under5_pct"])
        subject = rng.choice(PCT_SUBJECTS[code])
        before = round(rng.uniform(12, 25), 1)
        after = round(before - rng.uniform(0.2, 2.0), 1)
        text = f"{subject} giảm từ {fmt(before, 1)}% năm {y - 1} xuống {fmt(after, 1)}% năm {y}."
        return Statement(
            text,
            [
                _truth(code, "pct", before, ctx, period=(f"{y - 1}-01-01", f"{y - 1}-12-31")),
                _truth(code, "pct", after, ctx),
            ],
        )
    if form == 2:
        code = rng.choice(["health_insurance_coverage_pct", "full_immunization_pct", "patient_satisfaction_pct"])
        subject = rng.choice(PCT_SUBJECTS[code])
        own, national = round(rng.uniform(90, 99), 1), round(rng.uniform(85, 94), 1)
        cue = rng.choice(
            ["cao hơn bình quân chung cả nước", "so với cả nước", "trong khi bình quân chung toàn quốc là"]
        )
        text = f"{subject} của tỉnh đạt {fmt(own, 1)}%, {cue} ({fmt(national, 1)}%)."
        nat = _truth(code, "pct", national, ctx)
        nat["area"] = None
        return Statement(text, [_truth(code, "pct", own, ctx), nat])
    n = rng.randint(5, 60)
    part = rng.randint(1, n)
    text = (
        f"{rng.choice(['Thu hút được', 'Đã thu hút'])} {fmt(n)} bác sĩ về công tác tại tỉnh, trong đó "
        f"{fmt(part)} bác sĩ {rng.choice(['chuyên khoa II', 'có trình độ sau đại học', 'về tuyến xã'])}."
    )
    return Statement(text, [_truth("doctors_recruited", "count", n, ctx)])


DISTRACTORS = [
    "Căn cứ Nghị định số {n}/{y}/NĐ-CP ngày {d}/{m}/{y} của Chính phủ.",
    "Thực hiện Công văn số {big}/UBND-KGVX ngày {d}/{m}/{y} của UBND tỉnh.",
    "Sở đã tổ chức {k} hội nghị tập huấn và nhận {k2} bằng khen.",
    "Đường dây nóng: 0{p1}.{p2}.{p3}; tổng đài 1900 9095.",
    "Kết quả thực hiện đạt {k}/{k3} chỉ tiêu được giao.",
    "Đã đón {k} đoàn công tác và ký {k2} văn bản phối hợp.",
    "Ghi nhận {k} trường hợp sốt phát ban nghi sởi; {k2} ca nghi mắc ho gà đang chờ kết quả xét nghiệm.",
]


def distractor(ctx: Context) -> Statement:
    rng = ctx.rng
    text = rng.choice(DISTRACTORS).format(
        n=rng.randint(10, 200),
        y=ctx.year,
        d=rng.randint(1, 28),
        m=rng.randint(1, 12),
        big=rng.randint(1000, 9999),
        k=rng.randint(2, 40),
        k2=rng.randint(1, 12),
        k3=rng.randint(41, 60),
        p1=rng.randint(200, 299),
        p2=rng.randint(1000, 9999),
        p3=rng.randint(100, 999),
    )
    return Statement(text, [])


def surveillance_section(ctx: Context) -> Statement:
    """Numbered disease headings whose lines give counts without naming the disease again."""
    rng = ctx.rng
    diseases = rng.sample(sorted(DISEASES), k=rng.randint(2, 4))
    month = rng.randint(2, 11)
    pairs = rng.random() < 0.3  # `Sốt xuất huyết: 123/0; cộng dồn 1.456/1` under a `(số mắc/chết)` heading
    lines = [
        f"{rng.choice(['1.', '2.', '3.'])} Tình hình dịch bệnh tháng {month} năm {ctx.year}"
        + (rng.choice([" (số mắc/chết)", " (mắc/tử vong)"]) if pairs else "")
    ]
    month_period = (f"{ctx.year}-{month:02d}-01", f"{ctx.year}-{month:02d}-{_month_days(ctx.year, month):02d}")
    ytd_period = (f"{ctx.year}-01-01", month_period[1])
    truth = []
    if pairs:
        for code in diseases:
            n, cumulative = rng.randint(1, 400), rng.randint(400, 5000)
            deaths, deaths_ytd = rng.randint(0, min(3, n)), rng.randint(0, 9)
            lines.append(
                f"- {rng.choice(DISEASES[code])}: {fmt(n)}/{deaths}; cộng dồn từ đầu năm "
                f"{fmt(cumulative)}/{deaths_ytd}."
            )
            truth += [
                _truth(code, "count", n, ctx, period=month_period),
                _truth(code, "count", cumulative, ctx, period=ytd_period),
            ]
            if code in DEATHS:
                truth.insert(-1, _truth(DEATHS[code], "count", deaths, ctx, period=month_period))
                truth.append(_truth(DEATHS[code], "count", deaths_ytd, ctx, period=ytd_period))
        return Statement("\n".join(lines), truth)
    for i, code in enumerate(diseases, start=1):
        name = rng.choice(DISEASES[code])
        lines.append(f"1.{i}. Bệnh {name.lower().replace('bệnh ', '')}")
        if rng.random() < 0.2:
            lines.append("Trong tháng không ghi nhận ca mắc.")
            truth.append(_truth(code, "count", 0, ctx, period=month_period))
        else:
            n = rng.randint(1, 400)
            lines.append(
                rng.choice([f"Trong tháng: {fmt(n, lead_zero=True)} ca.", f"Trong tháng ghi nhận {fmt(n)} ca mắc."])
            )
            truth.append(_truth(code, "count", n, ctx, period=month_period))
        cumulative = rng.randint(400, 5000)
        lines.append(
            rng.choice([f"Lũy tích từ đầu năm: {fmt(cumulative)} ca.", f"Cộng dồn: {fmt(cumulative)} ca mắc."])
        )
        truth.append(_truth(code, "count", cumulative, ctx, period=ytd_period))
    return Statement("\n".join(lines), truth)


def _month_days(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


ACTUAL_MAKERS = [
    pct_statement,
    pct_statement,
    per10k_statement,
    disease_statement,
    visits_statement,
    money_statement,
    capacity_statement,
    outcome_statement,
    half_year_statement,
    comparison_statement,
    distractor,
]


def table_block(ctx: Context) -> Statement:
    """A statistical table: a header of years (the last preliminary), a row per indicator."""
    rng = ctx.rng
    years = list(range(ctx.year - rng.randint(2, 3), ctx.year + 1))
    rows = [
        ("Tỷ lệ bác sĩ/10.000 dân", "doctors_per_10k", "per_10k", (8, 20), 1),
        ("Số giường bệnh/10.000 dân", "beds_per_10k", "per_10k", (25, 45), 1),
        ("Tỷ lệ tham gia bảo hiểm y tế (%)", "health_insurance_coverage_pct", "pct", (85, 99), 1),
        ("Tuổi thọ trung bình (năm)", "life_expectancy_years", "years", (71, 76), 1),
    ]
    rng.shuffle(rows)
    rows = rows[: rng.randint(2, 4)]
    piped = rng.random() < 0.5
    header = ["Chỉ tiêu"] + [str(y) for y in years[:-1]] + [f"{years[-1]}*"]
    lines, truth = [], []
    if piped:
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    else:
        lines.append(f"{header[0]:<40}" + "".join(f"{h:>10}" for h in header[1:]))
    for label, code, unit, (lo, hi), dec in rows:
        cells = []
        for y in years:
            if rng.random() < 0.15:
                cells.append(rng.choice(["", "-"]))
                continue
            value = round(rng.uniform(lo, hi), dec)
            cells.append(fmt(value, dec))
            truth.append(_truth(code, unit, value, ctx, period=(f"{y}-01-01", f"{y}-12-31")))
        if piped:
            lines.append("| " + " | ".join([label] + cells) + " |")
        else:
            lines.append(f"{label:<40}" + "".join(f"{c:>10}" for c in cells))
    return Statement("\n".join(lines), truth)


# --- noise ------------------------------------------------------------------------------------------
_OLD_TONES = {
    "hóa": "hoá",
    "Hóa": "Hoá",
    "hòa": "hoà",
    "Hòa": "Hoà",
    "khỏe": "khoẻ",
    "thủy": "thuỷ",
    "Thủy": "Thuỷ",
    "lũy": "luỹ",
    "tùy": "tuỳ",
    "hủy": "huỷ",
    "xóa": "xoá",
}


def add_noise(text: str, rng: random.Random) -> str:
    """The surface variation reports show; none of it may change what is extracted."""
    if rng.random() < 0.5:
        for new, old in _OLD_TONES.items():
            text = text.replace(new, old)
    if rng.random() < 0.3:
        text = text.replace("bác sĩ", "bác sỹ")
    if rng.random() < 0.4:
        text = text.replace(" đạt ", " đạt\u00a0", 3).replace(": ", ":\t", 2)
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.4:
        text = unicodedata.normalize("NFD", text)
    return text


@dataclass
class SyntheticReport:
    name: str
    text: str
    truth: list[dict] = field(default_factory=list)

    def write(self, directory: Path, gold_directory: Path | None = None) -> Path:
        """The report as `<name>.txt` and its truth as `<name>.jsonl` (the gold layout of score.py),
        beside it or in `gold_directory` (an inbox should hold reports only)."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.name}.txt"
        path.write_bytes(self.text.encode("utf-8"))
        gold = gold_directory or directory
        gold.mkdir(parents=True, exist_ok=True)
        with open(gold / f"{self.name}.jsonl", "w", encoding="utf-8") as fh:
            for row in self.truth:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path


def generate_report(seed: int, statements: int = 24, name: str | None = None) -> SyntheticReport:
    """One report; the same seed always gives the same report."""
    rng = random.Random(seed)
    year = rng.randint(2019, 2025)
    area = rng.choice(PROVINCES)
    spelled = rng.choice([area] + PROVINCE_SPELLINGS.get(area, []))
    ctx = Context(rng, year, area, (f"{year}-01-01", f"{year}-12-31"))
    name = name or f"synth_{seed:08d}"
    lines = [
        f"UBND TỈNH {spelled.upper()}",
        "SỞ Y TẾ",
        f"Số: {rng.randint(100, 5000)}/BC-SYT",
        f"{spelled}, ngày {rng.randint(1, 28)} tháng 12 năm {year}",
        "BÁO CÁO",
        f"Kết quả thực hiện nhiệm vụ công tác y tế năm {year} và phương hướng nhiệm vụ năm {year + 1}",
        "",
        f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {year}",
    ]
    truth: list[dict] = []
    paragraph: list[str] = []
    for i in range(statements):
        maker = rng.choice(ACTUAL_MAKERS)
        st = maker(ctx)
        truth.extend(st.truth)
        if st.text.startswith("- "):
            if paragraph:
                lines.append(" ".join(paragraph))
                paragraph = []
            lines.append(st.text)
        else:
            paragraph.append(st.text)
            if len(paragraph) >= rng.randint(1, 3):
                lines.append(" ".join(paragraph))
                paragraph = []
        if i == statements // 2 and rng.random() < 0.7:
            if paragraph:
                lines.append(" ".join(paragraph))
                paragraph = []
            table = table_block(ctx)
            lines += ["", f"Bảng {rng.randint(1, 5)}. Một số chỉ tiêu y tế cơ bản", table.text, ""]
            truth.extend(table.truth)
    if paragraph:
        lines.append(" ".join(paragraph))
    if rng.random() < 0.6:
        section = surveillance_section(ctx)
        lines += section.text.split("\n")
        truth.extend(section.truth)
    lines.append(f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}")
    for _ in range(rng.randint(1, 3)):
        st = target_statement(ctx)
        lines.append(st.text)
        truth.extend(st.truth)
    lines.append("Nơi nhận: Như trên; Lưu: VT.")
    text = add_noise("\n".join(lines) + "\n", rng)
    for row in truth:
        row["source"] = f"{name}.txt"
    return SyntheticReport(name, text, _with_evidence(text, truth))


def _with_evidence(text: str, truth: list[dict]) -> list[dict]:
    """Rows in the contract's field order, each figure once (a figure stated twice is one observation, as
    the extractor reports it); the generator knows values, not offsets, and evidence is not scored."""
    out, seen = [], set()
    for row in truth:
        key = tuple(
            row[k]
            for k in (
                "indicator",
                "kind",
                "qualifier",
                "dimension",
                "facility",
                "value",
                "period_start",
                "period_end",
                "area",
            )
        )
        if key not in seen:
            seen.add(key)
            out.append({"source": row["source"], **{k: v for k, v in row.items() if k != "source"}, "evidence": ""})
    return out


def write_corpus(
    directory: Path,
    reports: int,
    seed: int = 0,
    statements: int = 24,
    gold_directory: Path | None = None,
    progress=None,
) -> list[Path]:
    """`progress` wraps the seeds (the command line's progress bar)."""
    seeds = range(seed, seed + reports)
    return [generate_report(s, statements).write(directory, gold_directory) for s in (progress or iter)(seeds)]
