-- ReviewDesk central store: decisions.
--
-- rd_submit_decision (fenced by the claim token, idempotent by decision id),
-- rd_confirm (four-eyes confirmation), rd_undo (within the city's window, before any
-- notice is printed) and rd_resolve_conflict (a supervisor supersedes what stood).
--
-- Once rules are published (helpers.sql, rd_check_decision) the decision's reasons and
-- texts are checked against them, four-eyes comes from the case's city/year policy and
-- kind (p_needs_confirmation is ignored) and so does the undo window (p_window_minutes is
-- ignored). A store that never published keeps taking the workstation's values.
--
-- Placeholders: none.

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
  v_rules jsonb;
  v_needs boolean;
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
  v_rules := rd_check_decision(v_case, p_outcome, v_reasons, p_comment);
  -- Four-eyes by the published policy of the case's city/year, kind and outcome.
  v_needs := CASE WHEN v_rules IS NULL THEN coalesce(p_needs_confirmation, false)
                  ELSE coalesce((v_rules -> 'four_eyes' -> v_case.kind) ? p_outcome, false) END;
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
    UPDATE cases SET
      status = CASE WHEN v_needs THEN 'confirming'
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
  PERFORM rd_check_decision(v_case, p_outcome, v_reasons, p_comment);
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
