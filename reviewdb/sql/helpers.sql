-- ReviewDesk central store: helpers the rd_* functions build on.
--
-- Who acts without a district mapping (rd_privileged), which districts the calling login
-- serves (rd_my_districts, also used by every row-level-security policy), the refusal
-- convention 'rd:<code>:<text>' with a JSON DETAIL (rd_fail), argument checks (rd_json,
-- rd_check_lease), the case and user guards (rd_case, rd_check_user) and the change
-- counter (rd_next_change). Only rd_my_districts is granted to workstations (grants.sql).
-- Loaded first: the function files after it call these.
--
-- Placeholders (replaced by reviewdb.central_pg before the script runs):
--   @MAX_LEASE@  the longest claim lease, in seconds (central_pg.MAX_LEASE_SECONDS)

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
