-- ReviewDesk central store: decisions.
--
-- rd_submit_decision (fenced by the claim token, idempotent by decision id),
-- rd_submit_decisions (a batch of them: the same checks and outcomes, set-based writes),
-- rd_confirm (four-eyes confirmation), rd_undo (within the city's window, before any
-- notice is printed) and rd_resolve_conflict (a supervisor supersedes what stood, through
-- rd_supersede, which 抽查's rd_qa_overturn shares).
-- rd_decision_reasons, rd_decision_resent, rd_decision_checks and rd_decided_status are
-- the parts of one decision both submit functions share (not granted to anyone).
--
-- Once rules are published (helpers.sql, rd_check_decision) the decision's reasons and
-- texts are checked against them, four-eyes comes from the case's city/year policy and
-- kind (p_needs_confirmation is ignored) and so does the undo window (p_window_minutes is
-- ignored). A store that never published keeps taking the workstation's values.
--
-- Placeholders: none.

-- -- one decision's parts, shared by rd_submit_decision and rd_submit_decisions ---------

CREATE OR REPLACE FUNCTION rd_decision_reasons(p_outcome text, p_reasons text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v_reasons jsonb;
BEGIN
  -- A decision's shape: its reasons a JSON object, its outcome one of the three.
  v_reasons := rd_json(p_reasons);
  IF jsonb_typeof(v_reasons) IS DISTINCT FROM 'object' THEN
    PERFORM rd_fail('invalid', 'reasons must be a JSON object');
  END IF;
  IF p_outcome IS NULL OR p_outcome NOT IN ('approve', 'reject', 'return') THEN
    PERFORM rd_fail('invalid', format('unknown outcome %s', p_outcome));
  END IF;
  RETURN v_reasons;
END $$;

CREATE OR REPLACE FUNCTION rd_decision_resent(p_old decisions, p_case text, p_round integer,
    p_outcome text, p_reasons jsonb, p_comment text, p_reviewer text, p_token bigint)
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
  -- A decision id already stored (p_old): the same decision sent again (an upload
  -- retried) gets its stored state; anything else under that id is refused.
  IF p_old.case_id = p_case AND p_old.round_no = p_round AND p_old.outcome = p_outcome
     AND p_old.reasons::jsonb = p_reasons AND p_old.comment IS NOT DISTINCT FROM p_comment
     AND p_old.reviewer_id = p_reviewer AND p_old.claim_token = p_token THEN
    RETURN p_old.state;
  END IF;
  PERFORM rd_fail('id_reused',
    format('decision %s arrived twice with different content', p_old.id),
    jsonb_build_object('decision_id', p_old.id));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rd_decision_checks(p_case cases, p_reviewer text, p_outcome text,
    p_reasons jsonb, p_comment text, p_needs_confirmation boolean) RETURNS boolean
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v_rules jsonb;
BEGIN
  -- A new decision on the (locked) case: who acts (proven, of the case's district, a
  -- reviewer or supervisor), then the published rules. Returns whether it waits for a
  -- second supervisor: four-eyes by the published policy of the case's city/year, kind
  -- and outcome; the workstation's p_needs_confirmation only while nothing is published.
  PERFORM rd_check_user(p_reviewer, p_case.district_code, ARRAY['reviewer', 'supervisor']);
  v_rules := rd_check_decision(p_case, p_outcome, p_reasons, p_comment);
  RETURN CASE WHEN v_rules IS NULL THEN coalesce(p_needs_confirmation, false)
              ELSE coalesce((v_rules -> 'four_eyes' -> p_case.kind) ? p_outcome, false) END;
END $$;

CREATE OR REPLACE FUNCTION rd_decided_status(p_outcome text, p_needs boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  -- The case's status once a decision on it is accepted. No SET search_path, unlike every
  -- other function here, so that the planner inlines it: with one it was a function call
  -- per case in rd_submit_decisions' UPDATE (~3.5 us each, against ~0.3 inlined). It reads
  -- no table and names no function; its callers (definer functions) pin search_path.
  SELECT CASE WHEN p_needs THEN 'confirming'
              ELSE CASE p_outcome WHEN 'approve' THEN 'approved'
                                  WHEN 'reject' THEN 'rejected'
                                  ELSE 'returned' END END
$$;

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
  v_needs boolean;
BEGIN
  v_reasons := rd_decision_reasons(p_outcome, p_reasons);
  -- Locking the case first serialises every decision on it, so the idempotency check,
  -- the fence and the "no effective decision yet" check all see the latest commit.
  v_case := rd_case(p_case, true);
  SELECT * INTO v_old FROM decisions WHERE id = p_id;
  IF FOUND THEN
    RETURN rd_decision_resent(v_old, p_case, p_round, p_outcome, v_reasons, p_comment,
                              p_reviewer, p_token);
  END IF;
  -- Who acts, the published rules, and four-eyes.
  v_needs := rd_decision_checks(v_case, p_reviewer, p_outcome, v_reasons, p_comment,
                                p_needs_confirmation);
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
                  WHEN v_needs THEN 'pending_confirmation'
                  ELSE 'accepted' END;
  INSERT INTO decisions (id, case_id, round_no, outcome, reasons, comment, reviewer_id,
      claim_token, device_time, store_time, state, effective, workstation)
  VALUES (p_id, p_case, p_round, p_outcome, p_reasons, p_comment, p_reviewer, p_token,
      p_device_time, v_now, v_state, v_accepted, p_workstation);
  IF v_accepted THEN
    UPDATE cases SET status = rd_decided_status(p_outcome, v_needs),
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

CREATE OR REPLACE FUNCTION rd_submit_decisions(p_ids text[], p_cases text[],
    p_rounds integer[], p_outcomes text[], p_reasons text[], p_comments text[],
    p_reviewers text[], p_tokens bigint[], p_device_times timestamptz[],
    p_workstations text[], p_needs_confirmation boolean[])
RETURNS text[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
-- Several decisions in one call (a workstation's upload batch, one person's): element k of
-- every array is one decision as rd_submit_decision takes it; returns their states in the
-- same order. Each gets what rd_submit_decision, called for each in turn, would give it,
-- checked by the same parts (rd_decision_reasons, rd_case, rd_decision_resent, and for a
-- new one rd_decision_checks: rd_check_user and rd_check_decision). All or nothing: one
-- refusal refuses the call, and the caller learns which decision it was by sending them
-- one by one. The writes are set-based: one fence, one insert, one update of the cases and
-- one change number for the batch, instead of a dozen statements per decision.
DECLARE
  v_n integer := cardinality(p_ids);
  v_stored text[];  -- k: decision k's state when it was stored already (a resend), else NULL
  v_needs boolean[];  -- k: whether new decision k waits for a second supervisor
  v_fenced text[];  -- the cases whose lease a new decision held, now released
  v_states text[];
  v_now timestamptz;
  v_seq bigint;
  v_k integer;
  v_state text;
  v_plain boolean;  -- every check passes for every decision, found set-based (see below)
  v_priv boolean;
  v_mine text[];
  v_actor text;
BEGIN
  IF v_n IS NULL OR v_n > 1000
     OR ARRAY[cardinality(p_cases), cardinality(p_rounds), cardinality(p_outcomes),
              cardinality(p_reasons), cardinality(p_comments), cardinality(p_reviewers),
              cardinality(p_tokens), cardinality(p_device_times), cardinality(p_workstations),
              cardinality(p_needs_confirmation)] IS DISTINCT FROM array_fill(v_n, ARRAY[10]) THEN
    PERFORM rd_fail('invalid', 'a batch is at most 1000 decisions, one element of each array apiece');
  END IF;
  IF v_n = 0 THEN
    RETURN '{}'::text[];
  END IF;
  -- Element k of each array is decision k: one-dimensional arrays counted from 1.
  IF ARRAY[array_ndims(p_ids), array_ndims(p_cases), array_ndims(p_rounds),
           array_ndims(p_outcomes), array_ndims(p_reasons), array_ndims(p_comments),
           array_ndims(p_reviewers), array_ndims(p_tokens), array_ndims(p_device_times),
           array_ndims(p_workstations), array_ndims(p_needs_confirmation),
           array_lower(p_ids, 1), array_lower(p_cases, 1), array_lower(p_rounds, 1),
           array_lower(p_outcomes, 1), array_lower(p_reasons, 1), array_lower(p_comments, 1),
           array_lower(p_reviewers, 1), array_lower(p_tokens, 1), array_lower(p_device_times, 1),
           array_lower(p_workstations, 1), array_lower(p_needs_confirmation, 1)]
     IS DISTINCT FROM array_fill(1, ARRAY[22]) THEN
    PERFORM rd_fail('invalid', 'a batch is one-dimensional arrays counted from 1');
  END IF;
  -- A case (or an id) twice: the later decision depends on what the earlier one did (the
  -- lease it released, the decision it stored), so these go one by one, in order.
  IF (SELECT count(DISTINCT u.c) FROM unnest(p_cases) AS u(c)) < v_n
     OR (SELECT count(DISTINCT u.id) FROM unnest(p_ids) AS u(id)) < v_n THEN
    FOR v_k IN 1 .. v_n LOOP
      v_states[v_k] := rd_submit_decision(p_ids[v_k], p_cases[v_k], p_rounds[v_k],
        p_outcomes[v_k], p_reasons[v_k], p_comments[v_k], p_reviewers[v_k], p_tokens[v_k],
        p_device_times[v_k], p_workstations[v_k], p_needs_confirmation[v_k]);
    END LOOP;
    RETURN v_states;
  END IF;
  -- The usual batch (new decisions, well formed, on cases in reach, by a person who may
  -- decide them) is checked by a few set-based statements that refuse nothing: v_plain
  -- says whether every decision passes what rd_decision_reasons, rd_case,
  -- rd_decision_resent and rd_check_user would check, each for itself. When one does not,
  -- the per-decision checks below run instead and say which refusal it is. The cases are
  -- locked either way in one order (by id), so that two batches never wait for each
  -- other's; nothing is written before every check has passed.
  -- Shape: an outcome one of the three, reasons a JSON object (a text that is not JSON
  -- only ends the plain path; rd_decision_reasons words the refusal).
  v_plain := NOT EXISTS (SELECT 1 FROM unnest(p_outcomes) AS u(o)
                          WHERE u.o IS NULL OR u.o NOT IN ('approve', 'reject', 'return'));
  IF v_plain THEN
    BEGIN
      v_plain := NOT EXISTS (SELECT 1 FROM unnest(p_reasons::jsonb[]) AS u(rs)
                              WHERE jsonb_typeof(u.rs) IS DISTINCT FROM 'object');
    EXCEPTION WHEN others THEN
      v_plain := false;
    END;
  END IF;
  -- The cases, locked: every one found and in a district of the calling login.
  IF v_plain THEN
    v_priv := rd_privileged();
    v_mine := CASE WHEN v_priv THEN NULL ELSE rd_my_districts() END;
    SELECT count(*) = v_n AND coalesce(bool_and(v_priv OR l.district_code = ANY (v_mine)), false)
      INTO v_plain
      FROM (SELECT c.id, c.district_code FROM cases c WHERE c.id = ANY (p_cases)
             ORDER BY c.id FOR UPDATE) l;
  END IF;
  -- None stored already (a resend takes the per-decision path: its stored state or
  -- id_reused).
  IF v_plain THEN
    v_plain := NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = ANY (p_ids));
  END IF;
  -- Who acts (rd_check_user's checks, once per person and district): the person this
  -- connection proved, known, not disabled, not paused, a reviewer or supervisor, of the
  -- case's district.
  IF v_plain THEN
    v_actor := CASE WHEN v_priv THEN NULL ELSE rd_actor() END;
    v_plain := NOT EXISTS (
      SELECT 1
        FROM (SELECT DISTINCT u.rv, c.district_code AS dc
                FROM unnest(p_reviewers, p_cases) AS u(rv, id) JOIN cases c ON c.id = u.id) x
       WHERE NOT coalesce((v_priv OR x.rv = v_actor)
               AND EXISTS (SELECT 1 FROM users us
                            WHERE us.id = x.rv AND NOT us.disabled AND us.paused_at IS NULL
                              AND us.role IN ('reviewer', 'supervisor'))
               AND EXISTS (SELECT 1 FROM user_districts ud
                            WHERE ud.user_id = x.rv AND ud.district_code = x.dc), false));
  END IF;
  IF v_plain THEN
    v_stored := array_fill(NULL::text, ARRAY[v_n]);
    -- The published rules (rd_check_decision, which refuses) and four-eyes, as
    -- rd_decision_checks has them; the workstation's p_needs_confirmation while nothing is
    -- published.
    IF EXISTS (SELECT 1 FROM settings s WHERE s.key = 'rules.limits') THEN
      SELECT array_agg(CASE WHEN r.rules IS NULL THEN coalesce(u.nc, false)
                            ELSE coalesce((r.rules -> 'four_eyes' -> c.kind) ? u.o, false) END
                       ORDER BY u.k)
        INTO v_needs
        FROM unnest(p_cases, p_outcomes, p_reasons, p_comments, p_needs_confirmation)
             WITH ORDINALITY AS u(id, o, rs, cm, nc, k)
        JOIN cases c ON c.id = u.id
        CROSS JOIN LATERAL (SELECT rd_check_decision(c, u.o, u.rs::jsonb, u.cm) AS rules) r;
    ELSE
      SELECT array_agg(coalesce(u.nc, false) ORDER BY u.k) INTO v_needs
        FROM unnest(p_needs_confirmation) WITH ORDINALITY AS u(nc, k);
    END IF;
  ELSE
    -- Each decision's shape; then its case, locked and checked by rd_case as
    -- rd_submit_decision does, by id.
    PERFORM rd_decision_reasons(u.o, u.rs) FROM unnest(p_outcomes, p_reasons) AS u(o, rs);
    PERFORM rd_case(u.c, true) FROM (SELECT x.c FROM unnest(p_cases) AS x(c) ORDER BY x.c) u;
    -- A decision already stored: its stored state, or id_reused.
    v_stored := array_fill(NULL::text, ARRAY[v_n]);
    FOR v_k, v_state IN
      SELECT x.k, rd_decision_resent(l.d, p_cases[x.k], p_rounds[x.k], p_outcomes[x.k],
                                     p_reasons[x.k]::jsonb, p_comments[x.k], p_reviewers[x.k],
                                     p_tokens[x.k])
        FROM generate_series(1, v_n) AS x(k)
        JOIN LATERAL (SELECT d FROM decisions d WHERE d.id = p_ids[x.k]) l ON true
    LOOP
      v_stored[v_k] := v_state;
    END LOOP;
    -- A new one: who acts, the published rules, four-eyes (rd_decision_checks), against its
    -- case as locked (nothing has been written yet).
    SELECT array_agg(CASE WHEN u.s IS NULL THEN
             rd_decision_checks(c, u.rv, u.o, u.rs::jsonb, u.cm, u.nc) END ORDER BY u.k)
      INTO v_needs
      FROM unnest(p_cases, p_reviewers, p_outcomes, p_reasons, p_comments,
                  p_needs_confirmation, v_stored) WITH ORDINALITY AS u(id, rv, o, rs, cm, nc, s, k)
      JOIN cases c ON c.id = u.id;
    IF array_position(v_stored, NULL) IS NULL THEN
      RETURN v_stored;  -- every one of them was stored already
    END IF;
  END IF;
  v_now := clock_timestamp();
  -- The change number once every check has passed; its row stays locked until commit.
  v_seq := rd_next_change();
  -- The fence, decision by decision: the claim must still carry this reviewer and this
  -- token; clearing the owner releases the lease.
  WITH fenced AS (
    UPDATE claims c SET owner_id = NULL, leased_until = NULL, change_seq = v_seq
      FROM unnest(p_cases, p_tokens, p_reviewers, v_stored) AS u(id, t, rv, s)
     WHERE u.s IS NULL AND c.case_id = u.id AND c.token = u.t AND c.owner_id = u.rv
    RETURNING c.case_id)
  SELECT coalesce(array_agg(f.case_id), '{}'::text[]) INTO v_fenced FROM fenced f;
  -- Accepted when fenced, for the case's current round, the case pending and no decision
  -- in force for the round yet; a conflict otherwise (the case as locked: unchanged so far).
  SELECT array_agg(coalesce(u.s,
           CASE WHEN f.id IS NOT NULL AND u.r = c.current_round AND c.status = 'pending'
                     AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = u.id
                                       AND d.round_no = u.r AND d.effective)
                THEN CASE WHEN u.nd THEN 'pending_confirmation' ELSE 'accepted' END
                ELSE 'conflict' END) ORDER BY u.k)
    INTO v_states
    FROM unnest(p_cases, p_rounds, v_stored, v_needs) WITH ORDINALITY AS u(id, r, s, nd, k)
    JOIN cases c ON c.id = u.id
    LEFT JOIN unnest(v_fenced) AS f(id) ON f.id = u.id;
  INSERT INTO decisions (id, case_id, round_no, outcome, reasons, comment, reviewer_id,
      claim_token, device_time, store_time, state, effective, workstation, change_seq)
  SELECT u.id, u.c, u.r, u.o, u.rs, u.cm, u.rv, u.t, u.dt, v_now, u.st, u.st <> 'conflict',
         u.ws, v_seq
    FROM unnest(p_ids, p_cases, p_rounds, p_outcomes, p_reasons, p_comments, p_reviewers,
                p_tokens, p_device_times, p_workstations, v_stored, v_states)
         WITH ORDINALITY AS u(id, c, r, o, rs, cm, rv, t, dt, ws, s, st, k)
   WHERE u.s IS NULL ORDER BY u.k;
  UPDATE cases c SET status = rd_decided_status(u.o, u.nd), decided_at = v_now,
                     updated_at = v_now, change_seq = v_seq
    FROM unnest(p_cases, p_outcomes, v_needs, v_stored, v_states) AS u(id, o, nd, s, st)
   WHERE u.s IS NULL AND u.st <> 'conflict' AND c.id = u.id;
  -- Every new decision's claim moves, as rd_submit_decision's does (the fenced ones did).
  IF cardinality(v_fenced) < v_n - cardinality(array_remove(v_stored, NULL)) THEN
    UPDATE claims c SET change_seq = v_seq
      FROM unnest(p_cases, v_stored) AS u(id, s)
     WHERE u.s IS NULL AND c.case_id = u.id AND c.change_seq IS DISTINCT FROM v_seq;
  END IF;
  RETURN v_states;
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
  v_rules jsonb;
  v_window integer;
BEGIN
  SELECT d.case_id INTO v_case_id FROM decisions d WHERE d.id = p_decision;
  IF NOT FOUND THEN
    PERFORM rd_fail('no_case', format('no decision %s', p_decision));
  END IF;
  v_case := rd_case(v_case_id, true);
  -- The published window of the case's city/year; the caller's only while none is.
  v_rules := rd_case_rules(v_case);
  v_window := CASE WHEN v_rules IS NULL THEN p_window_minutes
                   ELSE (v_rules ->> 'undo_window_minutes')::integer END;
  IF v_window IS NULL OR v_window < 0 THEN
    PERFORM rd_fail('invalid', 'the undo window must be a number of minutes');
  END IF;
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
  IF v_now - v_dec.store_time > make_interval(mins => v_window) THEN
    PERFORM rd_fail('undo_window',
      format('the undo window of %s minutes has passed', v_window),
      jsonb_build_object('window_minutes', v_window));
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

CREATE OR REPLACE FUNCTION rd_supersede(p_case text, p_round integer, p_supersedes text,
    p_id text, p_outcome text, p_reasons text, p_comment text, p_reviewer text,
    p_token bigint, p_device_time timestamptz, p_workstation text)
RETURNS bigint
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v_standing text;
  v_now timestamptz;
  v_seq bigint;
BEGIN
  -- The one way a decided round gets a new decision (reviewdb.arbiter._supersede), for a
  -- caller that has locked the case and checked everything: what stood becomes
  -- superseded, the new decision (pointing at p_supersedes) is effective, the case
  -- follows it. Returns the change number the rows were stamped with.
  v_now := clock_timestamp();
  UPDATE decisions SET state = 'superseded', effective = false
   WHERE case_id = p_case AND round_no = p_round AND effective
  RETURNING id INTO v_standing;
  INSERT INTO decisions (id, case_id, round_no, outcome, reasons, comment, reviewer_id,
      claim_token, device_time, store_time, state, effective, supersedes_id, workstation)
  VALUES (p_id, p_case, p_round, p_outcome, p_reasons, p_comment, p_reviewer,
      p_token, p_device_time, v_now, 'accepted', true, p_supersedes, p_workstation);
  UPDATE cases SET status = CASE p_outcome WHEN 'approve' THEN 'approved'
                                           WHEN 'reject' THEN 'rejected'
                                           ELSE 'returned' END,
                   decided_at = v_now, updated_at = v_now
   WHERE id = p_case;
  v_seq := rd_next_change();
  UPDATE decisions SET change_seq = v_seq WHERE id = p_id OR id = v_standing;
  UPDATE cases SET change_seq = v_seq WHERE id = p_case;
  RETURN v_seq;
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
BEGIN
  v_reasons := rd_decision_reasons(p_outcome, p_reasons);
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
  PERFORM rd_check_decision(v_case, p_outcome, v_reasons, p_comment);
  IF EXISTS (SELECT 1 FROM decisions d WHERE d.supersedes_id = p_conflict) THEN
    PERFORM rd_fail('state', 'this conflict was already resolved');
  END IF;
  PERFORM rd_supersede(p_case, v_conflict.round_no, p_conflict, p_id, p_outcome, p_reasons,
                       p_comment, p_reviewer, p_token, p_device_time, p_workstation);
  RETURN 'accepted';
END $$;
