-- ReviewDesk central store: who is acting (per-person identity).
--
-- A person is proven to the central store by PostgreSQL itself: each person has a LOGIN
-- role of their own (person_logins; SCRAM-SHA-256 password, made by `reviewdesk user add`
-- or `user passwd` at the central store) in the database's people group, which may call
-- nothing but rd_issue_token and rd_whoami. At an online login the workstation connects
-- as the person, with the password the person typed, and asks for a token bound to that
-- person and to the workstation's own login role, expiring (rules.limits' token_hours,
-- else 72 hours: an on-site day plus the push the next day), revocable. The workstation
-- keeps the token (never the password) and, connected as its own login, presents it with
-- rd_act_as before it acts for that person, also after the person logged out (the outbox
-- is pushed in the background) or a day later (decisions made offline).
--
-- rd_actor() is who acts in the current transaction: the person when a person login is
-- connected, else whoever rd_act_as proved in this transaction (acting_sessions, keyed by
-- backend pid and transaction id, so it never outlives the transaction). rd_check_user
-- (helpers.sql), which every rd_* function that acts for a user calls, refuses a user that
-- is not rd_actor(): the user id a workstation sends is checked, never believed. The
-- tables' owner and superusers (rd_privileged: administration, intake, tests) act
-- without a token.
--
-- Placeholders: none.

CREATE OR REPLACE FUNCTION rd_actor() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(
    (SELECT p.user_id FROM person_logins p WHERE p.role_name = session_user),
    (SELECT a.user_id FROM acting_sessions a
      WHERE a.backend_pid = pg_backend_pid() AND a.xact = txid_current()))
$$;

CREATE OR REPLACE FUNCTION rd_token_hours() RETURNS double precision
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  -- How long a person token lasts at most: the published limit, else 72 hours.
  SELECT coalesce((rd_rules('rules.limits') ->> 'token_hours')::double precision, 72)
$$;

CREATE OR REPLACE FUNCTION rd_issue_token(p_store_id text, p_login text, p_hours double precision,
    OUT token text, OUT expires_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user text;
  v_disabled boolean;
  v_id text;
  v_secret text;
  v_hours double precision;
  v_now timestamptz := clock_timestamp();
BEGIN
  -- Only a person, connected with their own password, gets a token for themselves.
  SELECT p.user_id INTO v_user FROM person_logins p WHERE p.role_name = session_user;
  IF v_user IS NULL THEN
    PERFORM rd_fail('not_a_person',
      format('%s is not a person''s login: only a person may ask for a person token', session_user));
  END IF;
  SELECT u.disabled INTO v_disabled FROM users u WHERE u.id = v_user;
  IF v_disabled IS DISTINCT FROM false THEN
    PERFORM rd_fail('not_allowed', 'this account is disabled', jsonb_build_object('user_id', v_user));
  END IF;
  IF EXISTS (SELECT 1 FROM users u WHERE u.id = v_user AND u.paused_at IS NOT NULL) THEN
    PERFORM rd_fail('paused', 'this account is paused by a supervisor', jsonb_build_object('user_id', v_user));
  END IF;
  IF p_store_id IS NULL OR p_store_id !~ '^[A-Za-z0-9_.:-]{1,64}$' THEN
    PERFORM rd_fail('invalid', 'a workstation id is 1 to 64 letters, digits or _.:-');
  END IF;
  -- The workstation login the token is for must serve a district of this person.
  IF p_login IS NULL OR NOT EXISTS (
       SELECT 1 FROM db_role_districts d JOIN user_districts ud ON ud.district_code = d.district_code
        WHERE d.role_name = p_login AND ud.user_id = v_user) THEN
    PERFORM rd_fail('not_allowed',
      format('workstation login %s serves none of your districts', left(coalesce(p_login, 'NULL'), 63)),
      jsonb_build_object('login', left(coalesce(p_login, ''), 63)));
  END IF;
  IF p_hours IS NULL OR p_hours = 'NaN'::double precision OR p_hours <= 0 THEN
    PERFORM rd_fail('invalid', format('a token of %s hours refused', p_hours));
  END IF;
  v_hours := least(p_hours, rd_token_hours());
  v_id := gen_random_uuid()::text;
  -- 244 random bits from two version-4 UUIDs; only the SHA-256 is kept here.
  v_secret := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  expires_at := v_now + make_interval(secs => v_hours * 3600);
  INSERT INTO person_tokens (id, user_id, store_id, login_role, secret_sha256, issued_at,
      expires_at, revoked_at)
  VALUES (v_id, v_user, p_store_id, p_login, encode(sha256(convert_to(v_secret, 'UTF8')), 'hex'),
      v_now, rd_issue_token.expires_at, NULL);
  token := v_id || '.' || v_secret;
END $$;

CREATE OR REPLACE FUNCTION rd_whoami(OUT user_id text, OUT username text, OUT role text,
    OUT districts text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  -- The person this connection acts for (a person login, or a token proved in this
  -- transaction), with their role and districts; no row when nobody is proven.
  SELECT u.id, u.username, u.role,
         ARRAY(SELECT ud.district_code::text FROM user_districts ud
                WHERE ud.user_id = u.id ORDER BY ud.district_code)
    FROM users u WHERE u.id = rd_actor()
$$;

CREATE OR REPLACE FUNCTION rd_act_as(p_token text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_id text;
  v_secret text;
  v_tok person_tokens;
  v_disabled boolean;
BEGIN
  IF p_token IS NULL OR p_token !~ '^[0-9a-f-]{36}\.[0-9a-f]{64}$' THEN
    PERFORM rd_fail('token_invalid',
      'not a person token: the person must log in on this workstation while it is online');
  END IF;
  v_id := split_part(p_token, '.', 1);
  v_secret := split_part(p_token, '.', 2);
  SELECT * INTO v_tok FROM person_tokens t WHERE t.id = v_id;
  IF NOT FOUND OR v_tok.secret_sha256 <> encode(sha256(convert_to(v_secret, 'UTF8')), 'hex') THEN
    PERFORM rd_fail('token_invalid',
      'the person token is not one this central store issued: log in again while online');
  END IF;
  IF v_tok.login_role <> session_user AND NOT rd_privileged() THEN
    PERFORM rd_fail('token_not_here',
      format('this person token was issued for another workstation login, not %s', session_user),
      jsonb_build_object('user_id', v_tok.user_id));
  END IF;
  IF v_tok.revoked_at IS NOT NULL THEN
    PERFORM rd_fail('token_revoked',
      format('the person token was revoked on %s: log in again while online',
             to_char(v_tok.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')),
      jsonb_build_object('user_id', v_tok.user_id));
  END IF;
  IF v_tok.expires_at <= clock_timestamp() THEN
    PERFORM rd_fail('token_expired',
      format('the person token expired on %s UTC: log in again while online',
             to_char(v_tok.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')),
      jsonb_build_object('user_id', v_tok.user_id));
  END IF;
  SELECT u.disabled INTO v_disabled FROM users u WHERE u.id = v_tok.user_id;
  IF v_disabled IS DISTINCT FROM false THEN
    PERFORM rd_fail('not_allowed', 'this account is disabled', jsonb_build_object('user_id', v_tok.user_id));
  END IF;
  IF EXISTS (SELECT 1 FROM users u WHERE u.id = v_tok.user_id AND u.paused_at IS NOT NULL) THEN
    PERFORM rd_fail('paused', 'this account is paused by a supervisor', jsonb_build_object('user_id', v_tok.user_id));
  END IF;
  INSERT INTO acting_sessions (backend_pid, xact, user_id, token_id)
  VALUES (pg_backend_pid(), txid_current(), v_tok.user_id, v_tok.id)
  ON CONFLICT (backend_pid) DO UPDATE
    SET xact = EXCLUDED.xact, user_id = EXCLUDED.user_id, token_id = EXCLUDED.token_id;
  RETURN v_tok.user_id;
END $$;

CREATE OR REPLACE FUNCTION rd_revoke_tokens(p_user text) RETURNS integer
LANGUAGE sql SET search_path = public, pg_temp AS $$
  -- Administration only (not granted to anyone): every live token of a person ends now.
  WITH gone AS (
    UPDATE person_tokens t SET revoked_at = clock_timestamp()
     WHERE t.user_id = p_user AND t.revoked_at IS NULL
    RETURNING 1)
  SELECT count(*)::integer FROM gone
$$;
