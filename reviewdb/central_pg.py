"""The central PostgreSQL store's guard: a workstation role that can read its districts and
act only through functions that keep the arbiter's invariants.

Design (the "Security" part of the architecture):

- One NOLOGIN **group role** per database (``group_role_name(dbname)``, e.g.
  ``rdws_reviewdesk``): roles are cluster-wide, so the name follows the database. Each
  district office gets a LOGIN role in that group (:func:`create_login`) and rows in
  ``db_role_districts`` naming the districts it serves.
- The group role has SELECT and nothing else on the tables (no INSERT, UPDATE, DELETE,
  TRUNCATE): it cannot rewrite decisions, claims or either journal. Row-level security
  limits what it reads to cases of its districts and everything hanging off them
  (rounds, facts, attachments, findings, claims, decisions, prints, applications,
  students, property uses, journal entries), users sharing a district and its own
  ``db_role_districts`` rows. Reference tables (districts, schools, blobs, blob chunks,
  change counter, settings, alembic_version) are readable whole. The owner is not
  affected (RLS is enabled, not forced).
- Every write goes through a ``SECURITY DEFINER`` PL/pgSQL function (``rd_*``) with a
  fixed ``search_path``. Each one checks that the case is in a district mapped to
  ``session_user`` (skipped when the caller is a superuser or the tables' owner) and
  that the acting user exists, is not disabled and belongs to that district, then does
  exactly what :mod:`reviewdb.arbiter` does, with the server's clock, and takes the
  change counter last, stamping ``change_seq`` on the rows it touched.
- Only the owner may create objects in schema ``public`` (install revokes CREATE from
  PUBLIC), so nothing a workstation makes can shadow what the definer functions call.
- Refusals are ``RAISE EXCEPTION 'rd:<code>:<text>'`` with a JSON DETAIL; the
  :class:`PgArbiter` wrapper turns them into :class:`reviewdb.arbiter.ArbiterRefusal`.

:func:`install` is idempotent; run it (as the owner) after every ``migrate.upgrade``:
tables added later stay unreadable to workstations until it has run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord

# Tables whose rows belong to a district, and the predicate that says a row is visible.
# MINE is an InitPlan (evaluated once per query), not a per-row function call.
MINE = "(SELECT public.rd_my_districts())::text[]"


def _case_visible(column: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = {column} "
        f"AND rd_c.district_code = ANY ({MINE}))"
    )


def _round_visible(column: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM public.case_rounds rd_r JOIN public.cases rd_c "
        f"ON rd_c.id = rd_r.case_id WHERE rd_r.id = {column} "
        f"AND rd_c.district_code = ANY ({MINE}))"
    )


def _journal_visible(table: str) -> str:
    # An entry about a case follows the case; one without a case (logins, user admin)
    # follows its actor, a username.
    return (
        f"CASE WHEN {table}.case_id IS NOT NULL THEN {_case_visible(f'{table}.case_id')} "
        "ELSE EXISTS (SELECT 1 FROM public.users rd_u JOIN public.user_districts rd_ud "
        f"ON rd_ud.user_id = rd_u.id WHERE rd_u.username = {table}.actor "
        f"AND rd_ud.district_code = ANY ({MINE})) END"
    )


DISTRICT_POLICIES: dict[str, str] = {
    "cases": f"cases.district_code = ANY ({MINE})",
    "case_rounds": _case_visible("case_rounds.case_id"),
    "round_people": _round_visible("round_people.round_id"),
    "custody_facts": _round_visible("custody_facts.round_id"),
    "rural_house_facts": _round_visible("rural_house_facts.round_id"),
    "rentals": _round_visible("rentals.round_id"),
    "residence_permits": _round_visible("residence_permits.round_id"),
    "attachments": _round_visible("attachments.round_id"),
    "findings": _case_visible("findings.case_id"),
    "claims": _case_visible("claims.case_id"),
    "decisions": _case_visible("decisions.case_id"),
    "notice_prints": _case_visible("notice_prints.case_id"),
    "property_uses": _case_visible("property_uses.case_id"),
    "applications": (
        "EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.application_id = applications.id "
        f"AND rd_c.district_code = ANY ({MINE}))"
    ),
    "students": (
        "EXISTS (SELECT 1 FROM public.applications rd_a JOIN public.cases rd_c "
        "ON rd_c.application_id = rd_a.id WHERE rd_a.student_id = students.id "
        f"AND rd_c.district_code = ANY ({MINE}))"
    ),
    "properties": (
        "EXISTS (SELECT 1 FROM public.property_uses rd_pu JOIN public.cases rd_c "
        "ON rd_c.id = rd_pu.case_id WHERE rd_pu.property_id = properties.id "
        f"AND rd_c.district_code = ANY ({MINE}))"
    ),
    "users": (
        "EXISTS (SELECT 1 FROM public.user_districts rd_ud WHERE rd_ud.user_id = users.id "
        f"AND rd_ud.district_code = ANY ({MINE}))"
    ),
    "user_districts": f"user_districts.district_code = ANY ({MINE})",
    "central_journal": _journal_visible("central_journal"),
    "journal": _journal_visible("journal"),
    "db_role_districts": "db_role_districts.role_name = session_user",
}
REFERENCE_TABLES = (
    "districts",
    "schools",
    "blobs",
    "blob_chunks",
    "change_counter",
    "settings",
    "alembic_version",
)
POLICY_NAME = "rd_ws_select"

# Signatures of the functions a workstation may call (GRANT EXECUTE to the group role).
PUBLIC_FUNCTIONS = (
    "rd_my_districts()",
    "rd_claim(text, text, text, double precision)",
    "rd_renew(text, text, bigint, double precision)",
    "rd_release(text, text)",
    "rd_takeover(text, text, text, double precision)",
    "rd_submit_decision(text, text, integer, text, text, text, text, bigint, timestamptz, text, boolean)",
    "rd_confirm(text, text, boolean)",
    "rd_undo(text, text, integer)",
    "rd_resolve_conflict(text, text, text, integer, text, text, text, text, bigint, timestamptz, text)",
    "rd_append_journal(text, bigint, text, text, text, timestamptz, timestamptz, text, text, text, text, text)",
    "rd_record_print(text, text, text, integer, text, text, text, integer, text, text, timestamptz, text)",
    "rd_put_blob_chunk(text, integer, bytea)",
    "rd_complete_blob(text, bigint, text)",
)
# Helpers only the definer functions call.
INTERNAL_FUNCTIONS = (
    "rd_privileged()",
    "rd_fail(text, text, jsonb)",
    "rd_case(text, boolean)",
    "rd_check_user(text, text, text[])",
    "rd_check_lease(double precision)",
    "rd_json(text)",
    "rd_next_change()",
)

MAX_LEASE_SECONDS = 7 * 24 * 3600
MAX_CHUNK_BYTES = 16 * 1024 * 1024
_INSTALL_LOCK = 0x52445F494E5354  # "RD_INST": serialises concurrent installs
_IDENT_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION rd_privileged() RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  -- The tables' owner and superusers act without a district mapping (administration,
  -- intake, tests); every other caller is a workstation login.
  SELECT EXISTS (
    SELECT 1 FROM pg_roles r
    WHERE r.rolname = session_user
      AND (r.rolsuper OR r.oid = (SELECT c.relowner FROM pg_class c
                                   WHERE c.oid = 'public.cases'::regclass)))
$$;

CREATE OR REPLACE FUNCTION rd_my_districts() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(d.district_code::text ORDER BY d.district_code), '{}'::text[])
  FROM db_role_districts d WHERE d.role_name = session_user
$$;

CREATE OR REPLACE FUNCTION rd_fail(p_code text, p_message text, p_detail jsonb DEFAULT '{}')
RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  RAISE EXCEPTION USING
    MESSAGE = 'rd:' || p_code || ':' || p_message,
    DETAIL = coalesce(p_detail, '{}'::jsonb)::text,
    ERRCODE = 'P0001';
END $$;

CREATE OR REPLACE FUNCTION rd_json(p_text text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  RETURN p_text::jsonb;
EXCEPTION WHEN others THEN
  PERFORM rd_fail('invalid', 'not JSON: ' || left(coalesce(p_text, 'NULL'), 80));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rd_check_lease(p_seconds double precision) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF p_seconds IS NULL OR p_seconds <= 0 OR p_seconds > @MAX_LEASE@ THEN
    PERFORM rd_fail('invalid', format('lease of %s seconds refused', p_seconds));
  END IF;
END $$;

CREATE OR REPLACE FUNCTION rd_case(p_case text, p_lock boolean) RETURNS cases
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v cases;
BEGIN
  IF p_lock THEN
    SELECT * INTO v FROM cases WHERE id = p_case FOR UPDATE;
  ELSE
    SELECT * INTO v FROM cases WHERE id = p_case;
  END IF;
  IF NOT FOUND THEN
    PERFORM rd_fail('no_case', format('no case %s', p_case));
  END IF;
  IF NOT rd_privileged() AND NOT (v.district_code = ANY (rd_my_districts())) THEN
    PERFORM rd_fail('not_in_district',
      format('case %s is not in a district of %s', p_case, session_user),
      jsonb_build_object('case_id', p_case));
  END IF;
  RETURN v;
END $$;

CREATE OR REPLACE FUNCTION rd_check_user(p_user text, p_district text, p_roles text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_role text;
  v_disabled boolean;
BEGIN
  SELECT u.role, u.disabled INTO v_role, v_disabled FROM users u WHERE u.id = p_user;
  IF NOT FOUND THEN
    PERFORM rd_fail('not_allowed', format('no user %s', p_user), jsonb_build_object('user_id', p_user));
  END IF;
  IF v_disabled THEN
    PERFORM rd_fail('not_allowed', format('user %s is disabled', p_user), jsonb_build_object('user_id', p_user));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM user_districts ud
                 WHERE ud.user_id = p_user AND ud.district_code = p_district) THEN
    PERFORM rd_fail('not_allowed', format('user %s may not act in district %s', p_user, p_district),
      jsonb_build_object('user_id', p_user, 'district', p_district));
  END IF;
  IF p_roles IS NOT NULL AND NOT (v_role = ANY (p_roles)) THEN
    PERFORM rd_fail('not_allowed', format('a %s may not do this (needs %s)', v_role, array_to_string(p_roles, ' or ')),
      jsonb_build_object('user_id', p_user, 'role', v_role));
  END IF;
END $$;

CREATE OR REPLACE FUNCTION rd_next_change() RETURNS bigint
LANGUAGE sql SET search_path = public, pg_temp AS $$
  UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value
$$;

-- Claims ------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION rd_claim(p_case text, p_user text, p_workstation text,
    p_lease_seconds double precision, OUT token bigint, OUT leased_until timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_case cases;
  v_now timestamptz;
  v_until timestamptz;
  v_token bigint;
  v_holder text;
  v_held timestamptz;
  v_seq bigint;
BEGIN
  PERFORM rd_check_lease(p_lease_seconds);
  v_case := rd_case(p_case, false);
  PERFORM rd_check_user(p_user, v_case.district_code, NULL);
  v_now := clock_timestamp();
  v_until := v_now + make_interval(secs => p_lease_seconds);
  -- One guarded UPDATE wins the lease (a new holder gets token + 1) ...
  UPDATE claims c SET owner_id = p_user, token = c.token + 1, leased_until = v_until,
         claimed_at = v_now, workstation = p_workstation
   WHERE c.case_id = p_case AND (c.owner_id IS NULL OR c.leased_until < v_now)
  RETURNING c.token INTO v_token;
  IF NOT FOUND THEN
    -- ... or the holder's own repeated claim keeps its token and extends the lease.
    UPDATE claims c SET leased_until = v_until, workstation = p_workstation
     WHERE c.case_id = p_case AND c.owner_id = p_user AND c.leased_until >= v_now
    RETURNING c.token INTO v_token;
    IF NOT FOUND THEN
      SELECT u.username, c.leased_until INTO v_holder, v_held
        FROM claims c LEFT JOIN users u ON u.id = c.owner_id WHERE c.case_id = p_case;
      IF NOT FOUND THEN
        PERFORM rd_fail('no_case', format('no claim row for case %s', p_case));
      END IF;
      PERFORM rd_fail('claimed_by_other',
        format('claimed by %s until %s UTC', v_holder,
               to_char(v_held AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')),
        jsonb_build_object('holder', v_holder, 'until', v_held));
    END IF;
  END IF;
  v_seq := rd_next_change();
  UPDATE claims c SET change_seq = v_seq WHERE c.case_id = p_case;
  token := v_token;
  leased_until := v_until;
END $$;

CREATE OR REPLACE FUNCTION rd_renew(p_case text, p_user text, p_token bigint,
    p_lease_seconds double precision, OUT token bigint, OUT leased_until timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_case cases;
  v_now timestamptz;
  v_until timestamptz;
  v_holder text;
  v_held timestamptz;
  v_seq bigint;
BEGIN
  PERFORM rd_check_lease(p_lease_seconds);
  v_case := rd_case(p_case, false);
  PERFORM rd_check_user(p_user, v_case.district_code, NULL);
  v_now := clock_timestamp();
  v_until := v_now + make_interval(secs => p_lease_seconds);
  UPDATE claims c SET leased_until = v_until
   WHERE c.case_id = p_case AND c.owner_id = p_user AND c.token = p_token
     AND c.leased_until >= v_now;
  IF NOT FOUND THEN
    SELECT u.username, c.leased_until INTO v_holder, v_held
      FROM claims c LEFT JOIN users u ON u.id = c.owner_id WHERE c.case_id = p_case;
    PERFORM rd_fail('not_holder', 'the lease is no longer yours',
      jsonb_build_object('holder', v_holder, 'until', v_held));
  END IF;
  v_seq := rd_next_change();
  UPDATE claims c SET change_seq = v_seq WHERE c.case_id = p_case;
  token := p_token;
  leased_until := v_until;
END $$;

CREATE OR REPLACE FUNCTION rd_release(p_case text, p_user text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_case cases;
  v_seq bigint;
BEGIN
  v_case := rd_case(p_case, false);
  PERFORM rd_check_user(p_user, v_case.district_code, NULL);
  UPDATE claims c SET owner_id = NULL, leased_until = NULL
   WHERE c.case_id = p_case AND c.owner_id = p_user;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  v_seq := rd_next_change();
  UPDATE claims c SET change_seq = v_seq WHERE c.case_id = p_case;
  RETURN true;
END $$;

CREATE OR REPLACE FUNCTION rd_takeover(p_case text, p_user text, p_workstation text,
    p_lease_seconds double precision, OUT token bigint, OUT leased_until timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_case cases;
  v_now timestamptz;
  v_until timestamptz;
  v_token bigint;
  v_seq bigint;
BEGIN
  PERFORM rd_check_lease(p_lease_seconds);
  v_case := rd_case(p_case, false);
  PERFORM rd_check_user(p_user, v_case.district_code, ARRAY['supervisor']);
  v_now := clock_timestamp();
  v_until := v_now + make_interval(secs => p_lease_seconds);
  UPDATE claims c SET owner_id = p_user, token = c.token + 1, leased_until = v_until,
         claimed_at = v_now, workstation = p_workstation
   WHERE c.case_id = p_case
  RETURNING c.token INTO v_token;
  IF NOT FOUND THEN
    PERFORM rd_fail('no_case', format('no claim row for case %s', p_case));
  END IF;
  v_seq := rd_next_change();
  UPDATE claims c SET change_seq = v_seq WHERE c.case_id = p_case;
  token := v_token;
  leased_until := v_until;
END $$;

-- Decisions ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION rd_submit_decision(p_id text, p_case text, p_round integer,
    p_outcome text, p_reasons text, p_comment text, p_reviewer text, p_token bigint,
    p_device_time timestamptz, p_workstation text, p_needs_confirmation boolean)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_case cases;
  v_old decisions;
  v_reasons jsonb;
  v_now timestamptz;
  v_fenced boolean;
  v_effective_exists boolean;
  v_accepted boolean;
  v_state text;
  v_seq bigint;
BEGIN
  v_reasons := rd_json(p_reasons);
  IF jsonb_typeof(v_reasons) IS DISTINCT FROM 'object' THEN
    PERFORM rd_fail('invalid', 'reasons must be a JSON object');
  END IF;
  IF p_outcome IS NULL OR p_outcome NOT IN ('approve', 'reject', 'return') THEN
    PERFORM rd_fail('invalid', format('unknown outcome %s', p_outcome));
  END IF;
  -- Locking the case first serialises every decision on it, so the idempotency check,
  -- the fence and the "no effective decision yet" check all see the latest commit.
  v_case := rd_case(p_case, true);
  SELECT * INTO v_old FROM decisions WHERE id = p_id;
  IF FOUND THEN
    IF v_old.case_id = p_case AND v_old.round_no = p_round AND v_old.outcome = p_outcome
       AND v_old.reasons::jsonb = v_reasons AND v_old.comment IS NOT DISTINCT FROM p_comment
       AND v_old.reviewer_id = p_reviewer AND v_old.claim_token = p_token THEN
      RETURN v_old.state;
    END IF;
    PERFORM rd_fail('id_reused',
      format('decision %s arrived twice with different content', p_id),
      jsonb_build_object('decision_id', p_id));
  END IF;
  PERFORM rd_check_user(p_reviewer, v_case.district_code, ARRAY['reviewer', 'supervisor']);
  v_now := clock_timestamp();
  -- The fence: the claim must still carry this reviewer and this token; clearing the
  -- owner in the same UPDATE releases the lease.
  UPDATE claims c SET owner_id = NULL, leased_until = NULL
   WHERE c.case_id = p_case AND c.token = p_token AND c.owner_id = p_reviewer;
  v_fenced := FOUND;
  v_effective_exists := EXISTS (SELECT 1 FROM decisions d
    WHERE d.case_id = p_case AND d.round_no = p_round AND d.effective);
  v_accepted := v_fenced AND p_round = v_case.current_round AND v_case.status = 'pending'
                AND NOT v_effective_exists;
  v_state := CASE WHEN NOT v_accepted THEN 'conflict'
                  WHEN p_needs_confirmation THEN 'pending_confirmation'
                  ELSE 'accepted' END;
  INSERT INTO decisions (id, case_id, round_no, outcome, reasons, comment, reviewer_id,
      claim_token, device_time, store_time, state, effective, workstation)
  VALUES (p_id, p_case, p_round, p_outcome, p_reasons, p_comment, p_reviewer, p_token,
      p_device_time, v_now, v_state, v_accepted, p_workstation);
  IF v_accepted THEN
    UPDATE cases SET
      status = CASE WHEN p_needs_confirmation THEN 'confirming'
                    ELSE CASE p_outcome WHEN 'approve' THEN 'approved'
                                        WHEN 'reject' THEN 'rejected'
                                        ELSE 'returned' END END,
      decided_at = v_now, updated_at = v_now
    WHERE id = p_case;
  END IF;
  v_seq := rd_next_change();
  UPDATE decisions SET change_seq = v_seq WHERE id = p_id;
  IF v_accepted THEN
    UPDATE cases SET change_seq = v_seq WHERE id = p_case;
  END IF;
  UPDATE claims c SET change_seq = v_seq WHERE c.case_id = p_case;
  RETURN v_state;
END $$;

CREATE OR REPLACE FUNCTION rd_confirm(p_decision text, p_supervisor text, p_accept boolean)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_case_id text;
  v_case cases;
  v_dec decisions;
  v_now timestamptz;
  v_seq bigint;
BEGIN
  SELECT d.case_id INTO v_case_id FROM decisions d WHERE d.id = p_decision;
  IF NOT FOUND THEN
    PERFORM rd_fail('no_case', format('no decision %s', p_decision));
  END IF;
  v_case := rd_case(v_case_id, true);
  SELECT * INTO v_dec FROM decisions WHERE id = p_decision FOR UPDATE;
  PERFORM rd_check_user(p_supervisor, v_case.district_code, ARRAY['supervisor']);
  IF v_dec.reviewer_id = p_supervisor THEN
    PERFORM rd_fail('four_eyes',
      'four-eyes needs another supervisor: you cannot confirm your own decision');
  END IF;
  -- The same confirmation arriving twice (an upload retried) is not an error.
  IF v_dec.confirmed_by = p_supervisor
     AND v_dec.state = (CASE WHEN p_accept THEN 'confirmed' ELSE 'superseded' END) THEN
    RETURN v_dec.state;
  END IF;
  IF v_dec.state <> 'pending_confirmation' OR NOT v_dec.effective
     OR v_case.status <> 'confirming' THEN
    PERFORM rd_fail('state', format('decision %s is %s, case is %s: nothing to confirm',
      p_decision, v_dec.state, v_case.status),
      jsonb_build_object('state', v_dec.state, 'case_status', v_case.status));
  END IF;
  v_now := clock_timestamp();
  IF p_accept THEN
    UPDATE decisions SET confirmed_by = p_supervisor, confirmed_at = v_now, state = 'confirmed'
     WHERE id = p_decision;
    UPDATE cases SET status = CASE v_dec.outcome WHEN 'approve' THEN 'approved'
                                                 WHEN 'reject' THEN 'rejected'
                                                 ELSE 'returned' END,
                     updated_at = v_now
     WHERE id = v_case_id;
  ELSE
    UPDATE decisions SET confirmed_by = p_supervisor, confirmed_at = v_now,
                         state = 'superseded', effective = false
     WHERE id = p_decision;
    UPDATE cases SET status = 'pending', decided_at = NULL, updated_at = v_now
     WHERE id = v_case_id;
  END IF;
  v_seq := rd_next_change();
  UPDATE decisions SET change_seq = v_seq WHERE id = p_decision;
  UPDATE cases SET change_seq = v_seq WHERE id = v_case_id;
  RETURN CASE WHEN p_accept THEN 'confirmed' ELSE 'superseded' END;
END $$;

CREATE OR REPLACE FUNCTION rd_undo(p_decision text, p_user text, p_window_minutes integer)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_case_id text;
  v_case cases;
  v_dec decisions;
  v_now timestamptz;
  v_seq bigint;
BEGIN
  IF p_window_minutes IS NULL OR p_window_minutes < 0 THEN
    PERFORM rd_fail('invalid', 'the undo window must be a number of minutes');
  END IF;
  SELECT d.case_id INTO v_case_id FROM decisions d WHERE d.id = p_decision;
  IF NOT FOUND THEN
    PERFORM rd_fail('no_case', format('no decision %s', p_decision));
  END IF;
  v_case := rd_case(v_case_id, true);
  SELECT * INTO v_dec FROM decisions WHERE id = p_decision FOR UPDATE;
  PERFORM rd_check_user(p_user, v_case.district_code, ARRAY['reviewer', 'supervisor']);
  IF v_dec.reviewer_id <> p_user THEN
    PERFORM rd_fail('not_allowed', 'only the reviewer who decided can undo the decision');
  END IF;
  IF v_dec.state = 'undone' THEN
    RETURN 'undone';  -- an undo retried
  END IF;
  IF NOT v_dec.effective OR v_dec.round_no <> v_case.current_round
     OR v_case.status NOT IN ('confirming', 'approved', 'rejected', 'returned') THEN
    PERFORM rd_fail('state', format('decision %s is %s, case is %s: nothing to undo',
      p_decision, v_dec.state, v_case.status),
      jsonb_build_object('state', v_dec.state, 'case_status', v_case.status));
  END IF;
  v_now := clock_timestamp();
  IF v_now - v_dec.store_time > make_interval(mins => p_window_minutes) THEN
    PERFORM rd_fail('undo_window',
      format('the undo window of %s minutes has passed', p_window_minutes),
      jsonb_build_object('window_minutes', p_window_minutes));
  END IF;
  IF EXISTS (SELECT 1 FROM notice_prints n WHERE n.decision_id = p_decision) THEN
    PERFORM rd_fail('printed',
      'a notice was already printed for this decision: it cannot be undone');
  END IF;
  UPDATE decisions SET state = 'undone', effective = false WHERE id = p_decision;
  UPDATE cases SET status = 'pending', decided_at = NULL, updated_at = v_now
   WHERE id = v_case_id;
  v_seq := rd_next_change();
  UPDATE decisions SET change_seq = v_seq WHERE id = p_decision;
  UPDATE cases SET change_seq = v_seq WHERE id = v_case_id;
  RETURN 'undone';
END $$;

CREATE OR REPLACE FUNCTION rd_resolve_conflict(p_conflict text, p_id text, p_case text,
    p_round integer, p_outcome text, p_reasons text, p_comment text, p_reviewer text,
    p_token bigint, p_device_time timestamptz, p_workstation text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_case cases;
  v_conflict decisions;
  v_old decisions;
  v_reasons jsonb;
  v_standing text;
  v_now timestamptz;
  v_seq bigint;
BEGIN
  v_reasons := rd_json(p_reasons);
  IF jsonb_typeof(v_reasons) IS DISTINCT FROM 'object' THEN
    PERFORM rd_fail('invalid', 'reasons must be a JSON object');
  END IF;
  IF p_outcome IS NULL OR p_outcome NOT IN ('approve', 'reject', 'return') THEN
    PERFORM rd_fail('invalid', format('unknown outcome %s', p_outcome));
  END IF;
  v_case := rd_case(p_case, true);  -- serialises with every other decision on the case
  SELECT * INTO v_conflict FROM decisions WHERE id = p_conflict;
  IF NOT FOUND OR v_conflict.state <> 'conflict' OR v_conflict.case_id <> p_case THEN
    PERFORM rd_fail('state', format('decision %s is not a conflict of this case', p_conflict));
  END IF;
  SELECT * INTO v_old FROM decisions WHERE id = p_id;
  IF FOUND THEN
    IF v_old.case_id = p_case AND v_old.round_no = p_round AND v_old.outcome = p_outcome
       AND v_old.reasons::jsonb = v_reasons AND v_old.comment IS NOT DISTINCT FROM p_comment
       AND v_old.reviewer_id = p_reviewer AND v_old.claim_token = p_token
       AND v_old.supersedes_id IS NOT DISTINCT FROM p_conflict THEN
      RETURN v_old.state;
    END IF;
    PERFORM rd_fail('id_reused',
      format('decision %s arrived twice with different content', p_id),
      jsonb_build_object('decision_id', p_id));
  END IF;
  PERFORM rd_check_user(p_reviewer, v_case.district_code, ARRAY['supervisor']);
  IF EXISTS (SELECT 1 FROM decisions d WHERE d.supersedes_id = p_conflict) THEN
    PERFORM rd_fail('state', 'this conflict was already resolved');
  END IF;
  v_now := clock_timestamp();
  UPDATE decisions SET state = 'superseded', effective = false
   WHERE case_id = p_case AND round_no = v_conflict.round_no AND effective
  RETURNING id INTO v_standing;
  INSERT INTO decisions (id, case_id, round_no, outcome, reasons, comment, reviewer_id,
      claim_token, device_time, store_time, state, effective, supersedes_id, workstation)
  VALUES (p_id, p_case, v_conflict.round_no, p_outcome, p_reasons, p_comment, p_reviewer,
      p_token, p_device_time, v_now, 'accepted', true, p_conflict, p_workstation);
  UPDATE cases SET status = CASE p_outcome WHEN 'approve' THEN 'approved'
                                           WHEN 'reject' THEN 'rejected'
                                           ELSE 'returned' END,
                   decided_at = v_now, updated_at = v_now
   WHERE id = p_case;
  v_seq := rd_next_change();
  UPDATE decisions SET change_seq = v_seq WHERE id = p_id OR id = v_standing;
  UPDATE cases SET change_seq = v_seq WHERE id = p_case;
  RETURN 'accepted';
END $$;

-- Uploaded journal chains, print records --------------------------------------------

CREATE OR REPLACE FUNCTION rd_append_journal(p_chain text, p_seq bigint, p_entry_id text,
    p_actor text, p_workstation text, p_device_time timestamptz, p_store_time timestamptz,
    p_action text, p_case text, p_payload text, p_prev_hash text, p_hash text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_payload jsonb;
  v_district text;
  v_old central_journal;
  v_id bigint;
BEGIN
  v_payload := rd_json(p_payload);
  IF NOT rd_privileged() THEN
    IF cardinality(rd_my_districts()) = 0 THEN
      PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
    END IF;
    IF p_case IS NOT NULL THEN
      SELECT c.district_code INTO v_district FROM cases c WHERE c.id = p_case;
      IF FOUND AND NOT (v_district = ANY (rd_my_districts())) THEN
        PERFORM rd_fail('not_in_district',
          format('case %s is not in a district of %s', p_case, session_user),
          jsonb_build_object('case_id', p_case));
      END IF;
    END IF;
  END IF;
  INSERT INTO central_journal (chain, seq, entry_id, actor, workstation, device_time,
      store_time, action, case_id, payload, prev_hash, hash, received_at)
  VALUES (p_chain, p_seq, p_entry_id, p_actor, p_workstation, p_device_time, p_store_time,
      p_action, p_case, p_payload, p_prev_hash, p_hash, clock_timestamp())
  ON CONFLICT DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NOT NULL THEN
    RETURN true;
  END IF;
  SELECT * INTO v_old FROM central_journal WHERE entry_id = p_entry_id;
  IF NOT FOUND THEN
    PERFORM rd_fail('id_reused',
      format('chain %s already holds another entry at seq %s', p_chain, p_seq),
      jsonb_build_object('chain', p_chain, 'seq', p_seq));
  END IF;
  IF v_old.chain = p_chain AND v_old.seq = p_seq AND v_old.actor IS NOT DISTINCT FROM p_actor
     AND v_old.workstation = p_workstation AND v_old.device_time = p_device_time
     AND v_old.store_time = p_store_time AND v_old.action = p_action
     AND v_old.case_id IS NOT DISTINCT FROM p_case AND v_old.payload::jsonb = v_payload
     AND v_old.prev_hash = p_prev_hash AND v_old.hash = p_hash THEN
    RETURN false;
  END IF;
  PERFORM rd_fail('id_reused',
    format('journal entry %s arrived twice with different content', p_entry_id),
    jsonb_build_object('entry_id', p_entry_id));
  RETURN false;
END $$;

CREATE OR REPLACE FUNCTION rd_record_print(p_id text, p_serial text, p_case text,
    p_round integer, p_decision text, p_template text, p_template_version text,
    p_copy_no integer, p_reprint_reason text, p_printed_by text, p_device_time timestamptz,
    p_workstation text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_case cases;
  v_old notice_prints;
  v_seq bigint;
BEGIN
  -- Locking the case serialises prints with undo (which refuses once a notice exists).
  v_case := rd_case(p_case, true);
  SELECT * INTO v_old FROM notice_prints WHERE id = p_id;
  IF FOUND THEN
    IF v_old.serial = p_serial AND v_old.case_id = p_case AND v_old.round_no = p_round
       AND v_old.decision_id IS NOT DISTINCT FROM p_decision AND v_old.template = p_template
       AND v_old.template_version = p_template_version AND v_old.copy_no = p_copy_no
       AND v_old.reprint_reason IS NOT DISTINCT FROM p_reprint_reason
       AND v_old.printed_by = p_printed_by THEN
      RETURN false;
    END IF;
    PERFORM rd_fail('id_reused',
      format('print record %s arrived twice with different content', p_id),
      jsonb_build_object('print_id', p_id));
  END IF;
  PERFORM rd_check_user(p_printed_by, v_case.district_code, NULL);
  IF p_decision IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM decisions d WHERE d.id = p_decision AND d.case_id = p_case) THEN
    PERFORM rd_fail('state', format('decision %s is not a decision of case %s', p_decision, p_case));
  END IF;
  IF EXISTS (SELECT 1 FROM notice_prints n WHERE n.serial = p_serial) THEN
    PERFORM rd_fail('id_reused', format('serial %s is already used by another print', p_serial),
      jsonb_build_object('serial', p_serial));
  END IF;
  INSERT INTO notice_prints (id, serial, case_id, round_no, decision_id, template,
      template_version, copy_no, reprint_reason, printed_by, device_time, store_time,
      workstation)
  VALUES (p_id, p_serial, p_case, p_round, p_decision, p_template, p_template_version,
      p_copy_no, p_reprint_reason, p_printed_by, p_device_time, clock_timestamp(),
      p_workstation);
  v_seq := rd_next_change();
  UPDATE notice_prints SET change_seq = v_seq WHERE id = p_id;
  RETURN true;
END $$;

-- Blobs -------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION rd_put_blob_chunk(p_sha256 text, p_idx integer, p_data bytea)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('invalid', format('not a sha256 name: %s', left(p_sha256, 80)));
  END IF;
  IF p_idx IS NULL OR p_idx < 0 OR p_data IS NULL OR octet_length(p_data) = 0
     OR octet_length(p_data) > @MAX_CHUNK@ THEN
    PERFORM rd_fail('invalid', 'chunk index or size out of range');
  END IF;
  IF NOT rd_privileged() AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('rd_blob:' || p_sha256, 0));
  -- A verified blob is immutable: chunks arriving after completion change nothing.
  IF EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = p_sha256 AND b.present) THEN
    RETURN;
  END IF;
  INSERT INTO blob_chunks (sha256, idx, data) VALUES (p_sha256, p_idx, p_data)
  ON CONFLICT (sha256, idx) DO UPDATE SET data = EXCLUDED.data;
END $$;

CREATE OR REPLACE FUNCTION rd_complete_blob(p_sha256 text, p_size bigint, p_media_type text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_present boolean;
  v_size bigint;
  v_count bigint;
  v_min integer;
  v_max integer;
  v_total bigint;
  v_hash text;
BEGIN
  IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('invalid', format('not a sha256 name: %s', left(p_sha256, 80)));
  END IF;
  IF p_size IS NULL OR p_size < 0 OR p_media_type IS NULL THEN
    PERFORM rd_fail('invalid', 'blob size and media type are required');
  END IF;
  IF NOT rd_privileged() AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('rd_blob:' || p_sha256, 0));
  SELECT b.present, b.size INTO v_present, v_size FROM blobs b WHERE b.sha256 = p_sha256;
  IF FOUND AND v_present THEN
    RETURN v_size = p_size;
  END IF;
  SELECT count(*), min(c.idx), max(c.idx), sum(octet_length(c.data))
    INTO v_count, v_min, v_max, v_total
    FROM blob_chunks c WHERE c.sha256 = p_sha256;
  IF v_count = 0 OR v_min <> 0 OR v_max <> v_count - 1 OR v_total <> p_size THEN
    RETURN false;  -- chunks missing: the upload resumes
  END IF;
  SELECT encode(sha256(string_agg(c.data, ''::bytea ORDER BY c.idx)), 'hex') INTO v_hash
    FROM blob_chunks c WHERE c.sha256 = p_sha256;
  IF v_hash <> p_sha256 THEN
    RETURN false;  -- a chunk is corrupt: the blob never becomes present
  END IF;
  INSERT INTO blobs (sha256, size, media_type, present, created_at)
  VALUES (p_sha256, p_size, p_media_type, true, clock_timestamp())
  ON CONFLICT (sha256) DO UPDATE SET present = true, size = EXCLUDED.size,
                                     media_type = EXCLUDED.media_type;
  RETURN true;
END $$;
""".replace("@MAX_LEASE@", str(MAX_LEASE_SECONDS)).replace("@MAX_CHUNK@", str(MAX_CHUNK_BYTES))


# -- installation -------------------------------------------------------------------


def group_role_name(dbname: str) -> str:
    """The workstations' NOLOGIN group role of one database (roles are cluster-wide)."""
    base = re.sub(r"[^a-z0-9_]", "_", dbname.lower())
    name = f"rdws_{base}"
    if len(name) > 63:
        digest = hashlib.sha256(dbname.encode()).hexdigest()[:8]
        name = f"{name[:54]}_{digest}"
    return name


def _quote_ident(name: str) -> str:
    if not _IDENT_RE.match(name):
        raise ValueError(f"not a plain PostgreSQL role name: {name!r}")
    return f'"{name}"'


def _run_script(conn: Connection, script: str) -> None:
    """Run several statements at once on the connection's own transaction.

    The raw DB-API cursor is used with no parameters, so psycopg sends the script as
    is (``%`` in ``format()`` calls stays literal).
    """
    cursor = conn.connection.cursor()
    try:
        cursor.execute(script)
    finally:
        cursor.close()


def _database(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_database()")).scalar_one())


def _role_exists(conn: Connection, role: str) -> bool:
    return (
        conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        is not None
    )


def _security_sql(group: str) -> str:
    g = _quote_ident(group)
    parts = [
        # Nobody but the owner creates objects in public: a workstation-made function or
        # operator could otherwise shadow one that the definer functions call.
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        f"GRANT USAGE ON SCHEMA public TO {g};",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {g};",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {g};",
    ]
    for signature in PUBLIC_FUNCTIONS + INTERNAL_FUNCTIONS:
        parts.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC;")
    for signature in PUBLIC_FUNCTIONS:
        parts.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {g};")
    for table, predicate in DISTRICT_POLICIES.items():
        parts += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
            f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table};",
            f"CREATE POLICY {POLICY_NAME} ON {table} FOR SELECT TO {g} USING ({predicate});",
            f"GRANT SELECT ON {table} TO {g};",
        ]
    for table in REFERENCE_TABLES:
        parts.append(f"GRANT SELECT ON {table} TO {g};")
    return "\n".join(parts)


def install(engine: Engine) -> str:
    """Create or refresh the group role, functions, grants and policies; returns the role.

    Run as the tables' owner after ``migrate.upgrade``; safe to run again.
    """
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _INSTALL_LOCK})
        group = group_role_name(_database(conn))
        if not _role_exists(conn, group):
            _run_script(conn, f"CREATE ROLE {_quote_ident(group)} NOLOGIN;")
        _run_script(conn, FUNCTIONS_SQL)
        _run_script(conn, _security_sql(group))
    return group


def uninstall(engine: Engine) -> None:
    """Remove policies, functions and the group role (tests; or before dropping a database).

    Logins made with :func:`create_login` should be dropped first (:func:`drop_login`).
    """
    with engine.begin() as conn:
        group = group_role_name(_database(conn))
        parts = []
        for table in DISTRICT_POLICIES:
            parts += [
                f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table};",
                f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;",
            ]
        for signature in PUBLIC_FUNCTIONS + INTERNAL_FUNCTIONS:
            parts.append(f"DROP FUNCTION IF EXISTS {signature};")
        if _role_exists(conn, group):
            parts += [
                f"DROP OWNED BY {_quote_ident(group)};",
                f"DROP ROLE {_quote_ident(group)};",
            ]
        _run_script(conn, "\n".join(parts))


def create_login(
    engine: Engine, login_name: str, districts: Iterable[str], password: str | None = None
) -> None:
    """Create (or update) a district office's LOGIN role in the group and map its districts."""
    codes = sorted(set(districts))
    ident = _quote_ident(login_name)
    with engine.begin() as conn:
        group = _quote_ident(group_role_name(_database(conn)))
        statements: list[sql.Composable] = []
        if _role_exists(conn, login_name):
            statements.append(sql.SQL(f"GRANT {group} TO {ident}"))
            if password is not None:
                statements.append(sql.SQL(f"ALTER ROLE {ident} PASSWORD ") + sql.Literal(password))
        elif password is not None:
            statements.append(
                sql.SQL(f"CREATE ROLE {ident} LOGIN PASSWORD ")
                + sql.Literal(password)
                + sql.SQL(f" IN ROLE {group}")
            )
        else:
            statements.append(sql.SQL(f"CREATE ROLE {ident} LOGIN IN ROLE {group}"))
        cursor = conn.connection.cursor()
        try:
            for statement in statements:
                # The password is quoted by psycopg as a literal, never interpolated.
                cursor.execute(statement)
        finally:
            cursor.close()
        conn.execute(text("DELETE FROM db_role_districts WHERE role_name = :r"), {"r": login_name})
        if codes:
            conn.execute(
                text("INSERT INTO db_role_districts (role_name, district_code) VALUES (:r, :d)"),
                [{"r": login_name, "d": code} for code in codes],
            )


def drop_login(engine: Engine, login_name: str) -> None:
    """Remove a login's district mapping and the role itself (its sessions should be gone)."""
    ident = _quote_ident(login_name)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM db_role_districts WHERE role_name = :r"), {"r": login_name})
        if _role_exists(conn, login_name):
            _run_script(conn, f"DROP OWNED BY {ident}; DROP ROLE {ident};")


# -- the wrapper ----------------------------------------------------------------------


def _canonical_json(value: Any) -> str:
    # Same bytes as reviewdb.types.JSONText writes, so both backends store identical text.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: pass an aware (UTC) datetime")
    return value.astimezone(dt.UTC)


def _refusal(exc: DBAPIError) -> ArbiterRefusal | None:
    """The ArbiterRefusal an ``rd:<code>:<text>`` exception stands for, or None."""
    orig = exc.orig
    if not isinstance(orig, psycopg.Error):
        return None
    message = orig.diag.message_primary or ""
    if not message.startswith("rd:"):
        return None
    code, _, human = message[3:].partition(":")
    details: dict[str, Any] = {}
    raw_detail = orig.diag.message_detail
    if raw_detail:
        try:
            loaded = json.loads(raw_detail)
        except ValueError:
            loaded = {"detail": raw_detail}
        if isinstance(loaded, dict):
            details = loaded
    until = details.get("until")
    if isinstance(until, str):
        details["until"] = dt.datetime.fromisoformat(until).astimezone(dt.UTC)
    return ArbiterRefusal(code, human, **details)


class PgArbiter:
    """The arbiter's operations on the central PostgreSQL store, through the ``rd_*`` functions.

    Works on a SQLAlchemy ``Connection`` or ``Session`` whose transaction the caller
    commits. With ``savepoints`` (the default) each call runs in a savepoint, so a
    refusal leaves the surrounding transaction usable (one poisoned item in an upload
    batch does not sink the rest); pass ``savepoints=False`` on hot single-call paths.
    """

    def __init__(self, db: Connection | Session, *, savepoints: bool = True) -> None:
        self._db = db
        self._savepoints = savepoints

    def _call(self, statement: str, params: Mapping[str, Any]) -> Sequence[Any]:
        try:
            if self._savepoints:
                with self._db.begin_nested():
                    return self._db.execute(text(statement), dict(params)).all()
            return self._db.execute(text(statement), dict(params)).all()
        except DBAPIError as exc:
            refusal = _refusal(exc)
            if refusal is None:
                raise
            raise refusal from exc

    def _scalar(self, statement: str, params: Mapping[str, Any]) -> Any:
        rows = self._call(statement, params)
        return rows[0][0]

    def _claim_info(self, statement: str, params: Mapping[str, Any], user_id: str) -> ClaimInfo:
        rows = self._call(statement, params)
        token, until = rows[0]
        return ClaimInfo(str(params["case_id"]), int(token), _utc(until), user_id)

    # claims

    def claim(self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta) -> ClaimInfo:
        return self._claim_info(
            "SELECT token, leased_until FROM rd_claim(:case_id, :user_id, :ws, "
            "CAST(:lease AS double precision))",
            {
                "case_id": case_id,
                "user_id": user_id,
                "ws": workstation,
                "lease": lease.total_seconds(),
            },
            user_id,
        )

    def renew(self, case_id: str, user_id: str, token: int, lease: dt.timedelta) -> ClaimInfo:
        return self._claim_info(
            "SELECT token, leased_until FROM rd_renew(:case_id, :user_id, "
            "CAST(:token AS bigint), CAST(:lease AS double precision))",
            {
                "case_id": case_id,
                "user_id": user_id,
                "token": token,
                "lease": lease.total_seconds(),
            },
            user_id,
        )

    def release(self, case_id: str, user_id: str) -> bool:
        return bool(
            self._scalar(
                "SELECT rd_release(:case_id, :user_id)", {"case_id": case_id, "user_id": user_id}
            )
        )

    def takeover(
        self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
    ) -> ClaimInfo:
        return self._claim_info(
            "SELECT token, leased_until FROM rd_takeover(:case_id, :user_id, :ws, "
            "CAST(:lease AS double precision))",
            {
                "case_id": case_id,
                "user_id": user_id,
                "ws": workstation,
                "lease": lease.total_seconds(),
            },
            user_id,
        )

    # decisions

    def submit_decision(self, rec: DecisionRecord) -> str:
        """The stored state: accepted, pending_confirmation or conflict (idempotent by id)."""
        return str(
            self._scalar(
                "SELECT rd_submit_decision(:id, :case_id, CAST(:round AS integer), :outcome, "
                ":reasons, :comment, :reviewer, CAST(:token AS bigint), "
                "CAST(:device_time AS timestamptz), :ws, CAST(:needs AS boolean))",
                {
                    "id": rec.decision_id,
                    "case_id": rec.case_id,
                    "round": rec.round_no,
                    "outcome": rec.outcome,
                    "reasons": _canonical_json(rec.reasons),
                    "comment": rec.comment,
                    "reviewer": rec.reviewer_id,
                    "token": rec.claim_token,
                    "device_time": _utc(rec.device_time),
                    "ws": rec.workstation,
                    "needs": rec.needs_confirmation,
                },
            )
        )

    def confirm(self, decision_id: str, supervisor_id: str, accept: bool) -> str:
        return str(
            self._scalar(
                "SELECT rd_confirm(:id, :sup, CAST(:accept AS boolean))",
                {"id": decision_id, "sup": supervisor_id, "accept": accept},
            )
        )

    def undo(self, decision_id: str, user_id: str, window_minutes: int) -> str:
        """Undo one's own effective decision within the window (minutes, the city policy's)."""
        return str(
            self._scalar(
                "SELECT rd_undo(:id, :user_id, CAST(:minutes AS integer))",
                {"id": decision_id, "user_id": user_id, "minutes": int(window_minutes)},
            )
        )

    def resolve_conflict(self, conflict_id: str, rec: DecisionRecord) -> str:
        """A supervisor's new decision supersedes what stood for the conflict's round."""
        return str(
            self._scalar(
                "SELECT rd_resolve_conflict(:conflict, :id, :case_id, CAST(:round AS integer), "
                ":outcome, :reasons, :comment, :reviewer, CAST(:token AS bigint), "
                "CAST(:device_time AS timestamptz), :ws)",
                {
                    "conflict": conflict_id,
                    "id": rec.decision_id,
                    "case_id": rec.case_id,
                    "round": rec.round_no,
                    "outcome": rec.outcome,
                    "reasons": _canonical_json(rec.reasons),
                    "comment": rec.comment,
                    "reviewer": rec.reviewer_id,
                    "token": rec.claim_token,
                    "device_time": _utc(rec.device_time),
                    "ws": rec.workstation,
                },
            )
        )

    # journal, prints, blobs

    def append_journal(self, entries: Iterable[Mapping[str, Any]]) -> None:
        """Append uploaded chain entries; repeats are no-ops, a changed repeat is refused."""
        for entry in entries:
            self.append_journal_entry(entry)

    def append_journal_entry(self, entry: Mapping[str, Any]) -> bool:
        """Append one entry; True when it was new.

        The entry has chain, seq, entry_id, actor, workstation, device_time, store_time,
        action, case_id, payload (a dict, or payload_text), prev_hash and hash.
        """
        payload_text = entry.get("payload_text")
        if payload_text is None:
            payload_text = _canonical_json(entry.get("payload") or {})
        inserted = self._scalar(
            "SELECT rd_append_journal(:chain, CAST(:seq AS bigint), :entry_id, :actor, :ws, "
            "CAST(:device_time AS timestamptz), CAST(:store_time AS timestamptz), :action, "
            ":case_id, :payload, :prev_hash, :hash)",
            {
                "chain": entry["chain"],
                "seq": entry["seq"],
                "entry_id": entry["entry_id"],
                "actor": entry.get("actor"),
                "ws": entry["workstation"],
                "device_time": _utc(entry["device_time"]),
                "store_time": _utc(entry["store_time"]),
                "action": entry["action"],
                "case_id": entry.get("case_id"),
                "payload": payload_text,
                "prev_hash": entry["prev_hash"],
                "hash": entry["hash"],
            },
        )
        return bool(inserted)

    def record_print(self, row: Mapping[str, Any]) -> None:
        """Store a print record (NoticePrint columns); a repeat is a no-op."""
        self.record_print_once(row)

    def record_print_once(self, row: Mapping[str, Any]) -> bool:
        """Store a print record; True when it was new, False when it was already there."""
        return bool(
            self._scalar(
                "SELECT rd_record_print(:id, :serial, :case_id, CAST(:round_no AS integer), "
                ":decision_id, :template, :template_version, CAST(:copy_no AS integer), "
                ":reprint_reason, :printed_by, CAST(:device_time AS timestamptz), :ws)",
                {
                    "id": row["id"],
                    "serial": row["serial"],
                    "case_id": row["case_id"],
                    "round_no": row["round_no"],
                    "decision_id": row.get("decision_id"),
                    "template": row["template"],
                    "template_version": row["template_version"],
                    "copy_no": row["copy_no"],
                    "reprint_reason": row.get("reprint_reason"),
                    "printed_by": row["printed_by"],
                    "device_time": _utc(row["device_time"]),
                    "ws": row["workstation"],
                },
            )
        )

    def put_blob_chunk(self, sha256: str, idx: int, data: bytes) -> None:
        self._call(
            "SELECT rd_put_blob_chunk(:sha, CAST(:idx AS integer), CAST(:data AS bytea))",
            {"sha": sha256, "idx": idx, "data": data},
        )

    def complete_blob(self, sha256: str, size: int, media_type: str) -> bool:
        """True when the chunks hash to ``sha256`` and add up to ``size`` (blob now present)."""
        return bool(
            self._scalar(
                "SELECT rd_complete_blob(:sha, CAST(:size AS bigint), :media_type)",
                {"sha": sha256, "size": size, "media_type": media_type},
            )
        )
