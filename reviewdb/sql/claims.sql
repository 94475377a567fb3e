-- ReviewDesk central store: claims (a reviewer's lease on a case, fenced by a token).
--
-- rd_claim, rd_renew, rd_release, rd_takeover: reviewdb.arbiter's claim operations,
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
