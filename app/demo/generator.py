"""Demo submission packages: plausible Nanchang cases with photos that match their facts.

``generate(n, seed)`` yields :class:`DemoPackage` values (a manifest and its files) for
``n`` supplementary-material cases, the same bytes for the same arguments. Cases are
spread over the city's districts and the three kinds (监护关系 45%, 农房 30%, 隔代亲属
25%), mostly 幼升小 with some 小升初; names, resident IDs (valid check digits, the
district's region code, birth dates fitting the stage), addresses, schools, certificates
and dates agree with each other and with the city's policy for the year.

Deliberate problems. A fixed list of problems (:data:`PROBLEMS`) is placed at fixed,
evenly spaced case indices within the first 200 cases, so that ``n >= 200`` always
covers every finding code of :mod:`app.policy.checks`; after those, about one case in twenty
gets a random single-case problem. ``DemoPackage.problems`` names the finding codes a
case is meant to raise (both cases of a pair — a property certificate used by two
families, a student with two open cases — carry the code).

Images. The first cases get photos of their own (names and ID numbers on the photo
match the manifest), rendered in a process pool. Rendering a 12-megapixel photo costs
about 0.3 s, so the later cases share a small pool: with ``image_pool=K`` only ``K`` images
are rendered per document type and variant and reused (the default: photos of their own
for the first 24 cases and a pool of 6 for the rest up to 300 cases, a pool of 8 above);
the manifests do not change, and a content-addressed store keeps each image once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import multiprocessing
import os
import random
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.demo.documents import render_document
from app.domain import Stage
from app.policy import checks
from app.policy.idnumbers import make_id
from app.policy.loader import PolicyError, load_policies, policy_for

__all__ = [
    "DEFAULT_IMAGE_SIZE",
    "KIND_WEIGHTS",
    "PROBLEMS",
    "DemoPackage",
    "generate",
    "schools_for",
]

DEFAULT_IMAGE_SIZE: tuple[int, int] = (4000, 3000)
DEFAULT_POOL = 8
POOL_THRESHOLD = 300
# Without an explicit pool, the first cases get photos of their own (names and numbers on
# the photo match the manifest: what a newcomer looks at first) and the rest share a small
# pool: rendering a 12-MP photo costs ~0.3 s, and `demo --cases 200` should take a minute.
PERSONAL_CASES = 24
MIXED_POOL = 6
"""Above this many cases the default is a pool of images instead of one per attachment."""
CHUNK = 24
"""Cases planned and rendered together (one batch for the process pool)."""
RANDOM_PROBLEM_RATE = 0.05

KIND_WEIGHTS: Mapping[str, float] = {"guardianship": 0.45, "rural_house": 0.30, "kinship": 0.25}
JUNIOR_SHARE = 0.15

# ----------------------------------------------------------------------------- problems

PROBLEMS: Mapping[str, tuple[str, ...]] = {
    "id_checksum": (checks.ID_INVALID,),
    "age_young": (checks.AGE_TOO_YOUNG,),
    "rental_short": (checks.RENTAL_TOO_SHORT,),
    "property_reused": (checks.PROPERTY_REUSED,),
    "image_truncated": (checks.IMAGE_UNREADABLE, checks.MISSING_DOCUMENT),
    "grandparent_gap": (checks.GRANDPARENT_AGE_GAP,),
    "permit_expired": (checks.PERMIT_EXPIRED,),
    "id_birthdate": (checks.ID_BIRTHDATE,),
    "demolition_expired": (checks.DEMOLITION_EXPIRED,),
    "missing_document": (checks.MISSING_DOCUMENT,),
    "duplicate_student": (checks.DUPLICATE_STUDENT,),
    "age_old": (checks.AGE_TOO_OLD,),
    "permit_short": (checks.PERMIT_TOO_SHORT,),
    "image_empty": (checks.IMAGE_UNREADABLE,),
    "cert_after_cutoff": (checks.CERT_AFTER_CUTOFF,),
    "id_region": (checks.ID_REGION_UNKNOWN,),
    "image_html": (checks.IMAGE_UNREADABLE, checks.MISSING_DOCUMENT),
    "policy_mismatch": (checks.POLICY_MISMATCH,),
}
"""Deliberate problems in slot order, and the finding codes each one raises."""

_PAIRED = {"property_reused", "duplicate_student"}
_RANDOM_PROBLEMS = tuple(p for p in PROBLEMS if p not in _PAIRED and p != "policy_mismatch")
_FORCED_KIND = {
    "grandparent_gap": "kinship",
    "image_empty": "kinship",
    "demolition_expired": "rural_house",
    "rental_short": "guardianship",
    "permit_short": "guardianship",
    "permit_expired": "guardianship",
    "cert_after_cutoff": "guardianship",
    "property_reused": "guardianship",
}
_FORCED_BASIS = {
    "rental_short": "租赁备案",
    "permit_short": "居住证",
    "permit_expired": "居住证",
    "cert_after_cutoff": "父母房产",
    "property_reused": "父母房产",
}
UNKNOWN_REGION = "360199"
"""A region code that is in no edition of the national code table (ID_REGION_UNKNOWN)."""

# ----------------------------------------------------------------------------- places


@dataclass(frozen=True)
class _District:
    name: str
    id_region: str  # region code on residents' IDs
    civil: str  # the civil district that issues hukou, marriage and court papers
    weight: float
    roads: tuple[str, ...]
    towns: tuple[str, ...]
    primary: tuple[str, ...]
    junior: tuple[str, ...]
    collection_start: tuple[int, int, int]  # (day in June, hour, minute)
    court: str | None = None


_DISTRICTS: tuple[_District, ...] = (
    _District(
        "东湖区",
        "360102",
        "东湖区",
        15,
        ("八一大道", "中山路", "胜利路", "阳明路", "叠山路", "象山北路", "沿江北大道", "永叔路"),
        ("扬子洲镇",),
        (
            "南昌市东湖区育新学校",
            "南昌市滕王阁小学",
            "南昌市东湖区豫章小学",
            "南昌市东湖区邮政路小学",
            "南昌市东湖区阳明路小学",
        ),
        (
            "南昌市第二十八中学",
            "南昌市东湖区育新学校初中部",
            "南昌市东湖区阳明初级中学",
            "南昌市东湖区豫章中学",
        ),
        (1, 10, 0),
    ),
    _District(
        "西湖区",
        "360103",
        "西湖区",
        15,
        ("孺子路", "抚生路", "象山南路", "系马桩路", "洪城路", "桃花路", "朝阳中路", "站前路"),
        ("桃花镇",),
        (
            "南昌市西湖区铁路第一小学",
            "南昌市西湖区系马桩小学",
            "南昌市西湖区站前路小学",
            "南昌市西湖区朝阳小学",
            "南昌市西湖区桃花小学",
        ),
        (
            "南昌市第十九中学",
            "南昌市西湖区朝阳中学",
            "南昌市西湖区桃花初级中学",
            "南昌市西湖区抚生路中学",
        ),
        (1, 14, 0),
    ),
    _District(
        "青云谱区",
        "360104",
        "青云谱区",
        10,
        ("井冈山大道", "迎宾北大道", "洪都中大道", "三店西路", "昌南大道", "施尧路"),
        ("青云谱镇",),
        (
            "南昌市青云谱区井冈山小学",
            "南昌市青云谱区洪都小学",
            "南昌市青云谱区施尧小学",
            "南昌市青云谱区三店小学",
        ),
        (
            "南昌市第二十二中学",
            "南昌市青云谱区洪都中学",
            "南昌市青云谱区施尧初级中学",
            "南昌市青云谱区迎宾中学",
        ),
        (1, 14, 0),
    ),
    _District(
        "青山湖区",
        "360111",
        "青山湖区",
        18,
        ("北京东路", "南京东路", "青山南路", "上海北路", "解放东路", "民强路", "湖滨东路"),
        ("罗家镇", "塘山镇", "湖坊镇", "京东镇"),
        (
            "南昌市青山湖区湖坊小学",
            "南昌市青山湖区塘山小学",
            "南昌市青山湖区京东小学",
            "南昌市青山湖区北京东路小学",
            "南昌市青山湖区罗家小学",
        ),
        (
            "南昌市第十七中学",
            "南昌市青山湖区湖坊初级中学",
            "南昌市青山湖区京东中学",
            "南昌市青山湖区罗家中学",
        ),
        (2, 10, 0),
    ),
    _District(
        "红谷滩区",
        "360113",
        "红谷滩区",
        17,
        ("丰和中大道", "赣江中大道", "会展路", "红谷中大道", "凤凰中大道", "世贸路", "卧龙路"),
        ("生米镇", "厚田乡"),
        (
            "南昌市红谷滩区凤凰城小学",
            "南昌市红谷滩区丰和小学",
            "南昌市红谷滩区九龙湖小学",
            "南昌市红谷滩区会展路小学",
            "南昌市红谷滩区世纪小学",
        ),
        (
            "南昌市红谷滩区凤凰城中学",
            "南昌市红谷滩区九龙湖初级中学",
            "南昌市红谷滩区赣江中学",
            "南昌市第二中学红谷滩校区",
        ),
        (2, 14, 0),
    ),
    _District(
        "经开区",
        "360112",
        "新建区",
        12,
        ("双港东大街", "枫林大街", "蛟桥路", "庐山南大道", "青岚大道", "秀先路"),
        ("蛟桥镇", "樵舍镇", "白水湖管理处"),
        (
            "南昌经济技术开发区蛟桥小学",
            "南昌经济技术开发区枫林小学",
            "南昌经济技术开发区白水湖小学",
            "南昌经济技术开发区双港小学",
        ),
        (
            "南昌经济技术开发区蛟桥中学",
            "南昌经济技术开发区枫林初级中学",
            "南昌经济技术开发区白水湖中学",
            "南昌经济技术开发区樵舍中学",
        ),
        (1, 10, 0),
        court="南昌经济技术开发区人民法院",
    ),
    _District(
        "高新区",
        "360111",
        "青山湖区",
        13,
        ("火炬大街", "艾溪湖北路", "紫阳大道", "高新大道", "京东大道", "创新一路"),
        ("麻丘镇", "昌东镇", "艾溪湖管理处"),
        (
            "南昌高新技术产业开发区艾溪湖小学",
            "南昌高新技术产业开发区麻丘小学",
            "南昌高新技术产业开发区火炬小学",
            "南昌高新技术产业开发区紫阳小学",
        ),
        (
            "南昌高新技术产业开发区艾溪湖中学",
            "南昌高新技术产业开发区麻丘初级中学",
            "南昌高新技术产业开发区京东中学",
            "南昌高新技术产业开发区紫阳初级中学",
        ),
        (2, 10, 0),
        court="南昌高新技术产业开发区人民法院",
    ),
)
_BY_NAME = {d.name: d for d in _DISTRICTS}

# Home counties of families who live in Nanchang on a residence permit (居住证).
_HOME_COUNTIES: tuple[tuple[str, str, str], ...] = (
    ("360424", "九江市", "修水县"),
    ("362202", "宜春市", "丰城市"),
    ("360681", "鹰潭市", "贵溪市"),
    ("360281", "景德镇市", "乐平市"),
    ("360921", "宜春市", "奉新县"),
    ("360502", "新余市", "渝水区"),
    ("361002", "抚州市", "临川区"),
    ("360730", "赣州市", "宁都县"),
)
_HOME_TOWNS = ("城关镇", "泉港镇", "新田镇", "石桥镇", "曲江镇", "上塘镇", "梅林镇", "黄岗镇")

_COMPOUNDS_A = (
    "锦绣",
    "阳光",
    "碧水",
    "翠苑",
    "嘉和",
    "御景",
    "滨江",
    "万象",
    "金域",
    "绿地",
    "恒茂",
    "象湖",
    "青山",
    "红谷",
    "紫金",
    "香溪",
    "书香",
    "富华",
)
_COMPOUNDS_B = ("花园", "家园", "新村", "小区", "名苑", "华府", "公馆", "雅苑", "城", "湾")
_VILLAGE_SURNAMES = "万涂熊胡罗邓喻魏饶黄刘李陈吴徐周杨朱彭曾"
_VILLAGE_TAILS = ("家村", "家坊村", "家湾村", "村", "坊村")

# ----------------------------------------------------------------------------- names

# Jiangxi-leaning surname frequencies (repeats weight the common ones).
_SURNAMES = (
    "王王王李李李张张刘刘刘陈陈陈黄黄胡胡罗罗吴吴徐徐熊熊万涂邓邓曾曾周周杨杨朱彭彭饶"
    "赵孙马郭何高林郑梁谢宋唐许韩冯曹肖田董袁潘蔡蒋余叶程魏江钟喻付龚闵聂殷简"
)
_KID_M = "子梓浩宇轩俊博文泽睿辰一铭杰皓航宸煜晨逸嘉豪然凯乐思奕阳远哲瑞骏鑫"
_KID_F = "欣怡梓涵雨桐诗语可馨思佳子萱若琪一诺紫彤婉晴悦雅妍梦瑶依芸菲"
_ADULT_M = "伟强磊军洋勇杰涛明超华建平刚文辉鹏飞斌峰俊浩波亮健鑫龙海林江东志"
_ADULT_F = "芳娜敏静丽艳娟霞燕萍婷雪琳慧晶颖丹倩玲莉红洁琴蓉佳薇婧"
_OLD_M = (
    "建国",
    "国华",
    "德明",
    "志强",
    "福生",
    "金水",
    "根生",
    "国平",
    "水根",
    "家林",
    "春生",
    "永福",
    "明华",
    "长根",
    "仁和",
    "火根",
    "发",
    "华",
    "明",
    "林",
    "生",
    "贵",
)
_OLD_F = (
    "秀英",
    "桂兰",
    "玉梅",
    "秀兰",
    "冬梅",
    "凤英",
    "桂英",
    "金花",
    "月娥",
    "淑珍",
    "春花",
    "玉兰",
    "美华",
    "菊香",
    "莲",
    "英",
    "芳",
    "梅",
)


def _given(rng: random.Random, pool: str) -> str:
    if rng.random() < 0.3:
        return rng.choice(_SINGLES.get(pool, pool))
    first = rng.choice(pool)
    second = rng.choice(pool)
    while second == first:
        second = rng.choice(pool)
    return first + second


_SINGLES = {_KID_M: "浩宇轩杰博睿晨哲瑞鑫航磊", _KID_F: "涵琪悦妍菲瑶晴怡欣婷雪"}
"""Children's one-character given names come from a smaller set (no 子, 一 alone)."""

# ----------------------------------------------------------------------------- helpers


def _check_char(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(body17, weights, strict=True))
    return "10X98765432"[total % 11]


def _rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _years_before(day: dt.date, years: int) -> dt.date:
    return checks.add_years(day, -years)


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _phone(rng: random.Random) -> str:
    head = rng.choice(
        (
            "138",
            "139",
            "135",
            "136",
            "150",
            "151",
            "152",
            "158",
            "159",
            "182",
            "187",
            "188",
            "177",
            "180",
            "189",
            "133",
            "199",
            "191",
            "170",
        )
    )
    return head + f"{rng.randrange(10**8):08d}"


def schools_for(district: str, stage: str) -> tuple[str, ...]:
    """The demo schools of a district for a stage (``primary`` / ``junior``)."""
    d = _BY_NAME[district]
    return d.primary if stage == "primary" else d.junior


# ----------------------------------------------------------------------------- policy


@dataclass(frozen=True)
class _Rules:
    city: str
    year: int
    cutoff: dt.date
    stages: tuple[str, ...]
    age_reference: dt.date
    min_ages: Mapping[str, int]
    rental_months: int
    permit_months: int
    demolition_years: int
    gp_min_gap: int


def _rules(city: str, year: int) -> _Rules:
    try:
        p = policy_for(city, year)
    except PolicyError:
        cutoff = dt.date(year, 5, 31)
        return _Rules(
            city,
            year,
            cutoff,
            ("primary", "junior"),
            dt.date(year, 8, 31),
            {"primary": 6, "junior": 11},
            12,
            12,
            3,
            30,
        )
    stages = tuple(s.value for s in Stage if s in p.stages)
    ref = next(iter(p.stages.values())).age_reference
    return _Rules(
        city,
        year,
        p.cutoff_date,
        stages,
        ref,
        {s.value: sp.min_age for s, sp in p.stages.items()},
        p.rental_min_months,
        p.permit_min_months,
        p.demolition_valid_years,
        p.grandparent_min_age_gap,
    )


@functools.cache
def _mismatch_target(city: str, year: int) -> tuple[int, str] | None:
    """An earlier (year, stage) of the city whose policy lacks that stage (POLICY_MISMATCH)."""
    try:
        policies = load_policies()
    except PolicyError:
        return None
    found: list[tuple[int, str]] = []
    for (c, y), p in policies.items():
        if c != city or y == year:
            continue
        for s in Stage:
            if s not in p.stages:
                found.append((y, s.value))
    if not found:
        return None
    return min(found, key=lambda t: (abs(year - t[0]), t[1]))


# ----------------------------------------------------------------------------- the plan


@dataclass
class _Person:
    name: str
    id_number: str
    birth: dt.date
    male: bool

    @property
    def sex(self) -> str:
        return "男" if self.male else "女"


@dataclass(frozen=True)
class _Att:
    """One attachment to render: document type, fields and how it was captured."""

    label: str
    doc_type: str
    fields: tuple[tuple[str, str], ...]
    seed: int
    fmt: str  # JPEG or PNG
    orientation: int | None
    portrait: bool
    damage: str | None = None  # truncated | empty | html
    path: str = ""


@dataclass
class _Family:
    district: _District
    region: str
    home: str | None  # home county name for migrants, None for locals
    prefecture: str  # 南昌市, or the migrant's home prefecture
    father: _Person
    mother: _Person
    child: _Person
    address: str  # where they live
    hukou_address: str
    police_station: str


@dataclass
class _Plan:
    index: int
    manifest: dict[str, Any]
    atts: list[_Att]
    problems: tuple[str, ...]
    family: _Family
    cert: dict[str, Any] | None = None
    problem: str | None = None


@dataclass(frozen=True)
class DemoPackage:
    """One generated submission package."""

    index: int
    name: str
    """Folder or zip stem: the submission id."""
    manifest: dict[str, Any]
    files: dict[str, bytes]
    problems: tuple[str, ...] = ()
    """Finding codes this case is meant to raise (empty for a clean case)."""
    problem: str | None = None
    """Key of :data:`PROBLEMS` deliberately planted in this case, if any."""
    shared_files: frozenset[str] = frozenset()
    """Paths whose bytes are pool images shared with other packages (same object)."""

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])


def _slots(n_cases: int) -> dict[int, str]:
    """Fixed case indices for the deliberate problems (all within the first 200 cases)."""
    names = list(PROBLEMS)
    spacing = max(2, min(11, n_cases // len(names)))
    offset = spacing // 2
    out: dict[int, str] = {}
    for k, name in enumerate(names):
        index = offset + k * spacing
        if index < n_cases:
            out[index] = name
    return out


@dataclass
class _World:
    """Everything one ``generate`` run shares across cases (kept small for 10^5 cases)."""

    seed: int
    city: str
    year: int
    n_cases: int
    rules: _Rules = field(init=False)
    slots: dict[int, str] = field(init=False)
    partners: dict[int, str] = field(init=False)
    slot_end: int = field(init=False)
    used_ids: set[str] = field(default_factory=set)
    previous: _Plan | None = None

    def __post_init__(self) -> None:
        self.rules = _rules(self.city, self.year)
        self.slots = _slots(self.n_cases)
        self.partners = {i - 1: p for i, p in self.slots.items() if p in _PAIRED}
        self.slot_end = max(self.slots, default=-1) + 1
        if _mismatch_target(self.city, self.year) is None:
            self.slots = {i: p for i, p in self.slots.items() if p != "policy_mismatch"}

    # -- numbers ---------------------------------------------------------------
    def unique_seq(self, index: int, salt: int) -> int:
        """A 7-digit number, different for every case of a run (for a given ``salt``).

        Property certificate numbers must never collide by chance: that would be a
        PROPERTY_REUSED finding nobody planted.
        """
        return (index * 7919 + salt * 1_000_003 + self.seed * 104_729) % 10_000_000

    def new_id(self, rng: random.Random, region: str, birth: dt.date, male: bool) -> str:
        for _ in range(2000):
            seq = rng.randrange(500) * 2 + (1 if male else 0)
            number = make_id(region, birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
            birth += dt.timedelta(days=1)
        raise RuntimeError("cannot find a free ID number")  # pragma: no cover

    # -- case ------------------------------------------------------------------
    def plan(self, index: int) -> _Plan:
        rng = random.Random(f"reviewdesk-demo:{self.seed}:{index}")
        problem = self.slots.get(index)
        if problem is None and index >= self.slot_end and rng.random() < RANDOM_PROBLEM_RATE:
            problem = rng.choice(_RANDOM_PROBLEMS)
        partner_of = self.partners.get(index)
        plan = _CaseBuilder(self, index, rng, problem, partner_of).build()
        self.previous = plan
        return plan


class _CaseBuilder:
    def __init__(
        self,
        world: _World,
        index: int,
        rng: random.Random,
        problem: str | None,
        partner_of: str | None,
    ) -> None:
        self.w = world
        self.index = index
        self.rng = rng
        self.problem = problem
        self.partner_of = partner_of
        self.rules = world.rules
        if problem == "policy_mismatch":
            target = _mismatch_target(world.city, world.year)
            assert target is not None
            self.rules = _rules(world.city, target[0])
            self.stage = target[1]
        else:
            junior = "junior" in self.rules.stages and rng.random() < JUNIOR_SHARE
            self.stage = "junior" if junior or "primary" not in self.rules.stages else "primary"
        self.year = self.rules.year
        self.cutoff = self.rules.cutoff
        self.atts: list[_Att] = []
        self.problems: list[str] = list(PROBLEMS.get(problem or "", ()))
        if partner_of is not None:
            self.problems.extend(PROBLEMS[partner_of])

    # -- people ----------------------------------------------------------------
    def person(
        self, surname: str, pool: str | Sequence[str], male: bool, birth: dt.date, region: str
    ) -> _Person:
        rng = self.rng
        given = _given(rng, pool) if isinstance(pool, str) else rng.choice(pool)
        return _Person(surname + given, self.w.new_id(rng, region, birth, male), birth, male)

    def child_birth(self) -> dt.date:
        rng = self.rng
        age = 6 if self.stage == "primary" else 12
        ref = self.rules.age_reference
        if self.problem == "age_young":
            age = self.rules.min_ages.get(self.stage, age) - 1
        elif self.stage == "primary" and rng.random() < 0.04:
            age += 1  # a year late, still within the window
        latest = _years_before(ref, age)
        earliest = _years_before(ref, age + 1) + dt.timedelta(days=1)
        if self.problem == "age_young":
            latest = min(latest, earliest + dt.timedelta(days=200))
        return _rand_date(rng, earliest, latest)

    def family(self, migrant: bool) -> _Family:
        rng = self.rng
        district = self._district()
        prefecture = "南昌市"
        if migrant:
            region, prefecture, home = rng.choice(_HOME_COUNTIES)
        else:
            region, home = district.id_region, None
        child_birth = self.child_birth()
        father_age = int(rng.triangular(25, 45, 31))
        mother_age = max(25, min(45, father_age - int(rng.triangular(-2, 6, 2))))
        fb = _rand_date(
            rng,
            _years_before(child_birth, father_age + 1) + dt.timedelta(days=1),
            _years_before(child_birth, father_age),
        )
        mb = _rand_date(
            rng,
            _years_before(child_birth, mother_age + 1) + dt.timedelta(days=1),
            _years_before(child_birth, mother_age),
        )
        fs = rng.choice(_SURNAMES)
        ms = rng.choice(_SURNAMES)
        while ms == fs:
            ms = rng.choice(_SURNAMES)
        father = self.person(fs, _ADULT_M, True, fb, region)
        mother = self.person(ms, _ADULT_F, False, mb, region)
        male = rng.random() < 0.52
        cs = fs if rng.random() < 0.9 else ms
        child = self.person(cs, _KID_M if male else _KID_F, male, child_birth, region)
        address = self.urban_address(district)
        if home is not None:
            town = rng.choice(_HOME_TOWNS)
            hukou = f"江西省{prefecture}{home}{town}{self.village()}{rng.randrange(1, 150)}号"
            station = f"{home}公安局{town[:2]}派出所"
        else:
            hukou = address if rng.random() < 0.7 else self.urban_address(district)
            station = (
                f"南昌市公安局{district.civil.rstrip('区县')}分局"
                f"{rng.choice(['八一', '公园', '站前', '青云', '湖坊', '丰和', '洪都', '京东'])}派出所"
            )
        return _Family(
            district, region, home, prefecture, father, mother, child, address, hukou, station
        )

    def _district(self) -> _District:
        return self.rng.choices(_DISTRICTS, weights=[d.weight for d in _DISTRICTS])[0]

    def urban_address(self, d: _District) -> str:
        rng = self.rng
        compound = rng.choice(_COMPOUNDS_A) + rng.choice(_COMPOUNDS_B)
        floor = rng.randrange(1, 33)
        return (
            f"南昌市{d.name}{rng.choice(d.roads)}{rng.randrange(1, 999)}号{compound}"
            f"{rng.randrange(1, 40)}栋{rng.randrange(1, 5)}单元{floor}{rng.randrange(1, 5):02d}室"
        )

    def village(self) -> str:
        rng = self.rng
        return rng.choice(_VILLAGE_SURNAMES) + rng.choice(_VILLAGE_TAILS)

    def rural_address(self, d: _District) -> tuple[str, str, str]:
        rng = self.rng
        town = rng.choice(d.towns)
        village = self.village()
        natural = rng.choice(_VILLAGE_SURNAMES) + rng.choice(("家", "坊", "湾")) + "自然村"
        return f"南昌市{d.name}{town}{village}委会{natural}{rng.randrange(1, 120)}号", town, village

    def grandparent(self, of: _Person, male: bool, surname: str, child_birth: dt.date) -> _Person:
        rng = self.rng
        parent_age = checks.age_on(of.birth, child_birth)
        age = parent_age + int(rng.triangular(20, 34, 26))
        age = max(45, min(70, age))
        if self.problem == "grandparent_gap":
            age = rng.randrange(22, 28)
        birth = _rand_date(
            rng,
            _years_before(child_birth, age + 1) + dt.timedelta(days=1),
            _years_before(child_birth, age),
        )
        return self.person(surname, _OLD_M if male else _OLD_F, male, birth, of.id_number[:6])

    # -- dates -----------------------------------------------------------------
    def submitted_at(self, district: _District, not_before: dt.date | None = None) -> dt.datetime:
        rng = self.rng
        day0, hour0, minute0 = district.collection_start
        start = dt.datetime(self.year, 6, day0, hour0, minute0)
        end = dt.datetime(self.year, 6, 16, 17, 0)
        first = start.date()
        if not_before is not None and not_before > first:
            first = not_before
        span = (end.date() - first).days
        day = first + dt.timedelta(days=int(rng.triangular(0, span + 0.999, 0)))
        hour = rng.choice((7, 8, 9, 9, 10, 10, 11, 12, 13, 14, 15, 16, 19, 20, 20, 21, 21, 22, 23))
        when = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)))
        when = max(when, start + dt.timedelta(minutes=rng.randrange(5, 240)))
        when = min(when, end - dt.timedelta(minutes=rng.randrange(1, 120)))
        return when.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))

    def issue_date(self, earliest: dt.date) -> dt.date:
        latest = self.cutoff - dt.timedelta(days=30)
        return _rand_date(self.rng, min(earliest, latest), latest)

    # -- attachments -----------------------------------------------------------
    def attach(
        self, label: str, doc_type: str, fields: Mapping[str, str], damage: str | None = None
    ) -> None:
        rng = self.rng
        portrait = doc_type != "divorce_certificate"
        fmt = "PNG" if rng.random() < 0.10 else "JPEG"
        orientation: int | None = None
        if fmt == "JPEG":
            roll = rng.random()
            if portrait and roll < 0.15:
                orientation = rng.choice((6, 6, 8))
            elif roll > 0.85:
                orientation = 1
        if damage is not None:
            fmt, orientation = "JPEG", None
        self.atts.append(
            _Att(
                label,
                doc_type,
                tuple(sorted(fields.items())),
                rng.getrandbits(63),
                fmt,
                orientation,
                portrait,
                damage,
            )
        )

    def doc_base(self, fam: _Family, date: dt.date) -> dict[str, str]:
        base = {
            "province": "江西省",
            "city": "南昌市",
            "district": fam.district.civil,
            "date": _iso(date),
            "father_name": fam.father.name,
            "father_id": fam.father.id_number,
            "mother_name": fam.mother.name,
            "mother_id": fam.mother.id_number,
            "child_name": fam.child.name,
            "child_id": fam.child.id_number,
            "child_sex": fam.child.sex,
            "child_birth": _iso(fam.child.birth),
            "police_station": fam.police_station,
        }
        if fam.home is not None:
            base["city"] = fam.prefecture
            base["district"] = fam.home
        return base

    def hukou_pages(
        self,
        fam: _Family,
        householder: _Person,
        relation: str,
        address: str,
        self_person: _Person | None = None,
        self_label: str = "户口簿本人页",
    ) -> None:
        rng = self.rng
        when = _rand_date(rng, fam.child.birth + dt.timedelta(days=30), self.cutoff)
        base = self.doc_base(fam, when)
        home = dict(base)
        home.update(
            householder_name=householder.name,
            address=address,
            household_number=f"{rng.randrange(10**8, 10**9)}",
            household_type=rng.choice(["家庭户", "家庭户", "非农业家庭户", "农业家庭户"]),
        )
        self.attach("户口簿首页", "hukou_home", home)
        who = self_person or fam.child
        page = dict(base)
        page.update(
            name=who.name,
            id_number=who.id_number,
            sex=who.sex,
            relation=relation,
            birth_date=_iso(who.birth),
            address=address,
        )
        self.attach(self_label, "hukou_person", page)

    # -- kinds -----------------------------------------------------------------
    def build(self) -> _Plan:
        rng = self.rng
        w = self.w
        problem = self.problem
        dup_of = w.previous if problem == "duplicate_student" else None
        if problem in _FORCED_KIND:
            kind = _FORCED_KIND[problem]
        elif self.partner_of == "property_reused":
            kind = "guardianship"
        else:
            kinds = [k for k in KIND_WEIGHTS if dup_of is None or k != dup_of.manifest["kind"]]
            kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
        basis = _FORCED_BASIS.get(problem or "")
        if basis is None and self.partner_of == "property_reused":
            basis = "父母房产"
        if kind == "guardianship" and basis is None:
            basis = rng.choices(["父母房产", "租赁备案", "居住证"], weights=[60, 25, 15])[0]
        migrant = basis == "居住证" or (basis == "租赁备案" and rng.random() < 0.5)
        if dup_of is not None:
            fam = dup_of.family
            self.stage = str(dup_of.manifest["stage"])
        else:
            fam = self.family(migrant)
        m: dict[str, Any] = {
            "format_version": 1,
            "submission_id": f"NC{self.year}-S{w.seed}-{self.index + 1:06d}",
            "city": w.city,
            "admission_year": self.year,
            "stage": self.stage,
            "district": fam.district.name,
            "school": rng.choice(schools_for(fam.district.name, self.stage)),
            "kind": kind,
        }
        not_before: dt.date | None = None
        cert: dict[str, Any] | None = None
        if kind == "guardianship":
            assert basis is not None
            m["residence_basis"] = basis
            cert, not_before = self.guardianship(m, fam, basis)
        elif kind == "rural_house":
            m["residence_basis"] = "农房"
            cert = self.rural_house(m, fam)
        else:
            m["residence_basis"] = "(外)祖父母房产"
            cert = self.kinship(m, fam)
        m["submitted_at"] = self.submitted_at(fam.district, not_before).isoformat()
        self.apply_id_problems(m, fam)
        self.apply_attachment_problems(m)
        ordered = {k: m[k] for k in _KEY_ORDER if k in m}
        problems = tuple(dict.fromkeys(self.problems))
        return _Plan(self.index, ordered, self.atts, problems, fam, cert, problem)

    def student(self, fam: _Family, hukou: str | None = None) -> dict[str, Any]:
        return {
            "name": fam.child.name,
            "id_number": fam.child.id_number,
            "hukou_address": hukou or fam.hukou_address,
        }

    def guardians(self, fam: _Family, custody: str | None = None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for p, rel in ((fam.father, "父亲"), (fam.mother, "母亲")):
            g: dict[str, Any] = {"name": p.name, "id_number": p.id_number, "relation": rel}
            if custody is not None:
                g["has_custody"] = custody == rel
            if self.rng.random() < 0.75:
                g["phone"] = _phone(self.rng)
            out.append(g)
        return out

    def property(self, owner: _Person, address: str) -> dict[str, Any]:
        rng = self.rng
        seq = self.w.unique_seq(self.index, 0)
        if self.problem == "cert_after_cutoff":
            issued = self.cutoff + dt.timedelta(days=rng.randrange(1, 4))
        else:
            issued = self.issue_date(dt.date(2008, 1, 1))
        if issued.year >= 2016:
            ctype, number = "不动产权证", f"赣({issued.year})南昌市不动产权第{seq:07d}号"
        else:
            ctype, number = "房产证", f"洪房权证字第{seq:07d}号"
        return {
            "cert_type": ctype,
            "cert_number": number,
            "issue_date": _iso(issued),
            "nature": "住宅" if rng.random() < 0.93 else "非住宅",
            "owner_name": owner.name,
            "owner_id_number": owner.id_number,
            "address": address,
        }

    def guardianship(
        self, m: dict[str, Any], fam: _Family, basis: str
    ) -> tuple[dict[str, Any] | None, dt.date | None]:
        rng = self.rng
        holder_rel = "母亲" if rng.random() < 0.62 else "父亲"
        holder = fam.mother if holder_rel == "母亲" else fam.father
        married = _rand_date(
            rng, _years_before(fam.child.birth, 6), fam.child.birth - dt.timedelta(days=200)
        )
        divorced = _rand_date(
            rng, fam.child.birth + dt.timedelta(days=300), self.cutoff - dt.timedelta(days=40)
        )
        by_court = rng.random() < 0.4
        doc = "法院判决书" if by_court else "离婚协议书"
        m["student"] = self.student(fam)
        m["guardians"] = self.guardians(fam, holder_rel)
        custody: dict[str, Any] = {
            "divorced": True,
            "divorce_date": _iso(divorced),
            "custody_holder_name": holder.name,
            "custody_document": doc,
        }
        if rng.random() < 0.5:
            custody["note"] = rng.choice(
                (
                    f"父母已于{divorced.year}年离婚，孩子随{holder_rel}生活，抚养权归{holder_rel}。",
                    f"{'离婚判决' if by_court else '离婚协议'}约定孩子由{holder_rel}抚养，"
                    f"现由{holder_rel}{holder.name}办理入学登记。\n户口已迁至{holder_rel}名下。",
                    "系统中监护人信息与实际不符，现补充离婚证及抚养权材料。",
                )
            )
        m["custody"] = custody
        cert: dict[str, Any] | None = None
        not_before: dt.date | None = None
        if basis == "父母房产":
            reused = self.w.previous if self.problem == "property_reused" else None
            if reused is not None and reused.cert is not None:
                cert = dict(reused.cert)  # the other family's title, owner and all
            else:
                cert = self.property(holder, fam.address)
            m["properties"] = [cert]
            if self.problem == "cert_after_cutoff":
                not_before = dt.date.fromisoformat(cert["issue_date"]) + dt.timedelta(days=1)
        else:
            self.rental_or_permit(m, fam, holder, basis)
        when = divorced
        base = self.doc_base(fam, when)
        cert_doc = dict(base)
        cert_doc.update(
            holder="mother" if holder_rel == "母亲" else "father",
            cert_number=f"L{fam.region}-{divorced.year}-{rng.randrange(1, 3000):06d}",
        )
        if fam.home is None:
            cert_doc["registry"] = f"南昌市{fam.district.civil}民政局"
        self.attach("离婚证", "divorce_certificate", cert_doc)
        paper = dict(base)
        paper.update(
            custodian="mother" if holder_rel == "母亲" else "father",
            marriage_date=_iso(married),
            child_support=str(rng.choice([800, 1000, 1200, 1500, 2000])),
        )
        if by_court:
            court = fam.district.court or f"江西省南昌市{fam.district.civil}人民法院"
            if fam.home is not None:
                court = f"江西省{fam.prefecture}{fam.home}人民法院"
            paper.update(
                court=court,
                date=_iso(divorced - dt.timedelta(days=rng.randrange(3, 40))),
                case_number=f"({divorced.year})赣{fam.region[2:]}民初{rng.randrange(100, 9999)}号",
            )
            self.attach("法院判决书", "court_judgment", paper)
        else:
            self.attach("离婚协议书", "divorce_agreement", paper)
        self.hukou_pages(fam, holder, "子" if fam.child.male else "女", fam.hukou_address)
        return cert, not_before

    def rental_or_permit(
        self, m: dict[str, Any], fam: _Family, holder: _Person, basis: str
    ) -> None:
        rng = self.rng
        cutoff = self.cutoff
        problem = self.problem
        if basis == "租赁备案" or rng.random() < 0.5:
            months = self.rules.rental_months
            if problem == "rental_short":
                start = cutoff - dt.timedelta(days=rng.randrange(60, 30 * months - 20))
            else:
                start = _rand_date(
                    rng, _years_before(cutoff, 4), checks.add_months(cutoff, -months - 1)
                )
            end = checks.add_years(start, rng.choice((1, 2, 3)))
            while end < cutoff + dt.timedelta(days=60):
                end = checks.add_years(end, 1)
            seq = self.w.unique_seq(self.index, 2)
            m["rentals"] = [
                {
                    "registration_number": f"洪房租备字〔{start.year}〕第{seq:07d}号",
                    "address": fam.address,
                    "start_date": _iso(start),
                    "end_date": _iso(end),
                    "holder_name": holder.name,
                }
            ]
        if basis == "居住证":
            months = self.rules.permit_months
            if problem == "permit_short":
                start = cutoff - dt.timedelta(days=rng.randrange(40, 30 * months - 20))
            else:
                start = _rand_date(
                    rng, _years_before(cutoff, 6), checks.add_months(cutoff, -months - 1)
                )
            if problem == "permit_expired":
                until = cutoff - dt.timedelta(days=rng.randrange(5, 120))
            else:
                until = cutoff + dt.timedelta(days=rng.randrange(60, 360))
            seq = self.w.unique_seq(self.index, 3)
            m["permits"] = [
                {
                    "number": f"赣A{start.year}{seq:07d}",
                    "holder_name": holder.name,
                    "holder_id_number": holder.id_number,
                    "start_date": _iso(start),
                    "valid_until": _iso(until),
                }
            ]

    def rural_house(self, m: dict[str, Any], fam: _Family) -> dict[str, Any] | None:
        rng = self.rng
        d = fam.district
        address, town, village = self.rural_address(d)
        if self.problem == "demolition_expired":
            house_type = "拆迁协议"
        else:
            house_type = rng.choices(["农房", "农民公寓", "拆迁协议"], weights=[75, 8, 17])[0]
        rel = rng.choices(["祖父", "父亲", "外祖父", "母亲"], weights=[45, 35, 12, 8])[0]
        if rel == "父亲":
            owner = fam.father
        elif rel == "母亲":
            owner = fam.mother
        elif rel == "祖父":
            owner = self.grandparent(fam.father, True, fam.father.name[0], fam.child.birth)
        else:
            owner = self.grandparent(fam.mother, True, fam.mother.name[0], fam.child.birth)
        m["student"] = self.student(fam, address)
        m["guardians"] = self.guardians(fam)
        m["rural_house"] = {
            "owner_name": owner.name,
            "owner_id_number": owner.id_number,
            "owner_relation": rel,
            "address": address,
            "house_type": house_type,
        }
        child_rel = {"祖父": "孙", "外祖父": "外孙"}.get(rel, "")
        child_rel += "子" if fam.child.male else "女"
        self.hukou_pages(fam, owner, child_rel, address)
        seq = self.w.unique_seq(self.index, 0)
        base = self.doc_base(fam, self.issue_date(dt.date(2012, 1, 1)))
        base.update(
            owner_name=owner.name,
            owner_id=owner.id_number,
            address=address,
            town=town,
            village=village,
            owner_relation=rel,
        )
        cert: dict[str, Any] | None = None
        if house_type == "拆迁协议":
            years = self.rules.demolition_years
            if self.problem == "demolition_expired":
                signed = _rand_date(
                    rng,
                    _years_before(self.cutoff, years + 3),
                    _years_before(self.cutoff, years) - dt.timedelta(days=30),
                )
            else:
                signed = _rand_date(
                    rng,
                    _years_before(self.cutoff, years) + dt.timedelta(days=30),
                    self.cutoff - dt.timedelta(days=60),
                )
            number = f"{d.civil[:2]}征补字〔{signed.year}〕第{seq:07d}号"
            cert = {
                "cert_type": "拆迁协议",
                "cert_number": number,
                "issue_date": _iso(signed),
                "nature": "住宅",
                "owner_name": owner.name,
                "owner_id_number": owner.id_number,
                "address": address,
            }
            base.update(date=_iso(signed), agreement_number=number)
            self.attach("拆迁安置协议", "demolition_agreement", base)
        elif house_type == "农房" and rng.random() < 0.4:
            issued = dt.date.fromisoformat(base["date"])
            number = f"{d.civil[:2]}集用({issued.year})第{seq:07d}号"
            cert = {
                "cert_type": "农房",
                "cert_number": number,
                "issue_date": _iso(issued),
                "nature": "住宅",
                "owner_name": owner.name,
                "owner_id_number": owner.id_number,
                "address": address,
            }
            base.update(cert_number=number)
            self.attach("宅基地证", "homestead_cert", base)
        else:
            issued = self.cutoff - dt.timedelta(days=rng.randrange(10, 200))
            base.update(date=_iso(issued), built_year=str(rng.randrange(1992, 2018)))
            self.attach("村委会证明", "rural_house_proof", base)
        if cert is not None:
            m["properties"] = [cert]
        return None  # rural titles are never the partner of a reuse pair

    def kinship(self, m: dict[str, Any], fam: _Family) -> dict[str, Any] | None:
        rng = self.rng
        paternal = rng.random() < 0.6
        parent = fam.father if paternal else fam.mother
        gf = self.grandparent(parent, True, parent.name[0], fam.child.birth)
        people = [(gf, "祖父" if paternal else "外祖父")]
        if rng.random() < 0.6:
            surname = rng.choice(_SURNAMES)
            while surname == gf.name[0]:
                surname = rng.choice(_SURNAMES)
            gm = self.grandparent(parent, False, surname, fam.child.birth)
            people.append((gm, "祖母" if paternal else "外祖母"))
        if rng.random() < 0.25:
            people.reverse()  # the grandmother owns the flat
        owner, owner_rel = people[0]
        address = self.urban_address(fam.district)
        m["student"] = self.student(fam, address if rng.random() < 0.6 else None)
        m["guardians"] = self.guardians(fam)
        m["grandparents"] = [
            {"name": p.name, "id_number": p.id_number, "relation": r} for p, r in people
        ]
        cert = self.property(owner, address)
        m["properties"] = [cert]
        page = "户口簿（祖父母页）" if paternal else "户口簿（外祖父母页）"
        self.hukou_pages(fam, owner, "户主", address, owner, page)
        base = self.doc_base(fam, fam.child.birth + dt.timedelta(days=rng.randrange(2, 20)))
        self.attach("出生医学证明", "birth_certificate", base)
        if rng.random() < 0.7 or self.problem == "image_empty":
            proof = self.doc_base(fam, self.cutoff - dt.timedelta(days=rng.randrange(20, 300)))
            proof.update(
                grandparent_name=owner.name,
                grandparent_id=owner.id_number,
                grandparent_relation=owner_rel,
            )
            self.attach("亲属关系证明", "kinship_proof", proof)
        return cert

    # -- deliberate problems ---------------------------------------------------
    def apply_id_problems(self, m: dict[str, Any], fam: _Family) -> None:
        rng = self.rng
        problem = self.problem
        target = m["guardians"][rng.randrange(len(m["guardians"]))]
        number = str(target["id_number"])
        if problem == "id_checksum":
            digits = list(number[:17])
            for _ in range(20):
                i = rng.randrange(14, 16)
                if digits[i] != digits[i + 1]:
                    digits[i], digits[i + 1] = digits[i + 1], digits[i]
                    break
            else:
                digits[15] = str((int(digits[15]) + 1) % 10)
            body = "".join(digits)
            bad = number[17]
            if _check_char(body) == bad:
                bad = "0" if bad != "0" else "1"
            target["id_number"] = body + bad
        elif problem == "id_birthdate":
            born = dt.date.fromisoformat(f"{number[6:10]}-{number[10:12]}-01")
            impossible = {2: 30, 4: 31, 6: 31, 9: 31, 11: 31}
            month = born.month if born.month in impossible else rng.choice(list(impossible))
            body = f"{number[:10]}{month:02d}{impossible[month]}{number[14:17]}"
            target["id_number"] = body + _check_char(body)
        elif problem == "id_region":
            body = UNKNOWN_REGION + number[6:17]
            target["id_number"] = body + _check_char(body)
        elif problem == "age_old":
            child = m["student"]["id_number"]
            year = int(child[6:10]) - 10
            body = f"{child[:6]}{year}{child[10:17]}"
            m["student"]["id_number"] = body + _check_char(body)

    def apply_attachment_problems(self, m: dict[str, Any]) -> None:
        rng = self.rng
        problem = self.problem
        required = _REQUIRED_LABELS[m["kind"]]
        if problem == "missing_document":
            candidates = [i for i, a in enumerate(self.atts) if a.label in required]
            del self.atts[rng.choice(candidates)]
        elif problem in ("image_truncated", "image_html"):
            candidates = [i for i, a in enumerate(self.atts) if a.label in required]
            i = rng.choice(candidates)
            damage = "truncated" if problem == "image_truncated" else "html"
            a = self.atts[i]
            self.atts[i] = _Att(
                a.label, a.doc_type, a.fields, a.seed, "JPEG", None, a.portrait, damage
            )
        elif problem == "image_empty":
            i = next(i for i, a in enumerate(self.atts) if a.label == "亲属关系证明")
            a = self.atts[i]
            self.atts[i] = _Att(
                a.label, a.doc_type, a.fields, a.seed, "JPEG", None, a.portrait, "empty"
            )
        self.name_files(dt.datetime.fromisoformat(m["submitted_at"]))

    def name_files(self, submitted: dt.datetime) -> None:
        rng = self.rng
        taken = submitted.replace(tzinfo=None) - dt.timedelta(minutes=rng.randrange(3, 60 * 24 * 5))
        wechat = rng.random() < 0.3
        named: list[_Att] = []
        for k, a in enumerate(self.atts, start=1):
            taken += dt.timedelta(seconds=rng.randrange(8, 400))
            if a.fmt == "PNG":
                path = f"img/scan_{taken:%Y%m%d}_{k:03d}.png"
            elif wechat:
                path = f"img/mmexport{int(taken.timestamp() * 1000) + rng.randrange(1000)}.jpg"
            else:
                path = f"img/IMG_{taken:%Y%m%d_%H%M%S}.jpg"
            named.append(
                _Att(
                    a.label,
                    a.doc_type,
                    a.fields,
                    a.seed,
                    a.fmt,
                    a.orientation,
                    a.portrait,
                    a.damage,
                    path,
                )
            )
        self.atts = named


_KEY_ORDER = (
    "format_version",
    "submission_id",
    "city",
    "admission_year",
    "stage",
    "district",
    "school",
    "kind",
    "residence_basis",
    "submitted_at",
    "student",
    "guardians",
    "grandparents",
    "custody",
    "rural_house",
    "properties",
    "rentals",
    "permits",
    "attachments",
)


def _required_labels() -> dict[str, frozenset[str]]:
    # Fixed for the demo (the policy's accepted labels for each required item).
    return {
        "guardianship": frozenset(
            {"离婚证", "法院判决书", "离婚协议书", "户口簿首页", "户口簿本人页"}
        ),
        "rural_house": frozenset(
            {"户口簿首页", "户口簿本人页", "村委会证明", "宅基地证", "拆迁安置协议"}
        ),
        "kinship": frozenset({"户口簿（祖父母页）", "户口簿（外祖父母页）", "出生医学证明"}),
    }


_REQUIRED_LABELS = _required_labels()

# ----------------------------------------------------------------------------- rendering

_HTML_PAGE = (
    '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
    "<title>图片预览</title>\n</head>\n<body>\n"
    '<div class="preview"><img src="https://mmbiz.qpic.cn/mmbiz_jpg/placeholder/0?wx_fmt=jpeg">'
    "</div>\n<p>长按图片保存到手机</p>\n</body>\n</html>\n"
).encode()

_Job = tuple[str, tuple[tuple[str, str], ...], int, tuple[int, int], str, int | None]


def _sizes(image_size: tuple[int, int], portrait: bool, fmt: str) -> tuple[int, int]:
    long_side, short_side = max(image_size), min(image_size)
    if fmt == "PNG":  # an A4 scan at about 300 dpi for a 12-MP setting
        w, h = round(short_side * 0.8267), round(long_side * 0.877)
    else:
        w, h = short_side, long_side
    return (w, h) if portrait else (h, w)


def _start_method() -> str | None:
    """``fork`` where it is safe and cheap (Linux), else no worker processes.

    ``spawn`` would re-run an unguarded ``__main__`` (``python -m app`` is one) in every
    worker, so it is never used implicitly: other platforms render in-process.
    """
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return None


def _render_job(job: _Job) -> bytes:
    doc_type, fields, seed, size, fmt, orientation = job
    return render_document(
        doc_type,
        dict(fields),
        random.Random(seed),
        size=size,
        fmt=fmt,
        exif_orientation=orientation,
    )


_Blob = tuple[bytes, str, bool]
"""(bytes, sha256 hex, shared with other packages)"""


def _blob(data: bytes, *, shared: bool) -> _Blob:
    return data, hashlib.sha256(data).hexdigest(), shared


def _damaged(data: bytes, damage: str | None) -> bytes:
    if damage == "truncated":
        return data[: max(64, len(data) * 11 // 20)]
    if damage == "empty":
        return b""
    if damage == "html":
        return _HTML_PAGE
    return data


class _Renderer:
    """Renders attachments per case (in a process pool) or from a pool of images."""

    def __init__(self, image_size: tuple[int, int], workers: int, pool_k: int, seed: int) -> None:
        self.size = image_size
        self.workers = workers
        self.pool_k = pool_k
        self.seed = seed
        self._procs: Any = None
        self._images: dict[tuple[str, str, int | None], list[_Blob]] = {}

    def __enter__(self) -> _Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._procs is not None:
            if exc[0] is None:
                self._procs.close()
            else:
                self._procs.terminate()
            self._procs.join()
            self._procs = None

    def _map(self, jobs: list[_Job]) -> list[bytes]:
        if self.workers <= 1 or len(jobs) < 4:
            return [_render_job(j) for j in jobs]
        if self._procs is None:
            method = _start_method()
            if method is None:
                return [_render_job(j) for j in jobs]
            self._procs = multiprocessing.get_context(method).Pool(self.workers)
        result: list[bytes] = self._procs.map(_render_job, jobs, chunksize=1)
        return result

    def _pool_variants(self, atts: Sequence[_Att]) -> None:
        keys = {(a.doc_type, a.fmt, a.orientation) for a in atts} - set(self._images)
        jobs: list[_Job] = []
        order: list[tuple[str, str, int | None]] = []
        for key in sorted(keys, key=repr):
            doc_type, fmt, orientation = key
            count = (
                self.pool_k if (fmt, orientation) == ("JPEG", None) else max(1, self.pool_k // 4)
            )
            portrait = doc_type != "divorce_certificate"
            for k in range(count):
                digest = hashlib.sha256(f"{self.seed}:{key!r}:{k}".encode()).digest()
                seed = int.from_bytes(digest[:8], "big") >> 1
                jobs.append(
                    (doc_type, (), seed, _sizes(self.size, portrait, fmt), fmt, orientation)
                )
                order.append(key)
        for key, data in zip(order, self._map(jobs), strict=True):
            self._images.setdefault(key, []).append(_blob(data, shared=True))

    def render(self, atts: Sequence[_Att]) -> list[_Blob]:
        if self.pool_k > 0:
            self._pool_variants(atts)
            out = []
            for a in atts:
                choices = self._images[(a.doc_type, a.fmt, a.orientation)]
                chosen = choices[a.seed % len(choices)]
                if a.damage is None:
                    out.append(chosen)
                else:
                    out.append(_blob(_damaged(chosen[0], a.damage), shared=False))
            return out
        wanted = [a for a in atts if a.damage not in ("empty", "html")]
        jobs = [
            (
                a.doc_type,
                a.fields,
                a.seed,
                _sizes(self.size, a.portrait, a.fmt),
                a.fmt,
                a.orientation,
            )
            for a in wanted
        ]
        rendered = iter(self._map(jobs))
        return [
            _blob(
                _damaged(b"" if a.damage in ("empty", "html") else next(rendered), a.damage),
                shared=False,
            )
            for a in atts
        ]


def _package(plan: _Plan, blobs: Sequence[_Blob]) -> DemoPackage:
    files: dict[str, bytes] = {}
    shared: set[str] = set()
    attachments = []
    for a, (data, digest, is_shared) in zip(plan.atts, blobs, strict=True):
        files[a.path] = data
        if is_shared:
            shared.add(a.path)
        attachments.append(
            {
                "label": a.label,
                "path": a.path,
                "media_type": "image/png" if a.fmt == "PNG" else "image/jpeg",
                "sha256": digest,
            }
        )
    manifest = dict(plan.manifest)
    manifest["attachments"] = attachments
    return DemoPackage(
        plan.index,
        str(manifest["submission_id"]),
        manifest,
        files,
        plan.problems,
        plan.problem,
        frozenset(shared),
    )


def pool_size(n_cases: int, image_pool: int | None) -> int:
    """The effective image pool: ``image_pool``, or the default for ``n_cases``."""
    if image_pool is not None:
        return max(0, image_pool)
    if n_cases > POOL_THRESHOLD:
        return DEFAULT_POOL
    return MIXED_POOL if n_cases > PERSONAL_CASES else 0


def personal_cases(n_cases: int, image_pool: int | None) -> int:
    """How many leading cases get photos of their own (the rest use the pool)."""
    if image_pool is not None or n_cases > POOL_THRESHOLD:
        return 0 if pool_size(n_cases, image_pool) else n_cases
    return min(n_cases, PERSONAL_CASES)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def generate(
    n_cases: int,
    seed: int,
    *,
    admission_year: int = 2026,
    image_pool: int | None = None,
    image_size: tuple[int, int] = DEFAULT_IMAGE_SIZE,
    workers: int | None = None,
    city: str = "南昌市",
    first: int = 0,
    stop: int | None = None,
) -> Iterator[DemoPackage]:
    """Yield ``n_cases`` demo packages, deterministic for ``seed`` (see the module doc).

    ``image_pool``: render only this many images per document type and variant and reuse
    them (0 = render every attachment for its case). Default: photos of their own for the
    first :data:`PERSONAL_CASES` cases and a pool of :data:`MIXED_POOL` for the rest, up to
    300 cases; a pool of 8 above that.
    ``image_size`` is the photo size (long side × short side; 4000×3000 = 12 MP).
    ``workers``: rendering processes (default: up to 2).
    ``first``/``stop``: only the cases with these indices (the cases are the same as in a
    whole run: the window's first start imports a small batch at once and the rest later).
    """
    if n_cases < 0:
        raise ValueError("n_cases must not be negative")
    pool_k = pool_size(n_cases, image_pool)
    personal = personal_cases(n_cases, image_pool)
    world = _World(seed, city, admission_year, n_cases)
    if first > 0:
        world.plan(first - 1)  # a paired problem refers to the case before it
    with _Renderer(
        image_size, workers if workers is not None else default_workers(), pool_k, seed
    ) as r:
        end = n_cases if stop is None else min(stop, n_cases)
        for start in range(first, end, CHUNK):
            plans = [world.plan(i) for i in range(start, min(end, start + CHUNK))]
            r.pool_k = 0 if start < personal else pool_k
            blobs = r.render([a for p in plans for a in p.atts])
            pos = 0
            for p in plans:
                count = len(p.atts)
                yield _package(p, blobs[pos : pos + count])
                pos += count
