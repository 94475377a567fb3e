-- ReviewDesk central store: 抽查 (QA sampling).
--
-- rd_qa_draw (a supervisor draws a share of the standing approvals of their districts),
-- rd_qa_verdict (the assigned reviewer agrees or disagrees), rd_qa_uphold and
-- rd_qa_overturn (a supervisor settles a disagreement; overturning supersedes the
-- approval with the supervisor's decision, as rd_resolve_conflict does). The same rules
-- and the same arithmetic as reviewdb/qa.py, so a recorded seed gives the same draw on
-- either backend: an approval is chosen iff u * 10000 < points * 2^64, u the first 8
-- bytes of sha256(seed || chr(31) || decision id) read unsigned big-endian, points the
-- kind's percentage in hundredths (rounded half up); its checker is pool[v mod n], v the
-- next 8 bytes, pool the district's enabled, unpaused reviewers other than the approver
-- in id order (COLLATE "C": code point order, as Python sorts), or, when there is none,
-- its supervisors other than the approver.
--
-- The percentage per kind: the supervisor's override, else the published rules of the
-- case's city/year ('rules.<city>.<year>' -> qa_sample_percent) once rules are
-- published, else the workstation's p_fallback (only while nothing is published), else 5.
-- The districts drawn in are the drawer's own (user_districts), never the workstation's
-- say, and only those the calling login serves.
--
-- Placeholders: none.

CREATE OR REPLACE FUNCTION rd_qa_u64(p_bytes bytea) RETURNS numeric
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  -- Eight bytes as an unsigned big-endian number.
  SELECT CASE WHEN v < 0 THEN v::numeric + 18446744073709551616 ELSE v::numeric END
  FROM (SELECT ('x' || encode(p_bytes, 'hex'))::bit(64)::bigint AS v) b
$$;

CREATE OR REPLACE FUNCTION rd_qa_shares(p_value jsonb, p_what text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
  v_kind text;
  v_share jsonb;
BEGIN
  -- kind -> 0..100, every kind known (reviewdb.qa.check_shares).
  IF p_value IS NULL OR p_value = 'null'::jsonb THEN
    RETURN '{}'::jsonb;
  END IF;
  IF jsonb_typeof(p_value) <> 'object' THEN
    PERFORM rd_fail('percent', p_what || ': not an object of percentages');
  END IF;
  FOR v_kind, v_share IN SELECT * FROM jsonb_each(p_value) LOOP
    IF v_kind NOT IN ('guardianship', 'rural_house', 'kinship') THEN
      PERFORM rd_fail('percent', format('%s: unknown case kind %s', p_what, left(v_kind, 40)));
    END IF;
    IF jsonb_typeof(v_share) <> 'number' OR (v_share #>> '{}')::numeric NOT BETWEEN 0 AND 100 THEN
      PERFORM rd_fail('percent', format('%s: %s: %s is not a percentage (0 to 100)',
                                        p_what, v_kind, left(v_share::text, 40)));
    END IF;
  END LOOP;
  RETURN p_value;
END $$;

CREATE OR REPLACE FUNCTION rd_qa_draw(p_user text, p_seed text, p_override text,
    p_fallback text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_override jsonb;
  v_fallback jsonb;
  v_published boolean;
  v_through bigint;
  v_now timestamptz;
  v_district text;
  v_after bigint;
  v_pool text[];
  v_supervisors text[];
  v_checkers text[];
  v_draw text;
  v_known jsonb := '{}'::jsonb;  -- 'city.year' -> {policy_id, shares}
  v_key text;
  v_rules jsonb;
  v_used jsonb;
  v_percents jsonb;
  v_hash bytea;
  v_points numeric;
  v_who text;
  v_considered integer;
  v_drawn text[];
  v_cases text[];
  v_lacking text[];
  v_out jsonb := '[]'::jsonb;
  r record;
BEGIN
  IF p_seed IS NULL OR btrim(p_seed) = '' THEN
    PERFORM rd_fail('seed', 'the seed is empty');
  END IF;
  IF length(p_seed) > 128 THEN
    PERFORM rd_fail('seed', format('the seed has %s characters; at most 128', length(p_seed)));
  END IF;
  IF p_seed ~ '[[:cntrl:]]' THEN
    PERFORM rd_fail('seed', 'the seed holds control characters; use letters and digits');
  END IF;
  v_override := rd_qa_shares(rd_json(coalesce(p_override, '{}')), 'override');
  v_fallback := rd_json(coalesce(p_fallback, '{}'));
  IF jsonb_typeof(v_fallback) <> 'object' THEN
    PERFORM rd_fail('percent', 'fallback: not an object');
  END IF;
  -- Who draws, in which districts: their own, as far as this login serves them; the
  -- identity (rd_check_user) is proven for each, and for the first before anything.
  IF NOT EXISTS (SELECT 1 FROM user_districts ud WHERE ud.user_id = p_user
                 AND (rd_privileged() OR ud.district_code = ANY (rd_my_districts()))) THEN
    IF NOT rd_privileged() AND rd_actor() IS DISTINCT FROM p_user THEN
      PERFORM rd_fail('not_you', 'this connection does not act for this person',
        jsonb_build_object('user_id', p_user));
    END IF;
    PERFORM rd_fail('not_allowed', 'a draw needs a district: this person serves none this workstation serves',
      jsonb_build_object('user_id', p_user));
  END IF;
  v_published := EXISTS (SELECT 1 FROM settings s WHERE s.key = 'rules.limits');
  -- Taken first, held until commit (the counter row stays locked): every transaction
  -- with a lower change number has committed, none can commit a lower one meanwhile.
  v_through := rd_next_change();
  v_now := clock_timestamp();
  FOR v_district IN
    SELECT ud.district_code FROM user_districts ud
     WHERE ud.user_id = p_user AND (rd_privileged() OR ud.district_code = ANY (rd_my_districts()))
     ORDER BY ud.district_code COLLATE "C"
  LOOP
    PERFORM rd_check_user(p_user, v_district, ARRAY['supervisor', 'admin']);
    SELECT max(q.through_seq) INTO v_after FROM qa_draws q WHERE q.district_code = v_district;
    SELECT coalesce(array_agg(u.id ORDER BY u.id COLLATE "C") FILTER (WHERE u.role = 'reviewer'), '{}'::text[]),
           coalesce(array_agg(u.id ORDER BY u.id COLLATE "C") FILTER (WHERE u.role = 'supervisor'), '{}'::text[])
      INTO v_pool, v_supervisors
      FROM users u JOIN user_districts ud ON ud.user_id = u.id
     WHERE ud.district_code = v_district AND u.role IN ('reviewer', 'supervisor')
       AND NOT u.disabled AND u.paused_at IS NULL;
    v_draw := gen_random_uuid()::text;
    INSERT INTO qa_draws (id, seed, drawn_at, drawn_by, district_code, percents, considered,
        drawn, unassigned, through_seq, change_seq)
    VALUES (v_draw, p_seed, v_now, p_user, v_district, '{}', 0, 0, 0, v_through, v_through);
    v_considered := 0;
    v_drawn := '{}';
    v_cases := '{}';
    v_lacking := '{}';
    v_percents := '{}'::jsonb;
    FOR r IN
      SELECT d.id, d.reviewer_id, c.id AS case_id, c.case_no, c.kind, a.city, c.admission_year
        FROM decisions d
        JOIN cases c ON c.id = d.case_id
        JOIN applications a ON a.id = c.application_id
       WHERE c.district_code = v_district AND c.status = 'approved' AND d.effective
         AND d.outcome = 'approve'
         AND NOT EXISTS (SELECT 1 FROM qa_samples q WHERE q.decision_id = d.id)
         AND CASE WHEN v_after IS NULL THEN d.change_seq < v_through OR d.change_seq IS NULL
                  ELSE d.change_seq < v_through AND d.change_seq > v_after END
       ORDER BY d.id COLLATE "C"
    LOOP
      v_considered := v_considered + 1;
      v_key := r.city || '.' || coalesce(r.admission_year::text, 'None');
      IF NOT v_known ? v_key THEN
        IF v_published THEN
          v_rules := coalesce(rd_rules('rules.' || v_key), '{}'::jsonb);
          v_used := jsonb_build_object(
            'policy_id', coalesce(v_rules ->> 'policy_id', 'default'),
            'shares', rd_qa_shares(coalesce(v_rules -> 'qa_sample_percent', '{}'::jsonb), 'rules'));
        ELSE
          v_rules := coalesce(v_fallback -> v_key, v_fallback -> '', '{}'::jsonb);
          v_used := jsonb_build_object(
            'policy_id', coalesce(v_rules ->> 'policy_id', 'default'),
            'shares', rd_qa_shares(coalesce(v_rules -> 'percents', '{}'::jsonb), 'fallback'));
        END IF;
        -- Every kind, then the override on top.
        v_used := jsonb_set(v_used, '{shares}',
          jsonb_build_object('guardianship', 5.0, 'rural_house', 5.0, 'kinship', 5.0)
            || (v_used -> 'shares') || v_override);
        v_known := v_known || jsonb_build_object(v_key, v_used);
      END IF;
      v_used := v_known -> v_key;
      v_percents := v_percents || jsonb_build_object(v_used ->> 'policy_id', v_used -> 'shares');
      v_points := round((v_used -> 'shares' ->> r.kind)::numeric, 2) * 100;
      v_hash := sha256(convert_to(p_seed || chr(31) || r.id, 'UTF8'));
      IF rd_qa_u64(substring(v_hash FROM 1 FOR 8)) * 10000 < v_points * 18446744073709551616 THEN
        v_checkers := array_remove(v_pool, r.reviewer_id);
        IF cardinality(v_checkers) = 0 THEN  -- nobody else reviews here: a supervisor checks
          v_checkers := array_remove(v_supervisors, r.reviewer_id);
        END IF;
        IF cardinality(v_checkers) = 0 THEN
          v_who := NULL;
          v_lacking := v_lacking || r.case_no;
        ELSE
          v_who := v_checkers[(rd_qa_u64(substring(v_hash FROM 9 FOR 8))
                               % cardinality(v_checkers))::integer + 1];
        END IF;
        INSERT INTO qa_samples (decision_id, case_id, draw_id, reviewer_id, assigned_to, change_seq)
        VALUES (r.id, r.case_id, v_draw, r.reviewer_id, v_who, v_through);
        v_drawn := v_drawn || r.id;
        v_cases := v_cases || r.case_no;
      END IF;
    END LOOP;
    IF v_percents = '{}'::jsonb AND v_override <> '{}'::jsonb THEN
      v_percents := jsonb_build_object('override', v_override);
    END IF;
    UPDATE qa_draws SET percents = v_percents::text, considered = v_considered,
           drawn = cardinality(v_drawn), unassigned = cardinality(v_lacking)
     WHERE id = v_draw;
    v_out := v_out || jsonb_build_array(jsonb_build_object(
      'id', v_draw, 'district', v_district, 'considered', v_considered,
      'drawn', to_jsonb(v_drawn), 'drawn_cases', to_jsonb(v_cases),
      'unassigned', to_jsonb(v_lacking), 'percents', v_percents));
  END LOOP;
  RETURN jsonb_build_object('draws', v_out)::text;
END $$;

CREATE OR REPLACE FUNCTION rd_qa_sample(p_decision text) RETURNS qa_samples
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v qa_samples;
BEGIN
  -- The sample of a decision, locked; its case must be one this login serves.
  SELECT * INTO v FROM qa_samples q WHERE q.decision_id = p_decision FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM rd_fail('no_sample', format('decision %s was not drawn for 抽查', left(coalesce(p_decision, 'NULL'), 36)));
  END IF;
  PERFORM rd_case(v.case_id, false);
  RETURN v;
END $$;

CREATE OR REPLACE FUNCTION rd_qa_verdict(p_user text, p_decision text, p_agree boolean,
    p_comment text)
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_sample qa_samples;
  v_district text;
  v_comment text;
  v_now timestamptz;
BEGIN
  IF p_agree IS NULL THEN
    PERFORM rd_fail('invalid', 'a verdict agrees or disagrees');
  END IF;
  IF length(p_comment) > 2000 THEN
    PERFORM rd_fail('text_too_long', format('comment: %s characters; at most 2,000', length(p_comment)),
      jsonb_build_object('field', 'comment'));
  END IF;
  v_comment := nullif(btrim(p_comment, E' \t\n\r\f\v'), '');
  IF NOT p_agree AND v_comment IS NULL THEN
    PERFORM rd_fail('comment_required', 'a disagreement needs a comment saying why');
  END IF;
  v_sample := rd_qa_sample(p_decision);
  SELECT c.district_code INTO v_district FROM cases c WHERE c.id = v_sample.case_id;
  PERFORM rd_check_user(p_user, v_district, ARRAY['reviewer', 'supervisor']);
  IF v_sample.assigned_to IS DISTINCT FROM p_user THEN
    PERFORM rd_fail('not_assignee', 'this 抽查 sample is not assigned to you');
  END IF;
  IF v_sample.verdict IS NOT NULL THEN
    PERFORM rd_fail('verdict_given', format('the verdict (%s) is already recorded', v_sample.verdict),
      jsonb_build_object('verdict', v_sample.verdict));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = p_decision AND d.effective) THEN
    PERFORM rd_fail('not_standing', 'the sampled approval no longer stands');
  END IF;
  v_now := clock_timestamp();
  UPDATE qa_samples q SET verdict = CASE WHEN p_agree THEN 'agree' ELSE 'disagree' END,
         comment = v_comment, verdict_at = v_now, change_seq = rd_next_change()
   WHERE q.decision_id = p_decision;
  RETURN v_now;
END $$;

CREATE OR REPLACE FUNCTION rd_qa_settleable(p_supervisor text, p_decision text) RETURNS qa_samples
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v_sample qa_samples;
  v_district text;
BEGIN
  -- A disagreement waiting for a supervisor other than the approver (locked).
  v_sample := rd_qa_sample(p_decision);
  SELECT c.district_code INTO v_district FROM cases c WHERE c.id = v_sample.case_id;
  PERFORM rd_check_user(p_supervisor, v_district, ARRAY['supervisor']);
  IF v_sample.verdict IS DISTINCT FROM 'disagree' THEN
    PERFORM rd_fail('no_disagreement', 'no 抽查 disagreement to settle');
  END IF;
  IF v_sample.settlement IS NOT NULL THEN
    PERFORM rd_fail('settled', format('this disagreement was already %s', v_sample.settlement),
      jsonb_build_object('settlement', v_sample.settlement));
  END IF;
  IF v_sample.reviewer_id = p_supervisor THEN
    PERFORM rd_fail('four_eyes', 'four-eyes: you cannot settle a 抽查 sample of your own approval');
  END IF;
  RETURN v_sample;
END $$;

CREATE OR REPLACE FUNCTION rd_qa_uphold(p_supervisor text, p_decision text)
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_now timestamptz;
BEGIN
  PERFORM rd_qa_settleable(p_supervisor, p_decision);
  v_now := clock_timestamp();
  UPDATE qa_samples q SET settled_by = p_supervisor, settled_at = v_now, settlement = 'upheld',
         change_seq = rd_next_change()
   WHERE q.decision_id = p_decision;
  RETURN v_now;
END $$;

CREATE OR REPLACE FUNCTION rd_qa_overturn(p_sample text, p_id text, p_case text,
    p_round integer, p_outcome text, p_reasons text, p_comment text, p_reviewer text,
    p_token bigint, p_device_time timestamptz, p_workstation text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_case cases;
  v_sample qa_samples;
  v_old decisions;
  v_reasons jsonb;
  v_round integer;
  v_seq bigint;
BEGIN
  v_reasons := rd_decision_reasons(p_outcome, p_reasons);
  v_case := rd_case(p_case, true);  -- serialises with every other decision on the case
  SELECT * INTO v_old FROM decisions WHERE id = p_id;
  IF FOUND THEN  -- the same overturn sent again
    IF EXISTS (SELECT 1 FROM qa_samples q WHERE q.decision_id = p_sample AND q.overturned_by = p_id) THEN
      RETURN v_old.state;
    END IF;
    PERFORM rd_fail('id_reused', format('decision %s arrived twice with different content', p_id),
      jsonb_build_object('decision_id', p_id));
  END IF;
  IF p_outcome NOT IN ('reject', 'return') THEN
    PERFORM rd_fail('outcome', 'overturning an approval needs a rejection or a return; to keep it, uphold');
  END IF;
  v_sample := rd_qa_settleable(p_reviewer, p_sample);
  IF v_sample.case_id <> p_case THEN
    PERFORM rd_fail('state', format('decision %s is not on this case', p_sample));
  END IF;
  PERFORM rd_check_decision(v_case, p_outcome, v_reasons, p_comment);
  IF NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = p_sample AND d.effective AND d.case_id = p_case) THEN
    PERFORM rd_fail('state', format('decision %s no longer stands on this case', p_sample));
  END IF;
  SELECT d.round_no INTO v_round FROM decisions d WHERE d.id = p_sample;
  v_seq := rd_supersede(p_case, v_round, p_sample, p_id, p_outcome, p_reasons, p_comment,
                        p_reviewer, p_token, p_device_time, p_workstation);
  UPDATE qa_samples q SET settled_by = p_reviewer, settled_at = clock_timestamp(),
         settlement = 'overturned', overturned_by = p_id, change_seq = v_seq
   WHERE q.decision_id = p_sample;
  RETURN 'accepted';
END $$;
