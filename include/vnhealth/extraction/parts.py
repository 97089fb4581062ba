"""Numbers a sentence states that are not the figure of the indicator it names before them: parts of
a figure (`trong đó`, the passing share of an inspected total), a district's or commune's figure, a
clause with a subject of its own, and counts that name another service or kind of person."""

from __future__ import annotations

import re
from collections.abc import Callable

from vnhealth.extraction import areas, lexicon
from vnhealth.extraction.catalogue import Indicator
from vnhealth.extraction.numbers import NumberToken
from vnhealth.text import fold

VISIT_NOUNS = frozenset({"lượt", "lượt người", "lần"})
# `12.000 lượt khám sức khỏe`, `2.345 lượt học viên`: a service or a kind of person that is no patient visit.
OTHER_SERVICE = re.compile(
    r"\s*(?:khám sức khỏe|khám sàng lọc|sàng lọc|tầm soát|xét nghiệm|tiêm|tư vấn|"
    r"học viên|học sinh|cán bộ|đại biểu|nhân viên|viên chức)(?![\w])"
)
# `Kiểm tra 3.456 cơ sở, 2.987 cơ sở đạt`: the passing or violating part of an inspected total
PASSING = re.compile(r"\s*(?:đạt|không đạt|chưa đạt|vi phạm|bị xử lý|được cấp)(?![\w])")
_SUBSET = re.compile(r"(?<![\w])(?:trong đó|trong số đó|bao gồm)(?![\w])")


# Words a clause may hold between a clause break and a number and still speak of the subject named before
# the break: verbs, qualifiers, periods, dimensions, places, kinds (`; năm 2024 đạt 97%`, `, ngoại trú 94%`,
# `, cộng dồn 456 ca`). Any other word names a subject of its own.
_CONTINUATION_WORDS = frozenset(
    fold(w)
    for w in """
    đạt là chiếm ước tính khoảng trên dưới hơn gần còn giảm tăng lên xuống mức ở và trong đó riêng năm tháng quý
    tuần cộng dồn lũy tích từ đầu cuối nay đến hết cùng kỳ so với nội ngoại trú thành thị nông thôn công lập tư
    nhân khu vực toàn tỉnh thành phố cả nước kế hoạch kh chỉ tiêu mục giao đề ra th thực hiện được có mắc tử vong
    ca trường hợp người lượt duy trì bình quân chung trung số liệu sơ bộ hiện đã tổng xấp xỉ tối thiểu đa ít nhất
    không quá vượt trở phấn đấu dự kiến nghìn ngàn triệu tỷ đồng ghi nhận phát xảy mới thêm tiếp tục cao thấp
    bằng tương đương khi ngày riêng quý i ii iii iv lần mắc mới bệnh nhân tại quốc khám chữa điều trị chưa
    nghị quyết hđnd ubnd đảng bộ trước ngoái
""".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_CLAUSE_COMMA = re.compile(r",(?!\d)")
_CLAUSE_VERB = re.compile(r"(?<![\w])(?:đạt|là|chiếm)(?![\w])")


def is_part_after(folded: str, figure_end: int, number_start: int) -> bool:
    """`93%, trong đó nhóm hộ nghèo 100%, cận nghèo 85%`: every number after `trong đó` in the figure's
    `;`-clause is one of its parts."""
    part = _SUBSET.search(folded, figure_end, number_start)
    return bool(part) and folded.find(";", part.end(), number_start) < 0


def names_own_subject(folded: str, mention_end: int, number_start: int, ind: Indicator) -> bool:
    """After a `;` between a mention and a number, a word that is neither a continuation nor one of the
    indicator's own words (`; có nữ hộ sinh đạt 100%`, `; tỷ lệ mắc lao 0,1%`) gives the number a subject
    of its own."""
    cut = folded.rfind(";", mention_end, number_start)
    if cut < 0:
        # `, tiêm vắc xin viêm gan B sơ sinh đạt 85%`: after a comma, only a clause with its own verb
        comma = _CLAUSE_COMMA.search(folded, mention_end, number_start)
        while comma and (later := _CLAUSE_COMMA.search(folded, comma.end(), number_start)):
            comma = later
        if comma is None or not _CLAUSE_VERB.search(folded, comma.end(), number_start):
            return False
        cut = comma.start()
    gap = areas.without_provinces(folded[cut + 1 : number_start])
    if LIST_ITEM_FACILITY.fullmatch(gap):
        return False  # `như: Bệnh viện A (110,7%); Trung tâm Y tế B 113,1%`: items of one list
    return any(w not in _CONTINUATION_WORDS and w not in ind.words for w in _WORD.findall(gap))


# An item of a list that is a facility and its figure: `Bệnh viện YHCT Phạm Ngọc Thạch (`, `Trung tâm Y tế Lạc Dương `.
LIST_ITEM_FACILITY = re.compile(
    r"\s*(?P<name>(?:" + lexicon.alternation("facility_kinds") + r")(?: [^\W\d][^\d();,:]{1,60}?)?)\s*\(?\s*"
)


# A place narrower than a province; `toàn thành phố` (a centrally-run city) is the whole province.
_PLACE = lexicon.alternation("localities")
_LOCALITY = re.compile(r"(?<![\w])(?<!toàn )(?:" + _PLACE + r")(?![\w])")
# (`Trong đó, huyện Long Mỹ có ...`, `Từ đầu năm đến nay, huyện X có ...`: after an opening phrase and its comma)
_LOCALITY_SUBJECT = re.compile(
    r"(?:[^,;:]{0,40},)?\s*[-+•*]*\s*(?:" + _PLACE + r")"
    r"\s+(?=[^\W\d])"
)
_LOCALITY_AFTER = re.compile(r"\s*(?:tại|ở|thuộc)\s+(?:" + _PLACE + r")(?![\w])")
LOCALITY_LIST = re.compile(
    r"(?<![\w])(?:các|một số|những) (?:huyện|quận|thị xã|địa phương)(?![\w])"
    r"[^.;]{0,40}?(?::|(?<![\w])(?:như|gồm|là)(?![\w]))"
)


def is_locality_part(
    text: str,
    folded: str,
    start: int,
    tok: NumberToken,
    same_as_last: bool,
    prev_end: int,
    province_in: Callable[[int, int], str | None],
    locality_list_end: int,
) -> bool:
    """A number given for a district or commune: after the province's own figure for the same indicator
    and a place word, or in a list of places (`tập trung ở các huyện: Diễn Châu (45 ca), ...`)."""
    if locality_list_end <= tok.start:  # where the sentence's first list of places ends
        return True
    if same_as_last and _LOCALITY_AFTER.match(folded, tok.unit_end):
        return True  # `3 ca (2 ca tại huyện A, 1 ca tại huyện B)`
    # `Huyện Diễn Châu ghi nhận 45 ca`, `Sốt xuất huyết: huyện Diễn Châu 45 ca; ...`: a district as the subject
    # of the clause (but not `Thành phố Hải Phòng`, a province; nor `tại huyện X`, where an event happened).
    clause_start = max(start, folded.rfind(";", start, tok.start) + 1, folded.rfind(":", start, tok.start) + 1)
    subject = _LOCALITY_SUBJECT.match(folded, clause_start, tok.start)
    if subject and text[subject.end()].isupper() and province_in(subject.end(), subject.end() + 1) is None:
        return True  # a name follows (`Xã đạt Bộ tiêu chí ...` is no commune's figure)
    return (
        same_as_last
        and bool(_LOCALITY.search(folded, prev_end, tok.start))
        and province_in(prev_end, tok.start) is None
    )


# `số ca nhập viện`, `ca nặng`, `bệnh nhân kết thúc điều trị`, `số liều vắc xin`: counts of patients in a
# state of care, or of doses, that are no new cases of the disease.
_CARE_STATE = re.compile(
    r"(?<![\w])(?:(?:ca|bệnh nhân|người bệnh|người|trường hợp)(?: \w+){0,2}? (?:"
    + lexicon.alternation("care_states")
    + r")|"
    + lexicon.alternation("doses")
    + r")(?![\w])[^\d;]{0,60}$"
)


_DISCHARGE = re.compile(
    r"(?<![\w])(?:bệnh nhân|người bệnh|người|ca|lượt)(?: \w+){0,2}? (?:"
    + lexicon.alternation("discharges")
    + r")(?![\w])[^\d;,]{0,40}$"
)


_CARE_TRIGGERS = tuple(
    {w.split()[-1] for w in lexicon.words("care_states") + lexicon.words("doses") + lexicon.words("discharges")}
)


def is_care_state_count(folded: str, clause_start: int, tok: NumberToken, ind: Indicator) -> bool:
    """A disease's count that a label before it says counts patients in care or doses given; a service's
    count that says it counts patients discharged."""
    window = max(clause_start, tok.start - 100)
    if ind.unit != "count" or ind.domain not in ("services", "disease"):
        return False
    before = folded[window : tok.start]
    if not any(w in before for w in _CARE_TRIGGERS):
        return False  # (a cheap test first: most counts have none of these words before them)
    if ind.domain == "services":
        return bool(_DISCHARGE.search(before))
    return not ind.needs_death_cue and bool(_CARE_STATE.search(before))


# `2 bệnh viện công lập và 2 bệnh viện tư nhân đã hoàn thành ...`: a count of facilities that a clause
# after it narrows (those that did or have something) is a sub-group, not the province's count.
_NARROWING_AFTER = re.compile(
    r"\s*(?:(?:công lập|tư nhân|ngoài công lập)\s*)?(?:và [^,;.:()]{0,40}?\s)?(?:"
    + lexicon.alternation("narrowing_verbs")
    + r")(?![\w])"
)


def is_narrowed_count(folded: str, tok: NumberToken, ind: Indicator, end: int) -> bool:
    return ind.domain == "capacity" and ind.unit == "count" and bool(_NARROWING_AFTER.match(folded, tok.unit_end, end))
