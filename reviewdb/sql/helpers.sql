-- ReviewDesk central store: helpers the rd_* functions build on.
--
-- Who acts without a district mapping (rd_privileged), which districts the calling login
-- serves (rd_my_districts, also used by every row-level-security policy), the refusal
-- convention 'rd:<code>:<text>' with a JSON DETAIL (rd_fail), argument checks (rd_json,
-- rd_check_lease), the case and user guards (rd_case, rd_check_user) and the change
-- counter (rd_next_change), and the published rules (rd_rules, rd_case_rules,
-- rd_lease_seconds, rd_check_decision). Only rd_my_districts is granted to workstations
-- (grants.sql). Loaded first: the function files after it call these.
--
-- Published rules: `reviewdesk central publish-policy` (and `central init`) writes the
-- city/year policies, the reason library and the limits as JSON rows of the settings
-- table (reviewdb.central.RULES_*): 'rules.limits', 'rules.reasons' and one
-- 'rules.<city>.<year>' per policy. Once 'rules.limits' exists the functions decide by
-- them and ignore what the workstation sends (four-eyes, undo window, lease length);
-- before that (a store never published) they keep the old behaviour.
--
-- Placeholders (replaced by reviewdb.central_pg before the script runs):
--   @MAX_LEASE@  the longest claim lease, in seconds, while no rules are published
--                (central_pg.MAX_LEASE_SECONDS)

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
  v_actor text;
BEGIN
  -- Who acts is proven, not told (identity.sql): a workstation login acts only for the
  -- person whose token it presented in this transaction; a person login only for itself.
  IF NOT rd_privileged() THEN
    v_actor := rd_actor();
    IF v_actor IS NULL THEN
      PERFORM rd_fail('no_identity',
        'nobody is logged in for this action: the person must log in on this workstation while it is online',
        jsonb_build_object('user_id', p_user));
    END IF;
    IF v_actor IS DISTINCT FROM p_user THEN
      PERFORM rd_fail('not_you',
        format('this connection acts for %s, not for %s', v_actor, left(coalesce(p_user, 'NULL'), 36)),
        jsonb_build_object('user_id', p_user, 'actor', v_actor));
    END IF;
  END IF;
  SELECT u.role, u.disabled INTO v_role, v_disabled FROM users u WHERE u.id = p_user;
  IF NOT FOUND THEN
    PERFORM rd_fail('not_allowed', format('no user %s', p_user), jsonb_build_object('user_id', p_user));
  END IF;
  IF v_disabled THEN
    PERFORM rd_fail('not_allowed', format('user %s is disabled', p_user), jsonb_build_object('user_id', p_user));
  END IF;
  IF EXISTS (SELECT 1 FROM users u WHERE u.id = p_user AND u.paused_at IS NOT NULL) THEN
    PERFORM rd_fail('paused', format('user %s is paused by a supervisor', p_user), jsonb_build_object('user_id', p_user));
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

-- -- published rules --------------------------------------------------------------------

CREATE OR REPLACE FUNCTION rd_rules(p_key text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  -- One published rules row (NULL when absent). Only the tables' owner writes settings.
  SELECT s.value::jsonb FROM settings s WHERE s.key = p_key
$$;

CREATE OR REPLACE FUNCTION rd_case_rules(p_case cases) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
  v_city text;
  v_year integer;
  v_rules jsonb;
BEGIN
  -- NULL while nothing is published; the case's city/year policy once rules are.
  IF NOT EXISTS (SELECT 1 FROM settings s WHERE s.key = 'rules.limits') THEN
    RETURN NULL;
  END IF;
  SELECT a.city, a.admission_year INTO v_city, v_year
    FROM applications a WHERE a.id = p_case.application_id;
  v_rules := rd_rules('rules.' || v_city || '.' || v_year);
  IF v_rules IS NULL THEN
    PERFORM rd_fail('rules_missing',
      format('no published policy for %s %s: run reviewdesk central publish-policy', v_city, v_year),
      jsonb_build_object('city', v_city, 'year', v_year));
  END IF;
  RETURN v_rules;
END $$;

CREATE OR REPLACE FUNCTION rd_lease_seconds(p_user text, p_seconds double precision)
RETURNS double precision
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
  v_limits jsonb;
  v_role text;
  v_max double precision;
BEGIN
  -- The lease a claim, renewal or takeover gets: what was asked, capped at the published
  -- maximum for the acting user's role (clamped, not refused). Unpublished: the old check.
  v_limits := rd_rules('rules.limits');
  IF v_limits IS NULL THEN
    PERFORM rd_check_lease(p_seconds);
    RETURN p_seconds;
  END IF;
  IF p_seconds IS NULL OR p_seconds = 'NaN'::double precision OR p_seconds <= 0 THEN
    PERFORM rd_fail('invalid', format('lease of %s seconds refused', p_seconds));
  END IF;
  SELECT u.role INTO v_role FROM users u WHERE u.id = p_user;
  v_max := (v_limits #>> ARRAY['lease', v_role, 'max_seconds'])::double precision;
  IF v_max IS NULL THEN
    PERFORM rd_fail('not_allowed', format('a %s holds no lease', v_role),
      jsonb_build_object('user_id', p_user, 'role', v_role));
  END IF;
  RETURN least(p_seconds, v_max);
END $$;

CREATE OR REPLACE FUNCTION rd_check_text(p_field text, p_value text, p_limit integer)
RETURNS void LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
BEGIN
  IF p_value IS NOT NULL AND char_length(p_value) > p_limit THEN
    PERFORM rd_fail('text_too_long',
      format('%s is %s characters long; at most %s are allowed', p_field, char_length(p_value), p_limit),
      jsonb_build_object('field', p_field, 'limit', p_limit));
  END IF;
END $$;

CREATE OR REPLACE FUNCTION rd_check_decision(p_case cases, p_outcome text, p_reasons jsonb,
    p_comment text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
-- A decision's reasons and texts against the published rules (reviewdb.central.check_decision
-- is the same in Python: same checks, order and codes). Returns the case's city/year rules,
-- NULL while nothing is published. Each check is one statement over the lists (a decision
-- is checked on every upload: about 25 us, not one statement per code and verdict).
DECLARE
  v_rules jsonb;
  v_limits jsonb;
  v_lib jsonb;
  v_kind jsonb;
  v_checklist jsonb;
  v_codes jsonb;
  v_missing jsonb;
  v_note jsonb;
  v_verdicts jsonb;
  v_code_chars integer;
  v_field text;
BEGIN
  v_rules := rd_case_rules(p_case);
  IF v_rules IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT (max(s.value) FILTER (WHERE s.key = 'rules.limits'))::jsonb,
         (max(s.value) FILTER (WHERE s.key = 'rules.reasons'))::jsonb
    INTO v_limits, v_lib
    FROM settings s WHERE s.key IN ('rules.limits', 'rules.reasons');
  v_kind := v_lib -> 'kinds' -> p_case.kind;
  v_checklist := coalesce(v_rules -> 'checklists' -> p_case.kind, '[]'::jsonb);
  IF v_kind IS NULL THEN
    PERFORM rd_fail('rules_missing',
      format('no published reasons for %s cases: run reviewdesk central publish-policy', p_case.kind));
  END IF;
  v_code_chars := (v_limits ->> 'code_chars')::integer;
  -- The shape the workstation writes (reviewdb.central.REASON_KEYS), nothing else. A key
  -- left out is empty; a key present must have its type (JSON null included).
  IF EXISTS (SELECT 1 FROM jsonb_object_keys(p_reasons) k
             WHERE k NOT IN ('codes', 'missing', 'note_to_parent', 'verdicts')) THEN
    PERFORM rd_fail('invalid', 'reasons has a key that is not codes, missing, note_to_parent or verdicts');
  END IF;
  v_codes := coalesce(p_reasons -> 'codes', '[]'::jsonb);
  v_missing := coalesce(p_reasons -> 'missing', '[]'::jsonb);
  v_note := coalesce(p_reasons -> 'note_to_parent', 'null'::jsonb);
  v_verdicts := coalesce(p_reasons -> 'verdicts', '{}'::jsonb);
  IF jsonb_typeof(v_codes) <> 'array' OR jsonb_typeof(v_missing) <> 'array'
     OR jsonb_typeof(v_verdicts) <> 'object' OR jsonb_typeof(v_note) NOT IN ('string', 'null')
     OR EXISTS (SELECT 1 FROM jsonb_array_elements(v_codes || v_missing) e
                WHERE jsonb_typeof(e) <> 'string')
     OR EXISTS (SELECT 1 FROM jsonb_each(v_verdicts) e WHERE jsonb_typeof(e.value) <> 'string') THEN
    PERFORM rd_fail('invalid',
      'reasons: codes and missing must be lists of text, verdicts an object of text, note_to_parent text');
  END IF;
  -- Sizes first: nothing longer than the limits is compared, echoed or stored.
  IF (SELECT count(*) FROM jsonb_object_keys(v_verdicts)) > (v_limits ->> 'verdicts_max')::integer THEN
    PERFORM rd_fail('text_too_long',
      format('reasons: more than %s verdicts', v_limits ->> 'verdicts_max'),
      jsonb_build_object('field', 'verdicts', 'limit', (v_limits ->> 'verdicts_max')::integer));
  END IF;
  PERFORM rd_check_text('comment', p_comment, (v_limits ->> 'comment_chars')::integer);
  PERFORM rd_check_text('note_to_parent', v_note #>> '{}', (v_limits ->> 'note_to_parent_chars')::integer);
  SELECT x.field INTO v_field FROM (
      SELECT format('codes[%s]', e.n - 1) AS field, 1 AS part, e.n
        FROM jsonb_array_elements_text(v_codes) WITH ORDINALITY e(v, n)
       WHERE char_length(e.v) > v_code_chars
      UNION ALL
      SELECT format('missing[%s]', e.n - 1), 2, e.n
        FROM jsonb_array_elements_text(v_missing) WITH ORDINALITY e(v, n)
       WHERE char_length(e.v) > v_code_chars
      UNION ALL
      SELECT 'verdicts', 3, 0 FROM jsonb_each_text(v_verdicts) e
       WHERE char_length(e.key) > v_code_chars OR char_length(e.value) > v_code_chars
    ) x ORDER BY x.part, x.n LIMIT 1;
  IF v_field IS NOT NULL THEN
    PERFORM rd_fail('text_too_long',
      format('%s is longer than %s characters', v_field, v_code_chars),
      jsonb_build_object('field', v_field, 'limit', v_code_chars));
  END IF;
  -- Codes from the kind's library, documents from the kind's checklist, each once.
  SELECT format('codes[%s]', e.n - 1) INTO v_field
    FROM jsonb_array_elements_text(v_codes) WITH ORDINALITY e(v, n)
   WHERE NOT ((v_kind -> 'codes') ? e.v) ORDER BY e.n LIMIT 1;
  IF v_field IS NOT NULL THEN
    PERFORM rd_fail('reason_unknown',
      format('%s is not a reason of the %s library', v_field, p_case.kind),
      jsonb_build_object('field', v_field, 'kind', p_case.kind));
  END IF;
  SELECT format('missing[%s]', e.n - 1) INTO v_field
    FROM jsonb_array_elements_text(v_missing) WITH ORDINALITY e(v, n)
   WHERE NOT (v_checklist ? e.v) ORDER BY e.n LIMIT 1;
  IF v_field IS NOT NULL THEN
    PERFORM rd_fail('missing_unknown',
      format('%s is not a document of the %s checklist', v_field, p_case.kind),
      jsonb_build_object('field', v_field, 'kind', p_case.kind));
  END IF;
  IF (SELECT count(*) <> count(DISTINCT e) FROM jsonb_array_elements_text(v_codes) e)
     OR (SELECT count(*) <> count(DISTINCT e) FROM jsonb_array_elements_text(v_missing) e) THEN
    PERFORM rd_fail('invalid', 'reasons: a code or a document is listed twice');
  END IF;
  IF EXISTS (SELECT 1 FROM jsonb_each_text(v_verdicts) e
             WHERE NOT ((v_lib -> 'verdicts') ? e.value)) THEN
    PERFORM rd_fail('verdict_unknown', 'reasons: a verdict is not one of the published verdicts');
  END IF;
  -- What each outcome needs (app.review.workflow.Workflow.validate says the same).
  IF p_outcome = 'reject' AND jsonb_array_length(v_codes) = 0 THEN
    PERFORM rd_fail('reason_required', 'a rejection needs at least one reason');
  END IF;
  IF p_outcome = 'approve' AND jsonb_array_length(v_codes) > 0 THEN
    PERFORM rd_fail('reason_on_approve', 'an approval takes no rejection reasons');
  END IF;
  IF p_outcome = 'return' AND jsonb_array_length(v_missing) = 0 THEN
    PERFORM rd_fail('missing_required', 'a return needs the missing documents');
  END IF;
  IF coalesce(p_comment, '') ~ '^\s*$' AND (v_kind -> 'comment_required') ?| ARRAY(
       SELECT jsonb_array_elements_text(v_codes)) THEN
    PERFORM rd_fail('comment_required', 'a reason given needs a comment');
  END IF;
  RETURN v_rules;
END $$;
