-- ReviewDesk central store: claims (a reviewer's lease on a case, fenced by a token).
--
-- rd_claim, rd_renew, rd_release, rd_takeover, rd_reassign: reviewdb.arbiter's claim operations,
-- with the server's clock. A holder's repeated claim and a renewal keep the token and
-- greatest(leased_until, now + lease); they return the lease as stored. The lease asked
-- for is capped at the published maximum for the acting user's role (rd_lease_seconds:
-- clamped, and the clamped until returned).
--
-- Placeholders: none.

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
  v_lease double precision;
BEGIN
  v_case := rd_case(p_case, false);
  PERFORM rd_check_user(p_user, v_case.district_code, NULL);
  v_lease := rd_lease_seconds(p_user, p_lease_seconds);
  v_now := clock_timestamp();
  v_until := v_now + make_interval(secs => v_lease);
  -- One guarded UPDATE wins the lease (a new holder gets token + 1) ...
  UPDATE claims c SET owner_id = p_user, token = c.token + 1, leased_until = v_until,
         claimed_at = v_now, workstation = p_workstation
   WHERE c.case_id = p_case AND (c.owner_id IS NULL OR c.leased_until < v_now)
  RETURNING c.token INTO v_token;
  IF NOT FOUND THEN
    -- ... or the holder's own repeated claim keeps its token and extends the lease, never
    -- shortening it: opening a checked-out case keeps the checkout's 36 hours.
    UPDATE claims c SET leased_until = greatest(c.leased_until, v_until),
           workstation = p_workstation
     WHERE c.case_id = p_case AND c.owner_id = p_user AND c.leased_until >= v_now
    RETURNING c.token, c.leased_until INTO v_token, v_until;
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
  v_lease double precision;
BEGIN
  v_case := rd_case(p_case, false);
  PERFORM rd_check_user(p_user, v_case.district_code, NULL);
  v_lease := rd_lease_seconds(p_user, p_lease_seconds);
  v_now := clock_timestamp();
  v_until := v_now + make_interval(secs => v_lease);
  -- The lease becomes greatest(leased_until, now + lease): a renewal never shortens it.
  UPDATE claims c SET leased_until = greatest(c.leased_until, v_until)
   WHERE c.case_id = p_case AND c.owner_id = p_user AND c.token = p_token
     AND c.leased_until >= v_now
  RETURNING c.leased_until INTO v_until;
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
  v_lease double precision;
BEGIN
  v_case := rd_case(p_case, false);
  PERFORM rd_check_user(p_user, v_case.district_code, ARRAY['supervisor']);
  v_lease := rd_lease_seconds(p_user, p_lease_seconds);
  v_now := clock_timestamp();
  v_until := v_now + make_interval(secs => v_lease);
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

-- A supervisor of the case's district gives its lease to another person of that district
-- (p_to) or, with p_to NULL, takes it from whoever holds it. The token moves on either way,
-- so a decision the previous holder sends later is fenced out (kept as a conflict).
CREATE OR REPLACE FUNCTION rd_reassign(p_case text, p_supervisor text, p_to text,
    p_lease_seconds double precision, OUT token bigint, OUT leased_until timestamptz,
    OUT previous text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_case cases;
  v_now timestamptz;
  v_until timestamptz;
  v_token bigint;
  v_seq bigint;
  v_role text;
  v_disabled boolean;
  v_previous text;
BEGIN
  v_case := rd_case(p_case, true);
  PERFORM rd_check_user(p_supervisor, v_case.district_code, ARRAY['supervisor']);
  IF v_case.status <> 'pending' THEN
    PERFORM rd_fail('wrong_status', format('case %s is %s, not pending', p_case, v_case.status),
      jsonb_build_object('case_id', p_case, 'status', v_case.status));
  END IF;
  IF p_to IS NOT NULL THEN
    SELECT u.role, u.disabled INTO v_role, v_disabled FROM users u WHERE u.id = p_to;
    IF NOT FOUND OR v_disabled OR v_role NOT IN ('reviewer', 'supervisor')
       OR NOT EXISTS (SELECT 1 FROM user_districts ud
                      WHERE ud.user_id = p_to AND ud.district_code = v_case.district_code) THEN
      PERFORM rd_fail('not_allowed',
        format('user %s cannot hold cases of district %s', left(p_to, 36), v_case.district_code),
        jsonb_build_object('user_id', p_to, 'district', v_case.district_code));
    END IF;
  END IF;
  SELECT c.owner_id INTO v_previous FROM claims c WHERE c.case_id = p_case FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM rd_fail('no_case', format('no claim row for case %s', p_case));
  END IF;
  v_now := clock_timestamp();
  IF p_to IS NULL THEN
    UPDATE claims c SET owner_id = NULL, leased_until = NULL, token = c.token + 1
     WHERE c.case_id = p_case
    RETURNING c.token INTO v_token;
    v_until := NULL;
  ELSE
    v_until := v_now + make_interval(secs => rd_lease_seconds(p_to, p_lease_seconds));
    UPDATE claims c SET owner_id = p_to, token = c.token + 1, leased_until = v_until,
           claimed_at = v_now, workstation = NULL
     WHERE c.case_id = p_case
    RETURNING c.token INTO v_token;
  END IF;
  v_seq := rd_next_change();
  UPDATE claims c SET change_seq = v_seq WHERE c.case_id = p_case;
  token := v_token;
  leased_until := v_until;
  previous := v_previous;
END $$;

-- A supervisor pauses (p_pause) or resumes a reviewer who shares one of their districts:
-- while paused the person gets no token (rd_issue_token, rd_act_as) and rd_check_user
-- refuses them. An admin's "disabled" is another flag, never touched here.
CREATE OR REPLACE FUNCTION rd_pause_user(p_supervisor text, p_user text, p_pause boolean,
    OUT paused_at timestamptz, OUT paused_by text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_district text;
  v_role text;
  v_at timestamptz;
  v_by text;
BEGIN
  SELECT ud.district_code INTO v_district FROM user_districts ud
   WHERE ud.user_id = p_user
     AND ud.district_code IN (SELECT s.district_code FROM user_districts s WHERE s.user_id = p_supervisor)
   ORDER BY ud.district_code LIMIT 1;
  IF v_district IS NULL THEN
    PERFORM rd_fail('not_allowed', format('user %s works in none of this supervisor''s districts', left(coalesce(p_user, 'NULL'), 36)),
      jsonb_build_object('user_id', p_user));
  END IF;
  PERFORM rd_check_user(p_supervisor, v_district, ARRAY['supervisor']);
  SELECT u.role, u.paused_at, u.paused_by INTO v_role, v_at, v_by FROM users u WHERE u.id = p_user FOR UPDATE;
  IF v_role IS DISTINCT FROM 'reviewer' THEN
    PERFORM rd_fail('not_allowed', format('only a reviewer''s account is paused (%s)', v_role),
      jsonb_build_object('user_id', p_user));
  END IF;
  IF p_pause AND v_at IS NULL THEN
    SELECT u.username INTO v_by FROM users u WHERE u.id = p_supervisor;
    v_at := clock_timestamp();
    UPDATE users u SET paused_at = v_at, paused_by = v_by, change_seq = rd_next_change() WHERE u.id = p_user;
  ELSIF NOT p_pause AND v_at IS NOT NULL THEN
    v_at := NULL;
    v_by := NULL;
    UPDATE users u SET paused_at = NULL, paused_by = NULL, change_seq = rd_next_change() WHERE u.id = p_user;
  END IF;
  paused_at := v_at;
  paused_by := v_by;
END $$;
