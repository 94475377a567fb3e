"""district isolation (per-district facts, blob chunk ownership)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 04:00:00

Students and properties become keyed by district (issue 13); applications follow their
student. Existing rows are carried over:

- Every student that a case reaches gets one row per district of those cases, and every
  application one row per district of its cases; the cases of a district point to their
  district's application. The new ids are uuid5 of (old id, district), so a workstation's
  own store and the central store, each upgraded on its own and each holding only some of
  the districts, name the same district's rows alike (the sync engine matches rows by id).
  Students and applications no case reaches keep their ids and have no district.
- A property certificate used by cases of several districts keeps its row for the
  district that used it first and gets a copy for each other district; each district's
  property uses point to its own row. A property no use points to is dropped (no case
  shows it, and a property now belongs to a district).
- ``blob_chunks.received_at``: existing chunks count as received at the upgrade.

Downgrade merges them back: one student per ID number (its applications merged per year
and stage, the cases following), one property per certificate (the uses following).
What one district's package said differently from another's is then lost, as it was
before this revision.

SQLite cannot drop a table's unique constraint in place, and its batch copy cannot drop a
table that other tables' foreign keys point to while those are enforced (they are, and
``PRAGMA foreign_keys`` cannot change inside the upgrade's transaction): such tables are
rebuilt with ``PRAGMA defer_foreign_keys`` and their rows put back after the rename, which
settles the deferred checks.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

import reviewdb.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The namespace of the ids made here (fixed forever: both sides of a sync must agree).
_ID_SPACE = uuid.UUID("5f1d0a8e-3b0c-4f43-9c55-7d1c2a0e0007")

_students = sa.table(
    "students",
    sa.column("id", sa.String),
    sa.column("district_code", sa.String),
    sa.column("id_number", sa.String),
    sa.column("name", sa.String),
    sa.column("hukou_address", sa.String),
)
_applications = sa.table(
    "applications",
    sa.column("id", sa.String),
    sa.column("student_id", sa.String),
    sa.column("city", sa.String),
    sa.column("admission_year", sa.Integer),
    sa.column("stage", sa.String),
    sa.column("residence_basis", sa.String),
)
_cases = sa.table(
    "cases",
    sa.column("id", sa.String),
    sa.column("application_id", sa.String),
    sa.column("district_code", sa.String),
    sa.column("submitted_at", reviewdb.types.UTCDateTime(timezone=True)),
)
_properties = sa.table(
    "properties",
    sa.column("id", sa.Integer),
    sa.column("district_code", sa.String),
    sa.column("cert_type", sa.String),
    sa.column("cert_number", sa.String),
    sa.column("issue_date", sa.Date),
    sa.column("nature", sa.String),
    sa.column("owner_name", sa.String),
    sa.column("owner_id_number", sa.String),
    sa.column("address", sa.String),
    sa.column("non_direct_co_owner", sa.Boolean),
)
_uses = sa.table(
    "property_uses",
    sa.column("id", sa.Integer),
    sa.column("property_id", sa.Integer),
    sa.column("case_id", sa.String),
)

_PROPERTY_FIELDS = (
    "cert_type",
    "cert_number",
    "issue_date",
    "nature",
    "owner_name",
    "owner_id_number",
    "address",
    "non_direct_co_owner",
)


def _new_id(kind: str, old_id: str, district: str) -> str:
    return str(uuid.uuid5(_ID_SPACE, f"{kind}:{old_id}:{district}"))


def _sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


# -- table shapes ---------------------------------------------------------------------


def _student_columns(keyed: bool) -> list[Any]:
    cols: list[Any] = [sa.Column("id", sa.String(length=36), nullable=False)]
    if keyed:
        cols.append(sa.Column("district_code", sa.String(length=12), nullable=True))
    cols += [
        sa.Column("id_number", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("hukou_address", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_students"),
    ]
    if keyed:
        cols += [
            sa.ForeignKeyConstraint(
                ["district_code"], ["districts.code"], name="fk_students_district_code_districts"
            ),
            sa.UniqueConstraint(
                "district_code", "id_number", name="uq_students_district_code_id_number"
            ),
        ]
    else:
        cols.append(sa.UniqueConstraint("id_number", name="uq_students_id_number"))
    return cols


def _property_columns(keyed: bool) -> list[Any]:
    cols: list[Any] = [sa.Column("id", sa.Integer(), nullable=False)]
    if keyed:
        cols.append(sa.Column("district_code", sa.String(length=12), nullable=False))
    cols += [
        sa.Column("cert_type", sa.String(length=16), nullable=False),
        sa.Column("cert_number", sa.String(length=64), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("nature", sa.String(length=8), nullable=False),
        sa.Column("owner_name", sa.String(length=64), nullable=False),
        sa.Column("owner_id_number", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("non_direct_co_owner", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_properties"),
    ]
    if keyed:
        cols += [
            sa.ForeignKeyConstraint(
                ["district_code"],
                ["districts.code"],
                name="fk_properties_district_code_districts",
            ),
            sa.UniqueConstraint(
                "district_code",
                "cert_type",
                "cert_number",
                name="uq_properties_district_code_cert_type_cert_number",
            ),
        ]
    else:
        cols.append(
            sa.UniqueConstraint(
                "cert_type", "cert_number", name="uq_properties_cert_type_cert_number"
            )
        )
    return cols


def _sqlite_rebuild(
    name: str, columns: list[Any], keep: list[str], fill: tuple[str, str] | None = None
) -> None:
    """Rebuild a table others reference (SQLite), keeping its rows' ``keep`` columns.

    The old rows wait in a temporary table while the old table is dropped and the new one
    takes its name; putting them back settles the foreign-key checks the drop deferred.
    ``fill`` is (a new NOT NULL column, the SQL expression over the old row ``h`` giving
    its value); rows it gives NULL for are not put back.
    """
    op.execute("PRAGMA defer_foreign_keys = ON")
    hold, new = f"_rd_hold_{name}", f"_rd_new_{name}"
    op.execute(f"DROP TABLE IF EXISTS temp.{hold}")
    op.execute(f"CREATE TEMP TABLE {hold} AS SELECT * FROM {name}")
    op.create_table(new, *columns)
    op.drop_table(name)
    op.rename_table(new, name)
    cols = ", ".join(keep)
    if fill is None:
        op.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM temp.{hold}")
    else:
        column, expr = fill
        op.execute(
            f"INSERT INTO {name} ({cols}, {column}) SELECT {cols}, rd_fill FROM "
            f"(SELECT h.*, {expr} AS rd_fill FROM temp.{hold} h) WHERE rd_fill IS NOT NULL"
        )
    op.execute(f"DROP TABLE temp.{hold}")


_STUDENT_KEEP = ["id", "id_number", "name", "hukou_address"]
_PROPERTY_KEEP = ["id", *_PROPERTY_FIELDS]
# The district of a property's first use (the smallest use id), NULL when it has none.
_FIRST_USE_DISTRICT = (
    "(SELECT c.district_code FROM property_uses pu JOIN cases c ON c.id = pu.case_id "
    "WHERE pu.property_id = {p}.id ORDER BY pu.id LIMIT 1)"
)


# -- upgrade --------------------------------------------------------------------------


def upgrade() -> None:
    if _sqlite():
        _sqlite_rebuild("students", _student_columns(keyed=True), _STUDENT_KEEP)
    else:
        op.add_column("students", sa.Column("district_code", sa.String(length=12), nullable=True))
        op.drop_constraint("uq_students_id_number", "students", type_="unique")
        op.create_unique_constraint(
            "uq_students_district_code_id_number", "students", ["district_code", "id_number"]
        )
        op.create_foreign_key(
            "fk_students_district_code_districts",
            "students",
            "districts",
            ["district_code"],
            ["code"],
        )
    _split_students()

    if _sqlite():
        fill = ("district_code", _FIRST_USE_DISTRICT.format(p="h"))
        _sqlite_rebuild("properties", _property_columns(keyed=True), _PROPERTY_KEEP, fill)
        op.create_index("ix_properties_cert_number", "properties", ["cert_number"])
    else:
        op.add_column("properties", sa.Column("district_code", sa.String(length=12), nullable=True))
        op.execute(
            "UPDATE properties SET district_code = " + _FIRST_USE_DISTRICT.format(p="properties")
        )
        op.execute("DELETE FROM properties WHERE district_code IS NULL")
        op.alter_column("properties", "district_code", nullable=False)
        op.drop_constraint("uq_properties_cert_type_cert_number", "properties", type_="unique")
        op.create_unique_constraint(
            "uq_properties_district_code_cert_type_cert_number",
            "properties",
            ["district_code", "cert_type", "cert_number"],
        )
        op.create_foreign_key(
            "fk_properties_district_code_districts",
            "properties",
            "districts",
            ["district_code"],
            ["code"],
        )
    _split_properties()

    received = sa.Column(
        "received_at",
        reviewdb.types.UTCDateTime(timezone=True),
        server_default=sa.text("CURRENT_TIMESTAMP"),
        nullable=False,
    )
    if _sqlite():
        # SQLite adds no column with a non-constant default in place; nothing references
        # blob_chunks, so the ordinary batch copy does.
        with op.batch_alter_table("blob_chunks", recreate="always") as batch_op:
            batch_op.add_column(received)
    else:
        op.add_column("blob_chunks", received)


def _split_students() -> None:
    """One student row per (student, district of its cases), one application row per
    (application, district of its cases); the cases follow to their district's rows."""
    conn = op.get_bind()
    pairs = conn.execute(
        sa.select(_applications.c.id, _applications.c.student_id, _cases.c.district_code)
        .join(_cases, _cases.c.application_id == _applications.c.id)
        .distinct()
        .order_by(_applications.c.id, _cases.c.district_code)
    ).all()
    if not pairs:
        return
    student_ids = sorted({s for _a, s, _d in pairs})
    app_ids = sorted({a for a, _s, _d in pairs})
    students = {
        row.id: row
        for start in range(0, len(student_ids), 500)
        for row in conn.execute(
            sa.select(_students).where(_students.c.id.in_(student_ids[start : start + 500]))
        )
    }
    apps = {
        row.id: row
        for start in range(0, len(app_ids), 500)
        for row in conn.execute(
            sa.select(_applications).where(_applications.c.id.in_(app_ids[start : start + 500]))
        )
    }
    new_students: dict[str, dict[str, Any]] = {}
    new_apps: list[dict[str, Any]] = []
    repoint: list[dict[str, Any]] = []
    for app_id, student_id, district in pairs:
        s = students[student_id]
        sid = _new_id("student", student_id, district)
        new_students.setdefault(
            sid,
            {
                "id": sid,
                "district_code": district,
                "id_number": s.id_number,
                "name": s.name,
                "hukou_address": s.hukou_address,
            },
        )
        a = apps[app_id]
        aid = _new_id("application", app_id, district)
        new_apps.append(
            {
                "id": aid,
                "student_id": sid,
                "city": a.city,
                "admission_year": a.admission_year,
                "stage": a.stage,
                "residence_basis": a.residence_basis,
            }
        )
        repoint.append({"old": app_id, "district": district, "new": aid})
    conn.execute(sa.insert(_students), list(new_students.values()))
    conn.execute(sa.insert(_applications), new_apps)
    conn.execute(
        sa.update(_cases)
        .where(
            _cases.c.application_id == sa.bindparam("old"),
            _cases.c.district_code == sa.bindparam("district"),
        )
        .values(application_id=sa.bindparam("new")),
        repoint,
    )
    for start in range(0, len(app_ids), 500):
        conn.execute(
            sa.delete(_applications).where(_applications.c.id.in_(app_ids[start : start + 500]))
        )
    for start in range(0, len(student_ids), 500):
        chunk = student_ids[start : start + 500]
        # A student some untouched application (no case) still names keeps its row.
        conn.execute(
            sa.delete(_students).where(
                _students.c.id.in_(chunk),
                ~sa.exists().where(_applications.c.student_id == _students.c.id),
            )
        )


def _split_properties() -> None:
    """A copy of each property for every further district that used it; uses follow."""
    conn = op.get_bind()
    fields = [_properties.c[name] for name in _PROPERTY_FIELDS]
    rows = conn.execute(
        sa.select(
            _uses.c.id.label("use_id"),
            _uses.c.property_id,
            _cases.c.district_code.label("use_district"),
            *fields,
        )
        .join(_cases, _cases.c.id == _uses.c.case_id)
        .join(_properties, _properties.c.id == _uses.c.property_id)
        .where(_cases.c.district_code != _properties.c.district_code)
        .order_by(_uses.c.property_id, _uses.c.id)
    ).all()
    if not rows:
        return
    # Ids given here, past the largest (a sequence is not trusted to be ahead of rows
    # inserted with their ids); PostgreSQL's sequence is moved past them afterwards.
    next_id = int(conn.execute(sa.select(sa.func.max(_properties.c.id))).scalar() or 0)
    copies: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row.property_id, row.use_district)
        if key not in copies:
            next_id += 1
            values = {name: getattr(row, name) for name in _PROPERTY_FIELDS}
            conn.execute(
                sa.insert(_properties).values(id=next_id, district_code=row.use_district, **values)
            )
            copies[key] = next_id
        conn.execute(
            sa.update(_uses).where(_uses.c.id == row.use_id).values(property_id=copies[key])
        )
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('properties', 'id'), "
                "(SELECT max(id) FROM properties))"
            )
        )


# -- downgrade ------------------------------------------------------------------------


def downgrade() -> None:
    if _sqlite():
        with op.batch_alter_table("blob_chunks", recreate="always") as batch_op:
            batch_op.drop_column("received_at")
    else:
        op.drop_column("blob_chunks", "received_at")

    _merge_properties()
    if _sqlite():
        _sqlite_rebuild("properties", _property_columns(keyed=False), _PROPERTY_KEEP)
        op.create_index("ix_properties_cert_number", "properties", ["cert_number"])
    else:
        op.drop_constraint(
            "fk_properties_district_code_districts", "properties", type_="foreignkey"
        )
        op.drop_constraint(
            "uq_properties_district_code_cert_type_cert_number", "properties", type_="unique"
        )
        op.drop_column("properties", "district_code")
        op.create_unique_constraint(
            "uq_properties_cert_type_cert_number", "properties", ["cert_type", "cert_number"]
        )

    _merge_students()
    if _sqlite():
        _sqlite_rebuild("students", _student_columns(keyed=False), _STUDENT_KEEP)
    else:
        op.drop_constraint("fk_students_district_code_districts", "students", type_="foreignkey")
        op.drop_constraint("uq_students_district_code_id_number", "students", type_="unique")
        op.drop_column("students", "district_code")
        op.create_unique_constraint("uq_students_id_number", "students", ["id_number"])


def _merge_properties() -> None:
    """One row per certificate again: the smallest id stays, the uses follow to it."""
    conn = op.get_bind()
    keep: dict[tuple[str, str], int] = {}
    moved: list[dict[str, Any]] = []
    for pid, cert_type, cert_number in conn.execute(
        sa.select(_properties.c.id, _properties.c.cert_type, _properties.c.cert_number).order_by(
            _properties.c.id
        )
    ):
        kept = keep.setdefault((cert_type, cert_number), pid)
        if kept != pid:
            moved.append({"old": pid, "new": kept})
    if not moved:
        return
    conn.execute(
        sa.update(_uses)
        .where(_uses.c.property_id == sa.bindparam("old"))
        .values(property_id=sa.bindparam("new")),
        moved,
    )
    conn.execute(sa.delete(_properties).where(_properties.c.id == sa.bindparam("old")), moved)


def _merge_students() -> None:
    """One row per ID number again (the one of the earliest case stays); each merged
    student's applications join the kept one's of the same year and stage (cases follow)."""
    conn = op.get_bind()
    first_case = (
        sa.select(sa.func.min(_cases.c.submitted_at))
        .join(_applications, _applications.c.id == _cases.c.application_id)
        .where(_applications.c.student_id == _students.c.id)
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.select(_students.c.id, _students.c.id_number, first_case.label("first")).order_by(
            _students.c.id_number
        )
    ).all()
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row.id_number].append(row)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: (r.first is None, r.first or 0, r.id))
        kept, others = members[0].id, [m.id for m in members[1:]]
        kept_apps = {
            (year, stage): aid
            for aid, year, stage in conn.execute(
                sa.select(
                    _applications.c.id, _applications.c.admission_year, _applications.c.stage
                ).where(_applications.c.student_id == kept)
            )
        }
        for aid, year, stage in conn.execute(
            sa.select(_applications.c.id, _applications.c.admission_year, _applications.c.stage)
            .where(_applications.c.student_id.in_(others))
            .order_by(_applications.c.id)
        ).all():
            target = kept_apps.get((year, stage))
            if target is None:
                kept_apps[(year, stage)] = aid
                conn.execute(
                    sa.update(_applications)
                    .where(_applications.c.id == aid)
                    .values(student_id=kept)
                )
                continue
            conn.execute(
                sa.update(_cases)
                .where(_cases.c.application_id == aid)
                .values(application_id=target)
            )
            conn.execute(sa.delete(_applications).where(_applications.c.id == aid))
        conn.execute(sa.delete(_students).where(_students.c.id.in_(others)))
