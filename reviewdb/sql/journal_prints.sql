-- ReviewDesk central store: what workstations upload besides decisions.
--
-- rd_append_journal (a workstation's hash-chained journal entries; a repeat is a no-op,
-- a changed repeat is refused), rd_record_print (notice print records) and
-- rd_register_station (a workstation's print serial range).
--
-- Placeholders: none.

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
  -- The case moves too: pulls follow the cases' change numbers, so the other workstations
  -- of the district learn of the print (and refuse an undo) on their next sync.
  UPDATE cases SET change_seq = v_seq WHERE id = p_case;
  RETURN true;
END $$;

-- A workstation's print serial range: the same store id always gets the same number.
CREATE OR REPLACE FUNCTION rd_register_station(p_store_id text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_no integer;
BEGIN
  IF NOT rd_privileged() AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  IF p_store_id IS NULL OR length(p_store_id) NOT BETWEEN 8 AND 64 THEN
    PERFORM rd_fail('bad_request', 'a store id has 8 to 64 characters');
  END IF;
  SELECT station_no INTO v_no FROM stations WHERE store_id = p_store_id;
  IF FOUND THEN
    RETURN v_no;
  END IF;
  LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE;  -- one number at a time
  SELECT station_no INTO v_no FROM stations WHERE store_id = p_store_id;
  IF FOUND THEN
    RETURN v_no;
  END IF;
  SELECT coalesce(max(station_no), 0) + 1 INTO v_no FROM stations;
  INSERT INTO stations (store_id, station_no, registered_at)
  VALUES (p_store_id, v_no, clock_timestamp());
  RETURN v_no;
END $$;
