"""Demo attachments: phone photos (and a few flat scans) of Chinese enrollment documents.

``render_document`` draws one document page with Pillow at a moderate resolution, then
"photographs" it: the page lies on a table texture with a soft shadow, it is rotated a
few degrees and seen in perspective, lighting is uneven, the sensor adds noise, and the
result is a JPEG of about 12 megapixels (``size=(4000, 3000)``).  With ``fmt="PNG"`` the
default is a flat, nearly straight "scan" instead.

Everything is deterministic for the state of the ``rng`` passed in: all randomness comes
from Python's ``random`` (never from ``Image.effect_noise``, whose C ``rand()`` is not
seeded), and Pillow's drawing and encoders are deterministic.

Field keys (all optional; a missing key gets a plausible default drawn from ``rng``;
dates are ISO ``YYYY-MM-DD`` strings, IDs are 18-character resident ID numbers):

Shared by every type
    ``province`` (江西省), ``city`` (南昌市), ``district`` (e.g. 新建区; also picks the
    ID region code and the court code), ``date`` (the date the document was issued or
    registered).
People
    ``father_name``, ``father_id``, ``mother_name``, ``mother_id``, ``child_name``,
    ``child_id``, ``child_sex`` (男/女; default from ``child_id``), ``child_birth``
    (default from ``child_id``).

``divorce_certificate`` (离婚证)
    parents, ``holder`` (``father``/``mother``: 持证人), ``cert_number`` (离婚证字号),
    ``registry`` (登记机关, default ``{city}{district}民政局``).
``court_judgment`` (法院判决书)
    parents, child, ``custodian`` (``father``/``mother``), ``case_number``
    (e.g. ``(2023)赣0112民初1234号``), ``court``, ``judge``, ``child_support`` (yuan/month).
``divorce_agreement`` (离婚协议书)
    parents, child, ``custodian``, ``marriage_date``, ``child_support``.
``hukou_home`` (户口簿首页)
    ``householder_name``, ``household_number`` (户号), ``household_type`` (户别),
    ``address`` (住址), ``police_station``, ``clerk`` (承办人).
``hukou_person`` (户口簿本人页)
    ``name``, ``id_number``, ``sex``, ``relation`` (户主或与户主关系), ``birth_date``,
    ``birth_place``, ``native_place``, ``ethnicity``, ``address``, ``police_station``,
    ``clerk``.  Defaults describe the child.
``rural_house_proof`` (村委会证明)
    ``owner_name``, ``owner_id``, ``address``, ``town``, ``village``, ``built_year``,
    ``area`` (m²), ``owner_relation`` (the owner's relation to the child, e.g. 祖父).
``homestead_cert`` (宅基地证)
    ``owner_name``, ``owner_id``, ``address``, ``land_number``, ``area``, ``cert_number``.
``demolition_agreement`` (拆迁安置协议)
    ``owner_name``, ``owner_id``, ``address``, ``area``, ``compensation``,
    ``resettlement_address``, ``agreement_number``.
``birth_certificate`` (出生医学证明)
    parents, child, ``birth_time`` (HH:MM), ``hospital``; ``date`` defaults to a few
    days after the birth,
    ``cert_number`` (e.g. ``Q360012345``), ``weight`` (g), ``length`` (cm).
``kinship_proof`` (亲属关系证明)
    parents, child, ``grandparent_name``, ``grandparent_id``, ``grandparent_relation``
    (祖父/祖母/外祖父/外祖母), ``issuer`` (a 派出所 or 社区居民委员会).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import random
from collections.abc import Callable, Mapping, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

from resources import FONT_PATH

__all__ = ["DOC_LABELS", "DOC_TYPES", "label_for", "render_document", "render_page"]

DOC_LABELS: Mapping[str, str] = {
    "divorce_certificate": "离婚证",
    "court_judgment": "法院判决书",
    "divorce_agreement": "离婚协议书",
    "hukou_home": "户口簿首页",
    "hukou_person": "户口簿本人页",
    "rural_house_proof": "村委会证明",
    "homestead_cert": "宅基地证",
    "demolition_agreement": "拆迁安置协议",
    "birth_certificate": "出生医学证明",
    "kinship_proof": "亲属关系证明",
}
"""The attachment label each document type is uploaded as."""

DOC_TYPES: tuple[str, ...] = tuple(DOC_LABELS)

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]
Point = tuple[float, float]

INK: RGB = (28, 28, 30)
SEAL_RED: RGB = (214, 32, 40)
EXIF_ORIENTATION_TAG = 0x0112
_ORIENTATION_STORE = {
    1: None,
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,  # exif_transpose applies ROTATE_270 to undo it
    8: Image.Transpose.ROTATE_270,
}


def label_for(doc_type: str) -> str:
    """The attachment label (e.g. 离婚证) a document type corresponds to."""
    try:
        return DOC_LABELS[doc_type]
    except KeyError:
        raise ValueError(f"unknown document type: {doc_type!r}") from None


# --------------------------------------------------------------------------- fonts/text


@functools.lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size, index=0)


_NO_LINE_START = set("，。；：、）》”！？,.;:)")


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str, size: int) -> float:
    return _font(size).getlength(ch)


def _tokens(text: str) -> list[str]:
    """CJK characters one by one; runs of ASCII letters/digits stay together."""
    out: list[str] = []
    for ch in text:
        if (
            out
            and ch.isascii()
            and ch.isalnum()
            and out[-1][-1].isascii()
            and out[-1][-1].isalnum()
        ):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _wrap(text: str, size: int, width: float, indent: int = 0) -> list[str]:
    """Greedy wrap for CJK text; closing punctuation may hang past the margin and
    numbers (ID numbers, amounts) are not split."""
    lines: list[str] = []
    line = "\u3000" * indent
    used = indent * _char_width("\u3000", size)
    for tok in _tokens(text):
        tw = sum(_char_width(c, size) for c in tok)
        if line and used + tw > width and tok not in _NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += tok
        used += tw
    if line:
        lines.append(line)
    return lines


# --------------------------------------------------------------------------- defaults

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蔡蒋余熊"
_GIVEN_M = "伟强磊军洋勇杰涛明超华建国平刚文辉鹏飞斌志峰俊浩宇轩博"
_GIVEN_F = "芳娜敏静丽艳娟霞秀英玲红燕萍婷雪琳慧晶颖丹倩欣怡"
_GIVEN_C = "子梓浩宇轩涵欣怡若一诺沐辰依晨思睿泽佳语彤可馨"
_DISTRICTS = {
    "东湖区": "360102",
    "西湖区": "360103",
    "青云谱区": "360104",
    "青山湖区": "360111",
    "新建区": "360112",
    "红谷滩区": "360113",
    "南昌县": "360121",
    "安义县": "360123",
    "进贤县": "360124",
}
_TOWNS = ["长堎镇", "望城镇", "生米镇", "石岗镇", "松湖镇", "西山镇", "塘南镇", "莲塘镇"]
_VILLAGES = ["东山村", "前进村", "新丰村", "杨家村", "河湾村", "龙岗村", "桥头村", "上湾村"]
_ROADS = ["解放西路", "北京东路", "民德路", "青山南路", "上海路", "井冈山大道", "丰和中大道"]
_HOSPITALS = ["江西省妇幼保健院", "南昌大学第一附属医院", "南昌市第三医院", "江西省人民医院"]
_ETHNIC = ["汉族"] * 12 + ["回族", "畲族"]
_PHONES = ["Xiaomi", "HUAWEI", "OPPO", "vivo", "Apple"]
_MODELS = {
    "Xiaomi": "Redmi Note 12",
    "HUAWEI": "NOVA 11",
    "OPPO": "Reno10",
    "vivo": "V2309A",
    "Apple": "iPhone 13",
}
_CN_DIGITS = "〇一二三四五六七八九"


def _id_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return "10X98765432"[total % 11]


def make_id_number(region: str, birth: dt.date, male: bool, rng: random.Random) -> str:
    """A well-formed 18-character resident ID (region, birth date, sex, check digit)."""
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + _id_check(body)


def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _id_birth(id_number: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def _cn_date(value: str) -> str:
    d = _parse_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


def _cn_date_padded(value: str) -> str:
    d = _parse_date(value)
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _cn_number(n: int) -> str:
    if n < 10:
        return "〇一二三四五六七八九"[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + ("" if ones == 0 else _CN_DIGITS[ones])


def _cn_numeral_date(value: str) -> str:
    d = _parse_date(value)
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"


def _rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class _Fields:
    """Caller fields with lazily generated, mutually consistent defaults."""

    def __init__(self, given: Mapping[str, str], rng: random.Random) -> None:
        self._given = dict(given)
        self._cache: dict[str, str] = {}
        self.rng = rng
        self._defaults: dict[str, Callable[[], str]] = {
            "province": lambda: "江西省",
            "city": lambda: "南昌市",
            "district": lambda: rng.choice(sorted(_DISTRICTS)),
            "date": lambda: _rand_date(rng, dt.date(2019, 3, 1), dt.date(2024, 5, 20)).isoformat(),
            "father_name": lambda: self._name(rng.choice(_SURNAMES), _GIVEN_M),
            "mother_name": lambda: self._name(rng.choice(_SURNAMES), _GIVEN_F),
            "father_id": lambda: self._adult_id(male=True),
            "mother_id": lambda: self._adult_id(male=False),
            "child_sex": self._child_sex,
            "child_name": lambda: self._name(self["father_name"][0], _GIVEN_C),
            "child_id": self._child_id,
            "child_birth": self._child_birth,
            "holder": lambda: rng.choice(["father", "mother"]),
            "custodian": lambda: rng.choice(["father", "mother", "mother"]),
            "child_support": lambda: str(rng.choice([800, 1000, 1200, 1500, 2000])),
            "marriage_date": lambda: _rand_date(
                rng, dt.date(2006, 1, 1), dt.date(2013, 12, 31)
            ).isoformat(),
            "cert_number": lambda: f"L{self.region}-{self.year}-{rng.randrange(1, 3000):06d}",
            "registry": lambda: f"{self['city']}{self['district']}民政局",
            "court": lambda: f"{self['province']}{self['city']}{self['district']}人民法院",
            "case_number": lambda: (
                f"({self.year}){self.court_code}民初{rng.randrange(100, 9999)}号"
            ),
            "judge": lambda: self._name(rng.choice(_SURNAMES), _GIVEN_F + _GIVEN_M),
            "clerk": lambda: self._name(rng.choice(_SURNAMES), _GIVEN_F + _GIVEN_M),
            "police_station": lambda: (
                f"{self['city']}公安局{self['district'].rstrip('区县')}分局"
                f"{rng.choice(['长堎', '八一', '公园', '新村', '站前', '青云'])}派出所"
            ),
            "address": self._address,
            "householder_name": lambda: self["father_name"],
            "household_number": lambda: f"{rng.randrange(10**8, 10**9)}",
            "household_type": lambda: rng.choice(["家庭户", "非农业家庭户", "农业家庭户"]),
            "name": lambda: self["child_name"],
            "id_number": lambda: self["child_id"],
            "sex": lambda: self["child_sex"],
            "birth_date": lambda: self["child_birth"],
            "relation": lambda: "子" if self["child_sex"] == "男" else "女",
            "birth_place": lambda: f"{self['province']}{self['city']}",
            "native_place": lambda: f"{self['province']}{self['city']}",
            "ethnicity": lambda: rng.choice(_ETHNIC),
            "owner_name": lambda: self._name(self["father_name"][0], _GIVEN_M),
            "owner_id": lambda: self._adult_id(male=True, old=True),
            "town": lambda: rng.choice(_TOWNS),
            "village": lambda: rng.choice(_VILLAGES),
            "built_year": lambda: str(rng.randrange(1995, 2016)),
            "area": lambda: str(rng.randrange(90, 260)),
            "land_number": lambda: (
                f"{self.region}-{rng.randrange(1, 30):02d}-{rng.randrange(1, 900):04d}"
            ),
            "compensation": lambda: str(rng.randrange(20, 160) * 10000),
            "resettlement_address": lambda: (
                f"{self['city']}{self['district']}{rng.choice(_TOWNS)}安置小区"
                f"{rng.randrange(1, 30)}栋{rng.randrange(1, 3)}单元{rng.randrange(1, 18)}0{rng.randrange(1, 4)}室"
            ),
            "agreement_number": lambda: (
                f"{self['district'][:2]}征字〔{self.year}〕第{rng.randrange(1, 600):03d}号"
            ),
            "birth_time": lambda: f"{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}",
            "hospital": lambda: rng.choice(_HOSPITALS),
            "weight": lambda: str(rng.randrange(2600, 4200, 10)),
            "length": lambda: str(rng.randrange(47, 54)),
            "grandparent_relation": lambda: rng.choice(["祖父", "祖母", "外祖父", "外祖母"]),
            "grandparent_name": self._grandparent_name,
            "grandparent_id": lambda: self._adult_id(
                male=self["grandparent_relation"] in ("祖父", "外祖父"), old=True
            ),
            "issuer": lambda: rng.choice(
                [
                    self["police_station"],
                    f"{self['district']}{rng.choice(_TOWNS)[:2]}社区居民委员会",
                ]
            ),
        }

    def __getitem__(self, key: str) -> str:
        if key in self._given:
            return self._given[key]
        if key not in self._cache:
            self._cache[key] = self._defaults[key]()
        return self._cache[key]

    def given(self, key: str) -> str | None:
        """The caller's value for ``key``, if any."""
        return self._given.get(key)

    def get(self, key: str, default: Callable[[], str]) -> str:
        """A caller field, or a document-specific default (memoised under ``key``)."""
        if key in self._given:
            return self._given[key]
        if key not in self._cache:
            self._cache[key] = default()
        return self._cache[key]

    # helpers -----------------------------------------------------------------
    @property
    def region(self) -> str:
        return _DISTRICTS.get(self["district"], "360112")

    @property
    def year(self) -> int:
        return _parse_date(self["date"]).year

    @property
    def court_code(self) -> str:
        return f"赣{self.region[2:]}"

    def _name(self, surname: str, pool: str) -> str:
        n = self.rng.choice([1, 2, 2])
        return surname + "".join(self.rng.choice(pool) for _ in range(n))

    def _adult_id(self, *, male: bool, old: bool = False) -> str:
        years = (1948, 1965) if old else (1980, 1992)
        birth = _rand_date(self.rng, dt.date(years[0], 1, 1), dt.date(years[1], 12, 28))
        return make_id_number(self.region, birth, male, self.rng)

    def _child_sex(self) -> str:
        if "child_id" in self._given and len(self._given["child_id"]) >= 17:
            return "男" if int(self._given["child_id"][16]) % 2 else "女"
        return self.rng.choice(["男", "女"])

    def _child_birth(self) -> str:
        birth = _id_birth(self["child_id"])
        if birth is None:
            birth = _rand_date(self.rng, dt.date(2012, 9, 1), dt.date(2018, 8, 31))
        return birth.isoformat()

    def _child_id(self) -> str:
        if "child_birth" in self._given:
            birth = _parse_date(self._given["child_birth"])
        else:
            birth = _rand_date(self.rng, dt.date(2012, 9, 1), dt.date(2018, 8, 31))
        return make_id_number(self.region, birth, self["child_sex"] == "男", self.rng)

    def _address(self) -> str:
        if self.rng.random() < 0.5:
            return (
                f"{self['province']}{self['city']}{self['district']}{self.rng.choice(_ROADS)}"
                f"{self.rng.randrange(1, 800)}号{self.rng.randrange(1, 30)}栋"
                f"{self.rng.randrange(1, 4)}单元{self.rng.randrange(1, 30)}0{self.rng.randrange(1, 4)}室"
            )
        return (
            f"{self['province']}{self['city']}{self['district']}{self['town']}{self['village']}"
            f"{self.rng.choice('东西南北上下')}{self.rng.choice(['组', '湾', '村小组'])}"
            f"{self.rng.randrange(1, 120)}号"
        )

    def _grandparent_name(self) -> str:
        rel = self["grandparent_relation"]
        if rel == "祖父":
            return self._name(self["father_name"][0], _GIVEN_M)
        if rel == "外祖父":
            return self._name(self["mother_name"][0], _GIVEN_M)
        return self._name(self.rng.choice(_SURNAMES), _GIVEN_F)

    def party(self, role: str) -> tuple[str, str]:
        """(name, id) of ``father`` or ``mother``."""
        role = "mother" if role in ("mother", "母亲", "女方") else "father"
        return self[f"{role}_name"], self[f"{role}_id"]


# --------------------------------------------------------------------------- drawing


def _noise_image(
    size: tuple[int, int], rng: random.Random, amp: int, grain: int = 1
) -> Image.Image:
    """Mode "L" noise centred on 128 with +-amp spread, from Python's seeded RNG."""
    w, h = max(1, size[0] // grain), max(1, size[1] // grain)
    raw = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    lut = [128 + (v - 128) * amp // 128 for v in range(256)]
    img = raw.point(lut)
    if grain > 1:
        img = img.resize(size, Image.Resampling.BILINEAR)
    return img


def _add_noise(img: Image.Image, rng: random.Random, amp: int, grain: int = 1) -> Image.Image:
    noise = _noise_image(img.size, rng, amp, grain).convert(img.mode)
    return ImageChops.add(img, noise, 1.0, -128)


class _Page:
    def __init__(self, size: tuple[int, int], paper: RGB, rng: random.Random) -> None:
        self.img = Image.new("RGB", size, paper)
        self.draw = ImageDraw.Draw(self.img)
        self.rng = rng
        self.w, self.h = size

    def text(
        self,
        xy: Point,
        s: str,
        size: int,
        fill: RGB = INK,
        anchor: str = "la",
        bold: bool = False,
    ) -> None:
        self.draw.text(
            xy,
            s,
            font=_font(size),
            fill=fill,
            anchor=anchor,
            stroke_width=1 if bold else 0,
            stroke_fill=fill,
        )

    def length(self, s: str, size: int) -> float:
        return _font(size).getlength(s)

    def paragraph(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        size: int,
        *,
        indent: int = 2,
        leading: float = 1.75,
        fill: RGB = INK,
    ) -> float:
        for line in _wrap(text, size, width, indent):
            self.text((x, y), line, size, fill)
            y += size * leading
        return y

    def guilloche(self, box: Box, color: RGB, lines: int, amp: float, waves: float) -> None:
        x0, y0, x1, y1 = box
        rng = self.rng
        phase = rng.random() * math.tau
        steps = 160
        for i in range(lines):
            base = y0 + (y1 - y0) * (i + 0.5) / lines
            ph = phase + i * 0.45
            pts = [
                (
                    x0 + (x1 - x0) * k / steps,
                    base
                    + amp * math.sin(waves * math.tau * k / steps + ph)
                    + amp * 0.4 * math.sin(3.1 * waves * math.tau * k / steps - ph),
                )
                for k in range(steps + 1)
            ]
            self.draw.line(pts, fill=color, width=1)

    def rosette(self, center: Point, radius: float, color: RGB, petals: int = 12) -> None:
        cx, cy = center
        for ring in range(6):
            r0 = radius * (0.45 + ring * 0.1)
            pts = []
            for k in range(361):
                a = math.radians(k)
                r = r0 * (1 + 0.12 * math.sin(petals * a + ring))
                pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
            self.draw.line(pts, fill=color, width=1)

    def seal(
        self,
        center: Point,
        diameter: int,
        ring_text: str,
        bottom_text: str = "",
        color: RGB = SEAL_RED,
        star: bool = True,
    ) -> None:
        mask = _seal_mask(diameter, ring_text, bottom_text, star)
        self.stamp(mask, center, color, self.rng.uniform(-25, 25))

    def name_stamp(self, center: Point, size: int, name: str) -> None:
        mask = Image.new("L", (size, size), 0)
        d = ImageDraw.Draw(mask)
        d.rectangle((2, 2, size - 3, size - 3), outline=255, width=max(3, size // 18))
        chars = (name + "之印")[:4] if len(name) <= 2 else (name + "印")[:4]
        fs = int(size * 0.36)
        pos = [(0.72, 0.28), (0.72, 0.72), (0.28, 0.28), (0.28, 0.72)]
        for ch, (px, py) in zip(chars, pos, strict=False):
            d.text((size * px, size * py), ch, font=_font(fs), fill=255, anchor="mm")
        self.stamp(mask, center, SEAL_RED, self.rng.uniform(-8, 8))

    def stamp(self, mask: Image.Image, center: Point, color: RGB, angle: float) -> None:
        """Multiply a coloured ink mask onto the page (text under the seal stays visible)."""
        mask = mask.rotate(angle, Image.Resampling.BILINEAR, expand=True)
        patch = _noise_image(mask.size, self.rng, 110, grain=3)
        patch = patch.point([min(255, max(0, 235 + (v - 128) * 13 // 10)) for v in range(256)])
        side = Image.linear_gradient("L").rotate(self.rng.uniform(0, 360)).resize(mask.size)
        lo = self.rng.randrange(110, 200)
        side = side.point([lo + (255 - lo) * v // 255 for v in range(256)])
        patch = ImageChops.multiply(patch, side)
        mask = ImageChops.multiply(mask, patch).filter(ImageFilter.GaussianBlur(0.7))
        alpha = self.rng.uniform(0.78, 0.95)
        mask = mask.point([int(v * alpha) for v in range(256)])
        ink = Image.new("RGB", mask.size, (255, 255, 255))
        ink.paste(color, (0, 0), mask)
        x = int(center[0] - mask.width / 2)
        y = int(center[1] - mask.height / 2)
        box = (x, y, x + mask.width, y + mask.height)
        region = self.img.crop(box)
        self.img.paste(ImageChops.multiply(region, ink), box)

    def signature(self, xy: Point, name: str, size: int, color: RGB = (25, 30, 70)) -> None:
        rng = self.rng
        w = int(size * (len(name) + 1))
        mask = Image.new("L", (w, int(size * 1.8)), 0)
        d = ImageDraw.Draw(mask)
        x = size * 0.3
        for ch in name:
            fs = int(size * rng.uniform(0.9, 1.15))
            d.text((x, size * 0.9 + rng.uniform(-6, 6)), ch, font=_font(fs), fill=255, anchor="lm")
            x += fs * rng.uniform(0.78, 0.92)
        shear = rng.uniform(0.15, 0.3)
        mask = mask.transform(
            mask.size,
            Image.Transform.AFFINE,
            (1, shear, -shear * mask.height / 2, 0, 1, 0),
            Image.Resampling.BILINEAR,
        ).rotate(rng.uniform(-6, 4), Image.Resampling.BILINEAR, expand=True)
        self.img.paste(color, (int(xy[0]), int(xy[1] - mask.height / 2)), mask)

    def thumbprint(self, center: Point, size: int) -> None:
        mask = Image.new("L", (size, int(size * 1.3)), 0)
        d = ImageDraw.Draw(mask)
        cx, cy = size / 2, size * 0.65
        for k in range(1, 12):
            rx, ry = size * 0.045 * k, size * 0.058 * k
            d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=230, width=2)
        clip = Image.new("L", mask.size, 0)
        ImageDraw.Draw(clip).ellipse((2, 2, size - 2, size * 1.3 - 2), fill=255)
        mask = ImageChops.multiply(mask, clip)
        self.stamp(mask, center, (200, 30, 45), self.rng.uniform(-20, 20))

    def underline_field(
        self,
        x: float,
        y: float,
        label: str,
        value: str,
        size: int,
        line_to: float,
        fill: RGB = INK,
        value_fill: RGB = INK,
    ) -> None:
        self.text((x, y), label, size, fill)
        vx = x + self.length(label, size) + size * 0.6
        self.text((vx, y), value, size, value_fill)
        self.draw.line((vx - 6, y + size * 1.25, line_to, y + size * 1.25), fill=fill, width=1)


@functools.lru_cache(maxsize=32)
def _seal_mask(diameter: int, ring_text: str, bottom_text: str, star: bool) -> Image.Image:
    d = diameter
    mask = Image.new("L", (d, d), 0)
    draw = ImageDraw.Draw(mask)
    ring = max(4, d // 26)
    draw.ellipse((2, 2, d - 3, d - 3), outline=255, width=ring)
    c = d / 2
    if star:
        r_out, r_in = d * 0.15, d * 0.06
        pts = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            r = r_out if k % 2 == 0 else r_in
            pts.append((c + r * math.cos(a), c + r * math.sin(a)))
        draw.polygon(pts, fill=255)
    n = len(ring_text)
    if n:
        fs = int(d * (0.125 if n <= 14 else 0.105))
        radius = c - ring - fs * 0.72
        span = min(250.0, 19.0 * n * fs / (d * 0.125))
        font = _font(fs)
        for i, ch in enumerate(ring_text):
            phi = -span / 2 + span * (i + 0.5) / n
            glyph = Image.new("L", (fs * 2, fs * 2), 0)
            ImageDraw.Draw(glyph).text((fs, fs), ch, font=font, fill=255, anchor="mm")
            glyph = glyph.rotate(-phi, Image.Resampling.BILINEAR)
            gx = c + radius * math.sin(math.radians(phi)) - fs
            gy = c - radius * math.cos(math.radians(phi)) - fs
            mask.paste(255, (int(gx), int(gy)), glyph)
    if bottom_text:
        fs = int(d * 0.085)
        draw.text((c, c + d * 0.27), bottom_text, font=_font(fs), fill=255, anchor="mm")
    return mask


def _steel_seal(page: _Page, center: Point, diameter: int) -> None:
    """An embossed (colourless) steel seal: light and dark rings offset by a pixel."""
    cx, cy = center
    r = diameter / 2
    light = (255, 255, 255)
    dark = (120, 120, 120)
    for off, color in ((1.5, light), (-1.5, dark)):
        page.draw.ellipse(
            (cx - r + off, cy - r + off, cx + r + off, cy + r + off), outline=color, width=3
        )
        page.draw.ellipse(
            (cx - r * 0.8 + off, cy - r * 0.8 + off, cx + r * 0.8 + off, cy + r * 0.8 + off),
            outline=color,
            width=2,
        )


# --------------------------------------------------------------------------- documents

A4 = (1240, 1754)


def _paper(rng: random.Random, base: RGB = (247, 246, 241)) -> RGB:
    j = rng.randrange(-5, 4)
    return (base[0] + j, base[1] + j, base[2] + j - rng.randrange(0, 6))


def _divorce_certificate(f: _Fields) -> Image.Image:
    rng = f.rng
    w, h = 1720, 1180
    cover: RGB = (140, 28, 30)
    page = _Page((w, h), cover, rng)
    pink: RGB = (246, 232, 226)
    m = 26
    left = (m, m, w // 2 - 6, h - m)
    right = (w // 2 + 6, m, w - m, h - m)
    for box in (left, right):
        page.draw.rectangle(box, fill=pink)
        page.guilloche(
            (box[0] + 10, box[1] + 10, box[2] - 10, box[3] - 10), (236, 205, 198), 70, 9, 3.0
        )
        page.draw.rectangle(
            (box[0] + 22, box[1] + 22, box[2] - 22, box[3] - 22), outline=(176, 70, 62), width=3
        )
        page.draw.rectangle(
            (box[0] + 30, box[1] + 30, box[2] - 30, box[3] - 30), outline=(196, 110, 98), width=1
        )
    # fold shadow
    for k in range(18):
        shade = 140 + k * 6
        page.draw.line(
            (w // 2 - 6 - k, m, w // 2 - 6 - k, h - m), fill=(shade, shade - 30, shade - 34)
        )
        page.draw.line(
            (w // 2 + 6 + k, m, w // 2 + 6 + k, h - m), fill=(shade, shade - 30, shade - 34)
        )
    brown: RGB = (120, 40, 34)
    lx = left[0] + 90
    page.rosette(((left[0] + left[2]) / 2, 250), 120, (220, 160, 150), 16)
    page.text(((left[0] + left[2]) / 2, 250), "离 婚 证", 86, brown, anchor="mm", bold=True)
    holder_name, _ = f.party(f["holder"])
    y = 460
    rows = [
        ("持证人", holder_name),
        ("登记日期", _cn_date_padded(f["date"])),
        ("离婚证字号", f["cert_number"]),
        ("备    注", ""),
    ]
    for label, value in rows:
        page.underline_field(lx, y, label, value, 36, left[2] - 90, brown, INK)
        y += 110
    page.text((lx, h - 250), "婚姻登记员：", 30, brown)
    page.text((lx + 190, h - 250), f["clerk"], 30, INK)
    page.text((lx, h - 160), f"登记机关：{f['registry']}", 28, brown)
    page.seal((left[2] - 230, h - 300), 300, f"{f['registry']}婚姻登记专用章"[-16:])
    # right page: photo + both parties
    px0, py0 = right[0] + 250, right[1] + 80
    pw, ph = 360, 250
    photo = Image.new("RGB", (pw, ph), (92, 140, 206))
    pd = ImageDraw.Draw(photo)
    for cx, shirt in ((pw * 0.3, (40, 40, 48)), (pw * 0.7, (235, 235, 238))):
        pd.ellipse((cx - 90, 160, cx + 90, ph + 140), fill=shirt)
        pd.rectangle((cx - 18, 140, cx + 18, 175), fill=(222, 184, 158))
        pd.ellipse((cx - 42, 50, cx + 42, 158), fill=(232, 196, 170))
        pd.chord((cx - 46, 38, cx + 46, 120), 180, 360, fill=(36, 30, 28))
    page.img.paste(photo, (px0, py0))
    page.draw.rectangle((px0, py0, px0 + pw, py0 + ph), outline=(250, 250, 250), width=4)
    _steel_seal(page, (px0 + pw, py0 + ph), 150)
    y = py0 + ph + 70
    rx = right[0] + 80
    for role, sex in (("father", "男"), ("mother", "女")):
        name, idn = f.party(role)
        birth = _id_birth(idn) or dt.date(1985, 1, 1)
        page.text((rx, y), "姓名", 30, brown)
        page.text((rx + 90, y), name, 32, INK)
        page.text((rx + 380, y), "性别", 30, brown)
        page.text((rx + 470, y), sex, 32, INK)
        y += 62
        page.text((rx, y), "国籍", 30, brown)
        page.text((rx + 90, y), "中国", 32, INK)
        page.text((rx + 380, y), "出生日期", 30, brown)
        page.text((rx + 510, y), birth.strftime("%Y-%m-%d"), 30, INK)
        y += 62
        page.text((rx, y), "身份证件号", 30, brown)
        page.text((rx + 170, y), idn, 32, INK)
        y += 110
    return page.img


def _court_judgment(f: _Fields) -> Image.Image:
    rng = f.rng
    page = _Page(A4, _paper(rng, (250, 250, 248)), rng)
    w = A4[0]
    mx = 150
    tw = w - 2 * mx
    page.text((w / 2, 150), f["court"], 48, INK, "mm", bold=True)
    page.text((w / 2, 240), "民 事 判 决 书", 60, INK, "mm", bold=True)
    page.text((w - mx, 330), f["case_number"], 30, INK, "rm")
    father, father_id = f.party("father")
    mother, mother_id = f.party("mother")
    plaintiff_is_mother = rng.random() < 0.65
    pl, pl_id, df, df_id = (
        (mother, mother_id, father, father_id)
        if plaintiff_is_mother
        else (father, father_id, mother, mother_id)
    )
    pl_sex, df_sex = ("女", "男") if plaintiff_is_mother else ("男", "女")
    size = 27

    def born(idn: str) -> str:
        b = _id_birth(idn) or dt.date(1986, 1, 1)
        return f"{b.year}年{b.month}月{b.day}日出生"

    paras = [
        f"原告：{pl}，{pl_sex}，{born(pl_id)}，汉族，住{f['address']}，公民身份号码{pl_id}。",
        f"被告：{df}，{df_sex}，{born(df_id)}，汉族，住{f['city']}{f['district']}，公民身份号码{df_id}。",
        f"原告{pl}与被告{df}离婚纠纷一案，本院立案后，依法适用简易程序，公开开庭进行了审理。"
        f"原告{pl}、被告{df}均到庭参加诉讼。本案现已审理终结。",
        "本院认为，原、被告婚后经常发生矛盾，分居至今，夫妻感情确已破裂，经本院调解无效，"
        "原告要求离婚，本院予以准许。关于子女抚养问题，应从有利于子女身心健康出发，"
        "结合父母双方的抚养条件妥善解决。依照《中华人民共和国民法典》第一千零七十九条、"
        "第一千零八十四条、第一千零八十五条之规定，判决如下：",
    ]
    child = f["child_name"]
    kid = "婚生子" if f["child_sex"] == "男" else "婚生女"
    cust, _ = f.party(f["custodian"])
    other = father if cust == mother else mother
    cust_role = "原告" if cust == pl else "被告"
    other_role = "被告" if cust == pl else "原告"
    support = f["child_support"]
    d = _parse_date(f["date"])
    clauses = [
        f"一、准予原告{pl}与被告{df}离婚；",
        f"二、{kid}{child}（{f['child_birth'][:4]}年出生，公民身份号码{f['child_id']}）由{cust_role}{cust}抚养，"
        f"{other_role}{other}自{d.year}年{d.month}月起每月支付抚养费{support}元，至{child}年满十八周岁止；",
        f"三、{other_role}{other}可于每月第一个周末探望{child}一次，{cust_role}{cust}应予协助；",
        f"案件受理费150元，减半收取计75元，由原告{pl}负担。",
        f"如不服本判决，可在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，"
        f"上诉于{f['province']}{f['city']}中级人民法院。",
    ]
    y = 410.0
    for p in paras:
        y = page.paragraph(mx, y, tw, p, size) + 6
    for p in clauses:
        y = page.paragraph(mx, y, tw, p, size) + 6
    y = max(y + 20, 1340.0)
    page.text((w - mx - 330, y), "审  判  员", size)
    page.text((w - mx, y), f["judge"], size, anchor="ra")
    y += 80
    date_text = _cn_numeral_date(f["date"])
    page.text((w - mx, y), date_text, size, anchor="ra")
    page.seal((w - mx - 170, y + 10), 320, f["court"])
    y += 80
    page.text((w - mx - 330, y), "书  记  员", size)
    page.text((w - mx, y), f["clerk"], size, anchor="ra")
    # "本件与原本核对无异" box stamp at the left of the signatures
    mask = Image.new("L", (330, 96), 0)
    ImageDraw.Draw(mask).rectangle((2, 2, 327, 93), outline=255, width=5)
    ImageDraw.Draw(mask).text(
        (165, 48), "本件与原本核对无异", font=_font(34), fill=255, anchor="mm"
    )
    page.stamp(mask, (mx + 190, y - 80), SEAL_RED, rng.uniform(-4, 4))
    page.text((w / 2, A4[1] - 45), "第 3 页 共 3 页", 22, (90, 90, 90), "mm")
    return page.img


def _letter_footer(page: _Page, y: float, unit: str, date: str, seal_text: str, size: int) -> None:
    x = page.w - 170
    page.text((x, y), unit, size, anchor="ra")
    page.text((x - 20, y + size * 2), _cn_date(date), size, anchor="ra")
    cx = x - page.length(unit, size) / 2
    page.seal((cx, y + size), 320, seal_text)


def _divorce_agreement(f: _Fields) -> Image.Image:
    rng = f.rng
    page = _Page(A4, _paper(rng), rng)
    w = A4[0]
    mx = 150
    tw = w - 2 * mx
    size = 29
    page.text((w / 2, 160), "离 婚 协 议 书", 60, INK, "mm", bold=True)
    father, father_id = f.party("father")
    mother, mother_id = f.party("mother")
    y = 270.0
    for label, name, idn in (("男方", father, father_id), ("女方", mother, mother_id)):
        page.text((mx, y), f"{label}：{name}，公民身份号码：{idn}", size)
        y += size * 1.75
        page.text((mx + size * 3, y), f"住址：{f['address']}"[:36], size)
        y += size * 2.2
    child = f["child_name"]
    kid = "婚生子" if f["child_sex"] == "男" else "婚生女"
    cust_name, _ = f.party(f["custodian"])
    cust_label = "女方" if cust_name == mother else "男方"
    other_label = "男方" if cust_label == "女方" else "女方"
    paras = [
        f"男女双方于{_cn_date(f['marriage_date'])}在{f['city']}{f['district']}民政局登记结婚，婚后育有一"
        f"{'子' if f['child_sex'] == '男' else '女'}{child}。因双方性格不合，感情确已破裂，现经双方自愿协商，"
        "达成如下离婚协议：",
        "一、男女双方自愿离婚。",
        f"二、子女抚养：{kid}{child}（公民身份号码：{f['child_id']}）由{cust_label}抚养，随{cust_label}生活，"
        f"抚养权归{cust_label}所有。{other_label}每月支付抚养费人民币{f['child_support']}元，于每月10日前支付，"
        f"至{child}年满十八周岁止。{other_label}在不影响孩子学习、生活的情况下可随时探望。",
        "三、财产处理：双方婚后共同财产已自行分割完毕，现住房屋归"
        f"{cust_label}所有，室内家具家电归{cust_label}所有。",
        "四、债权债务：双方确认婚姻关系存续期间无共同债权债务，如有隐瞒，由隐瞒方自行承担。",
        "五、本协议一式三份，男女双方各执一份，婚姻登记机关存档一份，自婚姻登记机关颁发离婚证之日起生效。",
    ]
    for p in paras:
        y = page.paragraph(mx, y, tw, p, size) + 10
    y += 60
    for i, (label, name) in enumerate((("男方（签名）：", father), ("女方（签名）：", mother))):
        x = mx + i * (tw / 2 + 20)
        page.text((x, y), label, size)
        sx = x + page.length(label, size)
        page.signature((sx, y + size * 0.5), name, 44)
        page.thumbprint((sx + 150, y + 10), 60)
        page.text((x, y + 100), _cn_date(f["date"]), size)
    return page.img


_HUKOU_PAPER: RGB = (224, 237, 242)
_HUKOU_LINE: RGB = (52, 100, 150)


def _hukou_base(f: _Fields) -> _Page:
    page = _Page((1040, 1440), _HUKOU_PAPER, f.rng)
    page.guilloche((0, 0, page.w, page.h), (206, 224, 234), 110, 7, 4.0)
    return page


def _table(
    page: _Page,
    x0: int,
    y0: int,
    widths: Sequence[int],
    rows: Sequence[tuple[int, Sequence[str]]],
    size: int,
) -> int:
    """Draw a ruled form.  Each row: (height, cells); "@label" marks a label cell,
    an empty string merges the cell into its left neighbour."""
    x1 = x0 + sum(widths)
    y = y0
    for height, cells in rows:
        x = x0
        for i, width in enumerate(widths):
            cell = cells[i] if i < len(cells) else ""
            merged_next = i + 1 < len(widths) and (i + 1 >= len(cells) or cells[i + 1] == "")
            if not merged_next:
                page.draw.line((x + width, y, x + width, y + height), fill=_HUKOU_LINE, width=2)
            if cell.startswith("@"):
                page.text((x + 14, y + height / 2), cell[1:], size, _HUKOU_LINE, "lm")
            elif cell:
                span = width
                j = i + 1
                while j < len(widths) and (j >= len(cells) or cells[j] == ""):
                    span += widths[j]
                    j += 1
                lines = _wrap(cell, size + 2, span - 24)
                ly = y + height / 2 - (len(lines) - 1) * (size + 8) / 2
                for line in lines:
                    page.text((x + 14, ly), line, size + 2, INK, "lm")
                    ly += size + 8
            x += width
        y += height
        page.draw.line((x0, y, x1, y), fill=_HUKOU_LINE, width=2)
    page.draw.rectangle((x0, y0, x1, y), outline=_HUKOU_LINE, width=4)
    return y


def _hukou_home(f: _Fields) -> Image.Image:
    page = _hukou_base(f)
    rng = f.rng
    page.text((page.w / 2, 110), "户 口 簿", 58, _HUKOU_LINE, "mm", bold=True)
    page.text((page.w - 90, 110), f"No {rng.randrange(10**7, 10**8)}", 28, (200, 40, 40), "rm")
    widths = [190, 300, 190, 180]
    y = _table(
        page,
        80,
        190,
        widths,
        [
            (110, ["@户    别", f["household_type"], "@户主姓名", f["householder_name"]]),
            (110, ["@户    号", f["household_number"], "", ""]),
            (150, ["@住    址", f["address"], "", ""]),
        ],
        30,
    )
    # seal area
    box_h = 700
    page.draw.rectangle((80, y, 80 + sum(widths), y + box_h), outline=_HUKOU_LINE, width=4)
    page.draw.line((80 + 480, y, 80 + 480, y + box_h), fill=_HUKOU_LINE, width=2)
    page.text((80 + 240, y + 60), "户口登记机关户口专用章", 28, _HUKOU_LINE, "mm")
    page.seal((80 + 240, y + 360), 340, f["police_station"], "户口专用章")
    page.text((80 + 510, y + 60), "承办人签章：", 28, _HUKOU_LINE, "lm")
    page.name_stamp((80 + 700, y + 260), 120, f["clerk"][:2])
    d = _parse_date(f["date"])
    page.text(
        (80 + 520, y + box_h - 80), f"{d.year}  年  {d.month}  月  {d.day}  日", 30, INK, "lm"
    )
    page.text((page.w / 2, page.h - 70), "中华人民共和国公安部监制", 24, _HUKOU_LINE, "mm")
    return page.img


def _hukou_person(f: _Fields) -> Image.Image:
    page = _hukou_base(f)
    page.text((page.w / 2, 100), "常住人口登记卡", 54, _HUKOU_LINE, "mm", bold=True)
    birth = _parse_date(f["birth_date"])
    widths = [150, 230, 190, 60, 250]
    y = _table(
        page,
        70,
        170,
        widths,
        [
            (84, ["@姓名", f["name"], "@户主或与户主关系", "", f["relation"]]),
            (84, ["@曾用名", "", "@性别", "", f["sex"]]),
            (84, ["@出生地", f["birth_place"], "@民族", "", f["ethnicity"].rstrip("族")]),
            (
                92,
                [
                    "@籍贯",
                    f["native_place"],
                    "@出生日期",
                    "",
                    f"{birth.year}年{birth.month}月{birth.day}日",
                ],
            ),
            (100, ["@本市(县)其他住址", "", "", "", ""]),
            (84, ["@宗教信仰", "", "@公民身份号码", f["id_number"], ""]),
            (84, ["@身高", "", "@血型", "", ""]),
            (84, ["@文化程度", "", "@婚姻状况", "", "未婚" if birth.year > 2000 else "已婚"]),
            (84, ["@兵役状况", "", "@服务处所", "", ""]),
            (84, ["@职业", "", "", "", ""]),
            (100, ["@何时由何地迁来本市(县)", "", "", "", ""]),
            (100, ["@何时由何地迁来本址", "", "", "", ""]),
        ],
        24,
    )
    page.text((90, y + 70), "承办人签章：", 28, _HUKOU_LINE, "lm")
    page.name_stamp((330, y + 80), 110, f["clerk"][:2])
    d = _parse_date(f["date"])
    page.text(
        (page.w - 110, y + 70), f"登记日期：{d.year}年{d.month}月{d.day}日", 28, _HUKOU_LINE, "rm"
    )
    page.seal((page.w - 280, y - 180), 300, f["police_station"], "户口专用章")
    return page.img


def _rural_house_proof(f: _Fields) -> Image.Image:
    rng = f.rng
    page = _Page(A4, _paper(rng), rng)
    w = A4[0]
    mx = 160
    size = 34
    page.text((w / 2, 220), "证    明", 72, INK, "mm", bold=True)
    owner = f["owner_name"]
    village = f"{f['district']}{f['town']}{f['village']}"
    addr = (
        f["address"]
        if f["village"] in f["address"]
        else f"{village}{rng.choice('东西南北')}组{rng.randrange(1, 90)}号"
    )
    child = f["child_name"]
    body = [
        f"兹证明{owner}（公民身份号码：{f['owner_id']}）系我村村民，其在本村{addr}建有自建农房一栋，"
        f"该房屋于{f['built_year']}年在其合法取得的宅基地上建设，建筑面积约{f['area']}平方米，"
        f"产权人为{owner}，房屋权属清楚，无争议，目前由其家庭成员居住使用。",
        f"{owner}系学生{child}（公民身份号码：{f['child_id']}）的{f.get('owner_relation', lambda: f.rng.choice(['祖父', '外祖父', '父亲']))}，"
        f"{child}现随其居住于上述房屋。",
        "特此证明。",
    ]
    y = 360.0
    for p in body:
        y = page.paragraph(mx, y, w - 2 * mx, p, size, leading=1.9) + 16
    page.text(
        (mx, y + 20),
        "村委会联系人："
        + f["clerk"]
        + "    联系电话："
        + f"0791-8{rng.randrange(1000000, 9999999)}",
        28,
    )
    unit = f"{f['town']}{f['village']}村民委员会"
    _letter_footer(page, y + 220, unit, f["date"], f"{f['city']}{f['district']}{unit}"[-15:], size)
    return page.img


def _homestead_cert(f: _Fields) -> Image.Image:
    rng = f.rng
    page = _Page((1040, 1440), (238, 240, 222), rng)
    page.guilloche((0, 0, page.w, page.h), (222, 228, 200), 100, 6, 3.5)
    page.text((page.w / 2, 110), "集体土地使用证", 56, (120, 60, 40), "mm", bold=True)
    page.text(
        (page.w / 2, 180),
        f"{f['district'][:2]}集用（{f.year}）第{rng.randrange(100, 9999):05d}号",
        30,
        INK,
        "mm",
    )
    widths = [220, 660]
    y = _table(
        page,
        80,
        240,
        widths,
        [
            (95, ["@土地使用者", f["owner_name"]]),
            (95, ["@身份证号", f["owner_id"]]),
            (130, ["@座    落", f["address"]]),
            (95, ["@地    号", f["land_number"]]),
            (95, ["@地类（用途）", "农村宅基地"]),
            (95, ["@使用权类型", "划拨（集体）"]),
            (95, ["@使用权面积", f"{f['area']} m²"]),
            (95, ["@其中独用面积", f"{f['area']} m²"]),
        ],
        28,
    )
    page.paragraph(
        90,
        y + 50,
        860,
        "根据《中华人民共和国土地管理法》，为保护土地使用权人的合法权益，"
        "对土地使用权人申请登记的本证所列土地权利，经审查核实，准予登记，颁发此证。",
        26,
    )
    gov = f"{f['district']}人民政府"
    page.text((page.w - 120, page.h - 200), gov, 32, INK, "ra")
    page.text((page.w - 120, page.h - 140), _cn_date(f["date"]), 30, INK, "ra")
    page.seal((page.w - 260, page.h - 190), 300, f"{f['city']}{gov}")
    return page.img


def _demolition_agreement(f: _Fields) -> Image.Image:
    rng = f.rng
    page = _Page(A4, _paper(rng), rng)
    w = A4[0]
    mx = 140
    size = 28
    page.text((w / 2, 150), "房屋征收拆迁安置补偿协议", 54, INK, "mm", bold=True)
    page.text((w - mx, 230), f["agreement_number"], 28, INK, "ra")
    office = f"{f['district']}房屋征收与补偿办公室"
    y = 300.0
    for line in (
        f"甲方（征收部门）：{office}",
        f"乙方（被征收人）：{f['owner_name']}    公民身份号码：{f['owner_id']}",
    ):
        page.text((mx, y), line, size)
        y += size * 1.9
    paras = [
        f"因{f['district']}城市建设项目需要，甲方依法对乙方位于{f['address']}的房屋实施征收。"
        "根据《国有土地上房屋征收与补偿条例》及相关规定，甲乙双方经平等协商，达成如下协议：",
        f"一、被征收房屋建筑面积{f['area']}平方米，房屋用途为住宅，产权人为{f['owner_name']}。",
        f"二、乙方选择产权调换安置，安置房屋位于{f['resettlement_address']}。",
        f"三、甲方支付乙方各项补偿费用合计人民币{int(f['compensation']):,}元，"
        "包括搬迁费、临时安置费及奖励费。",
        "四、乙方应在本协议签订之日起三十日内腾空房屋并交甲方拆除。",
        "五、本协议一式四份，甲乙双方各执两份，自双方签字盖章之日起生效。",
    ]
    y += 10
    for p in paras:
        y = page.paragraph(mx, y, w - 2 * mx, p, size) + 8
    y += 80
    page.text((mx, y), "甲方（盖章）：", size)
    page.text((w / 2 + 40, y), "乙方（签字）：", size)
    page.signature((w / 2 + 40 + page.length("乙方（签字）：", size), y + 14), f["owner_name"], 44)
    page.thumbprint((w / 2 + 330, y + 20), 60)
    y += 110
    page.text((mx, y), _cn_date(f["date"]), size)
    page.text((w / 2 + 40, y), _cn_date(f["date"]), size)
    page.seal((mx + 200, y - 60), 300, f"{f['city']}{office}"[-15:])
    return page.img


def _birth_certificate(f: _Fields) -> Image.Image:
    rng = f.rng
    w, h = 1240, 1660
    page = _Page((w, h), (248, 234, 236), rng)
    page.guilloche((0, 0, w, h), (238, 214, 220), 130, 6, 5.0)
    green: RGB = (70, 140, 100)
    for k in range(3):
        page.draw.rectangle(
            (40 + k * 10, 40 + k * 10, w - 40 - k * 10, h - 40 - k * 10), outline=green, width=2
        )
    page.guilloche((60, 60, w - 60, 120), (150, 196, 160), 10, 8, 12.0)
    page.guilloche((60, h - 120, w - 60, h - 60), (150, 196, 160), 10, 8, 12.0)
    page.rosette((w / 2, h / 2 + 100), 330, (242, 220, 226), 18)
    number = f.get("cert_number", lambda: f"Q{f.region[:2]}{rng.randrange(10**7):07d}")
    page.text((w - 100, 160), number, 40, (200, 30, 40), "ra", bold=True)
    page.text((w / 2, 250), "出 生 医 学 证 明", 66, (150, 40, 60), "mm", bold=True)
    page.text((w / 2, 320), "Medical Certificate of Birth", 30, (150, 40, 60), "mm")
    lab: RGB = (110, 60, 70)
    birth = _parse_date(f["child_birth"])
    hh, mm = f["birth_time"].split(":")
    mother, mother_id = f.party("mother")
    father, father_id = f.party("father")
    place = f"{f['province']}{f['city']}{f['district']}"
    rows: list[tuple[str, str, str, str]] = [
        ("新生儿姓名", f["child_name"], "性别", f["child_sex"]),
        ("出生时间", f"{birth.year}年{birth.month}月{birth.day}日{int(hh)}时{int(mm)}分", "", ""),
        ("出生地点", place, "", ""),
        ("出生孕周", f"{rng.randrange(37, 41)}周", "健康状况", "良好"),
        ("体重", f"{f['weight']}克", "身长", f"{f['length']}厘米"),
        (
            "母亲姓名",
            mother,
            "年龄",
            str(max(18, birth.year - (_id_birth(mother_id) or dt.date(1988, 1, 1)).year)),
        ),
        ("国籍", "中国", "民族", "汉族"),
        ("有效身份证件号码", mother_id, "", ""),
        (
            "父亲姓名",
            father,
            "年龄",
            str(max(18, birth.year - (_id_birth(father_id) or dt.date(1986, 1, 1)).year)),
        ),
        ("国籍", "中国", "民族", "汉族"),
        ("有效身份证件号码", father_id, "", ""),
        ("接生机构名称", f["hospital"], "", ""),
    ]
    y = 430
    x0, x2 = 110, 720
    for a, av, b, bv in rows:
        page.text((x0, y), a, 30, lab)
        ax = x0 + page.length(a, 30) + 24
        page.text((ax, y - 2), av, 34, INK)
        page.draw.line(
            (ax - 6, y + 42, (x2 - 30) if b else w - 110, y + 42), fill=(200, 150, 160), width=1
        )
        if b:
            page.text((x2, y), b, 30, lab)
            bx = x2 + page.length(b, 30) + 24
            page.text((bx, y - 2), bv, 34, INK)
            page.draw.line((bx - 6, y + 42, w - 110, y + 42), fill=(200, 150, 160), width=1)
        y += 78
    y += 40
    issued = f.given("date") or (birth + dt.timedelta(days=rng.randrange(2, 40))).isoformat()
    page.text((x0, y), f"签发日期：{_cn_date(issued)}", 30, lab)
    page.text((w - 110, y), f"签发机构：{f['hospital']}", 30, lab, "ra")
    page.seal((w - 330, y - 40), 320, f["hospital"], "出生医学证明专用章")
    return page.img


def _kinship_proof(f: _Fields) -> Image.Image:
    rng = f.rng
    page = _Page(A4, _paper(rng), rng)
    w = A4[0]
    mx = 160
    size = 34
    issuer = f["issuer"]
    page.text((w / 2, 130), issuer, 40, (190, 30, 30), "mm", bold=True)
    page.draw.line((mx - 20, 180, w - mx + 20, 180), fill=(190, 30, 30), width=4)
    page.text((w / 2, 300), "亲 属 关 系 证 明", 62, INK, "mm", bold=True)
    rel = f["grandparent_relation"]
    gp = f["grandparent_name"]
    paternal = rel in ("祖父", "祖母")
    parent, parent_id = f.party("father" if paternal else "mother")
    parent_rel = "儿子" if paternal else "女儿"
    child = f["child_name"]
    gp_sex = "男" if rel in ("祖父", "外祖父") else "女"
    body = [
        f"兹证明：{gp}（{gp_sex}，公民身份号码：{f['grandparent_id']}）与{parent}"
        f"（公民身份号码：{parent_id}）系父母子女关系，{parent}是{gp}的{parent_rel}；",
        f"{parent}与{child}（{f['child_sex']}，公民身份号码：{f['child_id']}）系父母子女关系。",
        f"即{gp}系{child}的{rel}，{child}系{gp}的{'孙' if paternal else '外孙'}"
        f"{'子' if f['child_sex'] == '男' else '女'}。",
        "以上情况经我单位核实属实，特此证明。",
        "（本证明仅用于子女义务教育入学报名）",
    ]
    y = 420.0
    for p in body:
        y = page.paragraph(mx, y, w - 2 * mx, p, size, leading=1.9) + 14
    page.text((mx, y + 20), f"经办人：{f['clerk']}", 30)
    _letter_footer(page, y + 220, issuer, f["date"], issuer[-15:], size)
    return page.img


_RENDERERS: dict[str, Callable[[_Fields], Image.Image]] = {
    "divorce_certificate": _divorce_certificate,
    "court_judgment": _court_judgment,
    "divorce_agreement": _divorce_agreement,
    "hukou_home": _hukou_home,
    "hukou_person": _hukou_person,
    "rural_house_proof": _rural_house_proof,
    "homestead_cert": _homestead_cert,
    "demolition_agreement": _demolition_agreement,
    "birth_certificate": _birth_certificate,
    "kinship_proof": _kinship_proof,
}


def render_page(doc_type: str, fields: Mapping[str, str], rng: random.Random) -> Image.Image:
    """The flat document page (RGB, about 150 dpi), before any photo effects."""
    label_for(doc_type)
    return _RENDERERS[doc_type](_Fields(fields, rng))


# --------------------------------------------------------------------------- photo


def _perspective_coeffs(src: Sequence[Point], dst: Sequence[Point]) -> tuple[float, ...]:
    """Coefficients for Image.transform(PERSPECTIVE) mapping output ``dst`` corners to
    input ``src`` corners (solved by Gaussian elimination, 8x8)."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (u, v), (x, y) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    n = 8
    m = [r + [b] for r, b in zip(rows, rhs, strict=True)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        p = m[col][col]
        for r in range(n):
            if r != col and m[r][col] != 0.0:
                factor = m[r][col] / p
                m[r] = [a - factor * b for a, b in zip(m[r], m[col], strict=True)]
    return tuple(m[i][n] / m[i][i] for i in range(n))


_TABLES: tuple[tuple[RGB, RGB, str], ...] = (
    ((92, 60, 38), (168, 120, 80), "wood"),
    ((120, 84, 52), (196, 150, 104), "wood"),
    ((70, 72, 76), (128, 130, 134), "plain"),
    ((150, 150, 146), (206, 204, 198), "plain"),
    ((40, 42, 46), (84, 86, 92), "plain"),
)


def _table_texture(size: tuple[int, int], rng: random.Random) -> Image.Image:
    dark, light, kind = rng.choice(_TABLES)
    w, h = size
    if kind == "wood":
        grain = _noise_image((max(2, w // 60), h), rng, 128)
        base = grain.resize((w, h), Image.Resampling.BICUBIC).filter(ImageFilter.BoxBlur(1))
        if rng.random() < 0.5:
            base = base.transpose(Image.Transpose.TRANSPOSE).resize((w, h))
    else:
        base = _noise_image((w, h), rng, 50, grain=2).filter(ImageFilter.GaussianBlur(1.2))
    return ImageOps.colorize(base, dark, light)


def _lighting(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Mode "L" multiplier map (255 = unchanged) with a vignette and a side gradient."""
    w, h = size
    vign = Image.radial_gradient("L").resize((w, h), Image.Resampling.BILINEAR)
    strength = rng.uniform(0.18, 0.35)
    vign = vign.point([int(255 - strength * 255 * (v / 255) ** 2) for v in range(256)])
    lin = Image.linear_gradient("L").rotate(rng.uniform(0, 360), Image.Resampling.BILINEAR)
    lin = lin.crop((64, 64, 192, 192)).resize((w, h), Image.Resampling.BILINEAR)
    side = rng.uniform(0.12, 0.28)
    lin = lin.point([int(255 - side * v) for v in range(256)])
    return ImageChops.multiply(vign, lin)


def _white_balance(img: Image.Image, gains: tuple[float, float, float]) -> Image.Image:
    lut: list[int] = []
    for g in gains:
        lut.extend(min(255, int(v * g)) for v in range(256))
    return img.point(lut)


def _photograph(page: Image.Image, size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    dw, dh = page.size
    fit = rng.uniform(0.74, 0.9) * min(w / dw, h / dh)
    angle = math.radians(rng.uniform(1.0, 5.0) * rng.choice([-1, 1]))
    cx = w / 2 + rng.uniform(-0.04, 0.04) * w
    cy = h / 2 + rng.uniform(-0.03, 0.03) * h
    keystone = rng.uniform(0.9, 0.97)
    vertical = rng.random() < 0.75
    jitter = 0.008 * min(w, h)
    half = [(-dw / 2, -dh / 2), (dw / 2, -dh / 2), (dw / 2, dh / 2), (-dw / 2, dh / 2)]
    quad: list[Point] = []
    for x, y in half:
        if vertical and y < 0:
            x *= keystone
        elif not vertical and x < 0:
            y *= keystone
        x, y = x * fit, y * fit
        rx = x * math.cos(angle) - y * math.sin(angle)
        ry = x * math.sin(angle) + y * math.cos(angle)
        quad.append(
            (cx + rx + rng.uniform(-jitter, jitter), cy + ry + rng.uniform(-jitter, jitter))
        )

    gains = (rng.uniform(0.97, 1.03), 1.0, rng.uniform(0.9, 1.0))
    # background at 1/8 resolution: table, shadow of the page, lighting
    sw, sh = max(8, w // 8), max(8, h // 8)
    small_light = _lighting((sw, sh), rng)
    bg = _table_texture((sw, sh), rng)
    shadow = Image.new("L", (sw, sh), 0)
    off = (rng.uniform(-1, 1) * sw * 0.006, sh * 0.008)
    ImageDraw.Draw(shadow).polygon([(x / 8 + off[0], y / 8 + off[1]) for x, y in quad], fill=255)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(2.0, sw / 250)))
    shadow = shadow.point([255 - int(v * 0.45) for v in range(256)])
    bg = ImageChops.multiply(bg, Image.merge("RGB", [ImageChops.multiply(small_light, shadow)] * 3))
    # two-stage upscale: bilinear to half size, then nearest (much cheaper at 12 MP)
    bg = _white_balance(bg, gains).resize((w // 2, h // 2), Image.Resampling.BILINEAR)
    bg = bg.resize((w, h), Image.Resampling.NEAREST)

    # the page: lighting mapped into page coordinates, noise, then scaled near 1:1
    corners = [(0.0, 0.0), (float(dw), 0.0), (float(dw), float(dh)), (0.0, float(dh))]
    lw, lh = max(8, dw // 8), max(8, dh // 8)
    to_light = _perspective_coeffs(
        [(x / 8, y / 8) for x, y in quad], [(x / 8, y / 8) for x, y in corners]
    )
    page_light = small_light.transform(
        (lw, lh), Image.Transform.PERSPECTIVE, to_light, Image.Resampling.BILINEAR
    ).resize((dw, dh), Image.Resampling.BILINEAR)
    doc = ImageChops.multiply(page, Image.merge("RGB", [page_light] * 3))
    doc = _white_balance(doc, gains)
    doc = _add_noise(doc, rng, rng.randrange(5, 10))

    x0 = max(0, int(min(x for x, _ in quad)))
    y0 = max(0, int(min(y for _, y in quad)))
    x1 = min(w, int(math.ceil(max(x for x, _ in quad))) + 1)
    y1 = min(h, int(math.ceil(max(y for _, y in quad))) + 1)
    scale = fit * rng.uniform(0.92, 0.98)
    sdw, sdh = max(1, round(dw * scale)), max(1, round(dh * scale))
    doc = doc.resize((sdw, sdh), Image.Resampling.BILINEAR)
    doc.putalpha(255)
    coeffs = _perspective_coeffs(
        [(0.0, 0.0), (float(sdw), 0.0), (float(sdw), float(sdh)), (0.0, float(sdh))],
        [(x - x0, y - y0) for x, y in quad],
    )
    warped = doc.transform(
        (x1 - x0, y1 - y0), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.NEAREST
    )
    bg.paste(warped, (x0, y0), warped)
    return bg


def _scan(page: Image.Image, size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    out = Image.new("RGB", size, (252, 252, 251))
    margin = 0.02
    fit = min(w * (1 - 2 * margin) / page.width, h * (1 - 2 * margin) / page.height)
    doc = page.resize(
        (max(1, round(page.width * fit)), max(1, round(page.height * fit))),
        Image.Resampling.BILINEAR,
    )
    doc = doc.rotate(
        rng.uniform(-0.8, 0.8), Image.Resampling.BILINEAR, expand=True, fillcolor=(252, 252, 251)
    )
    out.paste(doc, ((w - doc.width) // 2, (h - doc.height) // 2))
    out = _white_balance(out, (1.02, 1.02, 1.02))
    return _add_noise(out, rng, 4)


def render_document(
    doc_type: str,
    fields: Mapping[str, str],
    rng: random.Random,
    *,
    size: tuple[int, int] = (4000, 3000),
    fmt: str = "JPEG",
    exif_orientation: int | None = None,
    quality: int = 85,
    scan: bool | None = None,
) -> bytes:
    """Encoded bytes of a demo attachment showing ``doc_type`` filled with ``fields``.

    ``size`` is the upright (displayed) size.  ``scan`` defaults to ``fmt == "PNG"``: a
    flat scan without perspective; otherwise a phone photo of the page on a table.
    With ``exif_orientation`` 3, 6 or 8 the stored pixels are rotated so that a viewer
    honouring the EXIF Orientation tag (``ImageOps.exif_transpose``) shows ``size``
    upright, as phones do; 1 just writes the tag.  The same ``rng`` state and fields
    always give the same bytes.
    """
    fmt = fmt.upper()
    if fmt not in ("JPEG", "PNG"):
        raise ValueError(f"unsupported format: {fmt!r}")
    if exif_orientation is not None and exif_orientation not in _ORIENTATION_STORE:
        raise ValueError(f"unsupported EXIF orientation: {exif_orientation!r}")
    page_rng = random.Random(rng.getrandbits(64))
    photo_rng = random.Random(rng.getrandbits(64))
    page = render_page(doc_type, fields, page_rng)
    is_scan = fmt == "PNG" if scan is None else scan
    img = _scan(page, size, photo_rng) if is_scan else _photograph(page, size, photo_rng)

    exif = Image.Exif()
    if not is_scan:
        make = photo_rng.choice(_PHONES)
        exif[0x010F] = make
        exif[0x0110] = _MODELS[make]
    if exif_orientation is not None:
        exif[EXIF_ORIENTATION_TAG] = exif_orientation
        transpose = _ORIENTATION_STORE[exif_orientation]
        if transpose is not None:
            img = img.transpose(transpose)
    out = io.BytesIO()
    if fmt == "JPEG":
        img.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    else:
        if len(exif):
            img.save(out, "PNG", compress_level=3, exif=exif.tobytes())
        else:
            img.save(out, "PNG", compress_level=3)
    return out.getvalue()
