"""Demo case generator: determinism, valid manifests, consistent facts, planted problems."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest

from app.demo.generator import PROBLEMS, DemoPackage, generate, schools_for
from app.domain import AttachmentInfo, CaseFacts, CheckContext, PropertyUse
from app.intake import imaging
from app.intake.package import manifest_to_facts, validate_manifest
from app.policy import checks
from app.policy.checks import age_on
from app.policy.idnumbers import check_id
from app.policy.loader import policy_for

TINY = (160, 120)  # the pipeline is size independent; tiny photos keep this quick
ID_PROBLEMS = {"id_checksum", "id_birthdate"}


@pytest.fixture(scope="module")
def two_hundred() -> list[DemoPackage]:
    # A pool of images keeps 200 cases fast; the manifests are the same either way.
    return list(generate(200, 1, image_pool=2, image_size=TINY))


def _facts(pkg: DemoPackage) -> CaseFacts:
    infos = []
    for a in pkg.manifest["attachments"]:
        data = pkg.files[a["path"]]
        r = imaging.probe(data)
        infos.append(
            AttachmentInfo(
                label=a["label"],
                sha256=a["sha256"],
                media_type=r.media_type,
                size=len(data),
                readable=r.readable,
                reason=r.reason,
                width=r.width,
                height=r.height,
                orientation=r.orientation,
                filename=a["path"],
            )
        )
    return manifest_to_facts(pkg.manifest, infos)


def _findings(pkgs: Sequence[DemoPackage]) -> dict[str, set[str]]:
    """Finding codes per package, with the cross-case context an intake store would give."""
    facts = {p.name: _facts(p) for p in pkgs}
    by_cert: dict[str, list[str]] = defaultdict(list)
    by_student: dict[str, list[str]] = defaultdict(list)
    for name, f in facts.items():
        for prop in f.properties:
            by_cert[prop.cert_number].append(name)
        by_student[f.student.id_number].append(name)
    out: dict[str, set[str]] = {}
    for name, f in facts.items():
        uses = tuple(
            PropertyUse(
                cert_number=prop.cert_number,
                admission_year=facts[other].admission_year,
                student_id_number=facts[other].student.id_number,
                guardian_id_numbers=frozenset(g.id_number for g in facts[other].guardians),
                case_ref=other,
            )
            for prop in f.properties
            for other in by_cert[prop.cert_number]
            if other != name
        )
        others = tuple(o for o in by_student[f.student.id_number] if o != name)
        context = CheckContext(property_uses=uses, other_open_cases_for_student=others)
        found = checks.run_checks(f, policy_for(f.city, f.admission_year), context)
        out[name] = {x.code for x in found}
    return out


def _strip_hashes(manifest: dict[str, object]) -> dict[str, object]:
    stripped = dict(manifest)
    atts = manifest["attachments"]
    assert isinstance(atts, list)
    stripped["attachments"] = [{k: v for k, v in a.items() if k != "sha256"} for a in atts]
    return stripped


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes_and_different_seed_differs() -> None:
    a = list(generate(5, 5, image_size=TINY, workers=1))
    b = list(generate(5, 5, image_size=TINY, workers=2))  # worker processes change nothing
    assert [p.manifest for p in a] == [p.manifest for p in b]
    assert [p.files for p in a] == [p.files for p in b]
    c = list(generate(5, 6, image_size=TINY, image_pool=1))
    assert [p.manifest for p in a] != [p.manifest for p in c]
    assert a[0].files != c[0].files


def test_image_pool_keeps_the_manifests_and_shares_the_bytes() -> None:
    own = list(generate(4, 9, image_size=TINY))
    pooled = list(generate(4, 9, image_size=TINY, image_pool=2))
    assert [_strip_hashes(p.manifest) for p in own] == [_strip_hashes(p.manifest) for p in pooled]
    assert all(not p.shared_files for p in own)
    shared = [p.files[f] for p in pooled for f in p.shared_files]
    assert len(shared) > len({id(b) for b in shared})  # the same bytes objects reused


@pytest.mark.slow
def test_a_prefix_of_a_run_is_the_same_cases() -> None:
    short = [p.manifest for p in generate(205, 4, image_pool=1, image_size=TINY)]
    long = [p.manifest for p in generate(215, 4, image_pool=1, image_size=TINY)]
    assert short == long[:205]


# --------------------------------------------------------------------------- content


def test_every_manifest_validates_and_attachments_match_files(
    two_hundred: list[DemoPackage],
) -> None:
    assert len(two_hundred) == 200
    assert len({p.name for p in two_hundred}) == 200
    for p in two_hundred:
        validate_manifest(p.manifest)
        paths = [a["path"] for a in p.manifest["attachments"]]
        assert sorted(paths) == sorted(p.files)
        assert all(path.startswith("img/") for path in paths)


def test_ids_are_valid_except_the_planted_ones(two_hundred: list[DemoPackage]) -> None:
    for p in two_hundred:
        m = p.manifest
        numbers = [m["student"]["id_number"]]
        numbers += [g["id_number"] for g in m["guardians"]]
        numbers += [g["id_number"] for g in m.get("grandparents", [])]
        if "rural_house" in m:
            numbers.append(m["rural_house"]["owner_id_number"])
        invalid = [n for n in numbers if not check_id(n).valid]
        if p.problem in ID_PROBLEMS:
            assert len(invalid) == 1, p.name
        else:
            assert invalid == [], (p.name, invalid)


def test_ages_fit_the_stage_and_the_family(two_hundred: list[DemoPackage]) -> None:
    for p in two_hundred:
        m = p.manifest
        if m["admission_year"] != 2026 or p.problem in ("age_young", "age_old"):
            continue
        child = check_id(m["student"]["id_number"]).birth_date
        assert child is not None
        age = age_on(child, dt.date(2026, 8, 31))
        assert age in ((6, 7) if m["stage"] == "primary" else (12,)), (p.name, age)
        if p.problem not in ID_PROBLEMS | {"id_region"}:
            for g in m["guardians"]:
                born = check_id(g["id_number"]).birth_date
                assert born is not None
                assert 25 <= age_on(born, child) <= 45, (p.name, g)
        if p.problem != "grandparent_gap":
            for g in m.get("grandparents", []):
                born = check_id(g["id_number"]).birth_date
                assert born is not None
                assert 45 <= age_on(born, child) <= 70, (p.name, g)


def test_places_schools_and_dates_are_consistent(two_hundred: list[DemoPackage]) -> None:
    for p in two_hundred:
        m = p.manifest
        assert m["city"] == "南昌市"
        assert m["school"] in schools_for(m["district"], m["stage"])
        if m["stage"] == "primary":
            assert m["school"].endswith(("小学", "学校")), m["school"]
        else:
            assert "中学" in m["school"] or "初中" in m["school"], m["school"]
        when = dt.datetime.fromisoformat(m["submitted_at"])
        assert when.utcoffset() == dt.timedelta(hours=8)
        assert (when.year, when.month) == (m["admission_year"], 6) and when.day <= 16
        for prop in m.get("properties", []):
            if p.problem != "cert_after_cutoff":
                assert prop["issue_date"] <= f"{m['admission_year']}-05-31"
        own_home = m["kind"] == "guardianship" and m["residence_basis"] == "父母房产"
        if own_home and p.problem != "property_reused":
            assert m["properties"][0]["address"].startswith(f"南昌市{m['district']}")


def test_kinds_stages_and_image_variants_are_realistic(two_hundred: list[DemoPackage]) -> None:
    kinds = Counter(p.kind for p in two_hundred)
    assert 0.35 <= kinds["guardianship"] / 200 <= 0.55
    assert 0.20 <= kinds["rural_house"] / 200 <= 0.40
    assert 0.15 <= kinds["kinship"] / 200 <= 0.35
    stages = Counter(p.manifest["stage"] for p in two_hundred)
    assert 0.05 <= stages["junior"] / 200 <= 0.30
    atts = [a for p in two_hundred for a in p.manifest["attachments"]]
    pngs = sum(a["media_type"] == "image/png" for a in atts)
    assert 0.04 <= pngs / len(atts) <= 0.18
    assert {a["label"] for a in atts} >= {"离婚证", "户口簿首页", "户口簿本人页", "出生医学证明"}


def test_exif_orientation_variants_are_present() -> None:
    pkgs = list(generate(12, 2, image_pool=2, image_size=TINY))
    orientations = Counter(
        imaging.probe(data).orientation for p in pkgs for data in p.files.values()
    )
    assert orientations[6] + orientations[8] > 0


# --------------------------------------------------------------------------- problems


def test_every_finding_code_is_planted_and_clean_cases_are_clean(
    two_hundred: list[DemoPackage],
) -> None:
    found = _findings(two_hundred)
    seen = set().union(*found.values())
    assert seen == set(checks.FINDING_CODES)
    for p in two_hundred:
        assert found[p.name] == set(p.problems), (p.name, p.problem)
    planted = [p for p in two_hundred if p.problem]
    assert {p.problem for p in planted} == set(PROBLEMS)
    assert 0.05 <= sum(1 for p in two_hundred if p.problems) / 200 <= 0.15


@pytest.mark.slow
def test_problems_do_not_depend_on_the_seed() -> None:
    for seed in (2, 3):
        pkgs = list(generate(200, seed, image_pool=1, image_size=TINY))
        found = _findings(pkgs)
        assert set().union(*found.values()) == set(checks.FINDING_CODES), seed


def test_unreadable_attachments_are_really_unreadable(two_hundred: list[DemoPackage]) -> None:
    damaged = {p.problem: p for p in two_hundred if p.problem and p.problem.startswith("image_")}
    assert set(damaged) == {"image_truncated", "image_empty", "image_html"}
    assert b"" in damaged["image_empty"].files.values()
    assert any(d.startswith(b"<!DOCTYPE html") for d in damaged["image_html"].files.values())
    for p in damaged.values():
        assert any(not imaging.probe(d).readable for d in p.files.values())
