-- ReviewDesk central store: what workstations upload besides decisions.
--
-- rd_register_station (a workstation's print serial range, its journal key and the login
-- it is bound to), rd_append_journal (one entry of the caller's own hash-chained journal:
-- at the next position only, its key mark checked; a repeat is a no-op, a changed repeat
-- is refused) and rd_record_print (notice print records).
--
-- The anchored journal (docs/sync.md): a chain is named by the store id of the workstation
-- that registered it; only the login that registered it (stations.login_role) appends to
-- it, and each entry's mac must be HMAC-SHA256 of its hash under the key sent at
-- registration (journal_keys, which no workstation login can read). pgcrypto's hmac()
-- is installed by reviewdb.central_pg.install.
--
-- Placeholders: none.

-- Signatures before the anchored journal (migration 0006): dropped, so the old unchecked
-- entry points cannot stay behind next to the new ones.
DROP FUNCTION IF EXISTS rd_append_journal(text, bigint, text, text, text, timestamptz,
    timestamptz, text, text, text, text, text);
DROP FUNCTION IF EXISTS rd_register_station(text);

CREATE OR REPLACE FUNCTION rd_append_journal(p_chain text, p_seq bigint, p_entry_id text,
    p_actor text, p_workstation text, p_device_time timestamptz, p_store_time timestamptz,
    p_action text, p_case text, p_payload text, p_prev_hash text, p_hash text, p_mac text,
    p_withheld text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_payload jsonb;
  v_district text;
  v_owner text;
  v_found boolean;
  v_key journal_keys;
  v_old central_journal;
  v_last_seq bigint;
  v_last_hash text;
BEGIN
  -- A withheld entry is the position alone: its content was refused (a NUL, a case of
  -- another district), so neither its case nor its payload is checked or kept; the actor
  -- stays (the district's workstations read an entry without a case by its actor).
  IF p_withheld IS NOT NULL THEN
    p_case := NULL;
    p_payload := '{}';
    p_withheld := left(p_withheld, 500);
  END IF;
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
  IF p_hash IS NULL OR p_hash !~ '^[0-9a-f]{64}$' OR p_prev_hash IS NULL
     OR p_prev_hash !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('invalid', 'an entry''s hash and prev_hash are 64 lower-case hex digits');
  END IF;
  -- One appender per chain at a time: the next position is read, then taken.
  PERFORM pg_advisory_xact_lock(hashtextextended('rd_journal:' || coalesce(p_chain, ''), 0));
  SELECT s.login_role, true INTO v_owner, v_found FROM stations s WHERE s.store_id = p_chain;
  IF v_found IS NULL THEN
    PERFORM rd_fail('not_yours',
      format('chain %s is not a registered workstation''s: register the workstation first', p_chain),
      jsonb_build_object('chain', p_chain));
  END IF;
  IF NOT rd_privileged() AND v_owner IS DISTINCT FROM session_user THEN
    PERFORM rd_fail('not_yours',
      format('chain %s belongs to another workstation: a login appends only to the chain it registered', p_chain),
      jsonb_build_object('chain', p_chain));
  END IF;
  SELECT * INTO v_old FROM central_journal WHERE entry_id = p_entry_id;
  IF FOUND THEN
    IF v_old.chain = p_chain AND v_old.seq = p_seq AND v_old.actor IS NOT DISTINCT FROM p_actor
       AND v_old.workstation = p_workstation AND v_old.device_time = p_device_time
       AND v_old.store_time = p_store_time AND v_old.action = p_action
       AND v_old.case_id IS NOT DISTINCT FROM p_case AND v_old.payload::jsonb = v_payload
       AND v_old.prev_hash = p_prev_hash AND v_old.hash = p_hash
       AND v_old.mac IS NOT DISTINCT FROM p_mac
       AND v_old.withheld IS NOT DISTINCT FROM p_withheld THEN
      RETURN false;
    END IF;
    PERFORM rd_fail('id_reused',
      format('journal entry %s arrived twice with different content', p_entry_id),
      jsonb_build_object('entry_id', p_entry_id));
  END IF;
  SELECT c.seq, c.hash INTO v_last_seq, v_last_hash FROM central_journal c
  WHERE c.chain = p_chain ORDER BY c.seq DESC LIMIT 1;
  v_last_seq := coalesce(v_last_seq, 0);
  v_last_hash := coalesce(v_last_hash, repeat('0', 64));
  IF p_seq IS NULL OR p_seq <= v_last_seq THEN
    PERFORM rd_fail('id_reused',
      format('chain %s already holds another entry at seq %s', p_chain, p_seq),
      jsonb_build_object('chain', p_chain, 'seq', p_seq));
  END IF;
  IF p_seq <> v_last_seq + 1 OR p_prev_hash <> v_last_hash THEN
    PERFORM rd_fail('not_next',
      format('chain %s is at entry %s: only entry %s following it may come next',
             p_chain, v_last_seq, v_last_seq + 1),
      jsonb_build_object('chain', p_chain, 'seq', p_seq, 'next', v_last_seq + 1));
  END IF;
  SELECT * INTO v_key FROM journal_keys k WHERE k.owner = p_chain;
  IF p_mac IS NOT NULL OR p_seq >= coalesce(v_key.keyed_from, 1) THEN
    IF v_key.secret IS NULL THEN
      PERFORM rd_fail('bad_mac',
        format('chain %s has no key: register the workstation with its key first', p_chain),
        jsonb_build_object('chain', p_chain, 'seq', p_seq));
    END IF;
    IF p_mac IS NULL OR p_mac <> encode(hmac(convert_to(p_hash, 'UTF8'),
                                              decode(v_key.secret, 'hex'), 'sha256'), 'hex') THEN
      PERFORM rd_fail('bad_mac',
        format('entry %s of chain %s is not marked with the workstation''s key', p_seq, p_chain),
        jsonb_build_object('chain', p_chain, 'seq', p_seq));
    END IF;
  END IF;
  INSERT INTO central_journal (chain, seq, entry_id, actor, workstation, device_time,
      store_time, action, case_id, payload, prev_hash, hash, mac, withheld, received_at)
  VALUES (p_chain, p_seq, p_entry_id, p_actor, p_workstation, p_device_time, p_store_time,
      p_action, p_case, p_payload, p_prev_hash, p_hash, p_mac, p_withheld, clock_timestamp());
  RETURN true;
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

-- A workstation registers once: its print serial range (the same store id always gets the
-- same number), its journal key (the key its entries' marks are checked against) and the
-- login it is bound to (session_user; the owner registers without binding). The same
-- login with the same key again is a no-op; another login, or another key, is refused.
-- A station registered before keys (0006) is bound, and keyed, by its next registration.
CREATE OR REPLACE FUNCTION rd_register_station(p_store_id text, p_key text, p_keyed_from bigint)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_no integer;
  v_owner text;
  v_key journal_keys;
  v_privileged boolean := rd_privileged();
BEGIN
  IF NOT v_privileged AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  IF p_store_id IS NULL OR length(p_store_id) NOT BETWEEN 8 AND 64 THEN
    PERFORM rd_fail('bad_request', 'a store id has 8 to 64 characters');
  END IF;
  IF p_key IS NULL OR p_key !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('bad_request', 'a journal key is 64 lower-case hex digits (32 random bytes)');
  END IF;
  IF p_keyed_from IS NULL OR p_keyed_from < 1 THEN
    PERFORM rd_fail('bad_request', 'keyed_from is a journal position (1 or more)');
  END IF;
  LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE;  -- one registration at a time
  SELECT * INTO v_key FROM journal_keys k WHERE k.owner = p_store_id;
  IF v_key.secret IS NOT NULL AND v_key.secret <> p_key THEN
    PERFORM rd_fail('not_yours',
      format('store id %s is registered with another journal key: ask the administrator', p_store_id),
      jsonb_build_object('store_id', p_store_id));
  END IF;
  SELECT s.station_no, s.login_role INTO v_no, v_owner FROM stations s WHERE s.store_id = p_store_id;
  IF v_no IS NOT NULL AND v_owner IS NOT NULL AND v_owner <> session_user AND NOT v_privileged THEN
    PERFORM rd_fail('not_yours',
      format('store id %s is registered to another login: ask the administrator', p_store_id),
      jsonb_build_object('store_id', p_store_id));
  END IF;
  IF v_no IS NULL THEN
    SELECT coalesce(max(station_no), 0) + 1 INTO v_no FROM stations;
    INSERT INTO stations (store_id, station_no, registered_at, login_role)
    VALUES (p_store_id, v_no, clock_timestamp(),
            CASE WHEN v_privileged THEN NULL ELSE session_user END);
  ELSIF v_owner IS NULL AND NOT v_privileged THEN
    UPDATE stations SET login_role = session_user WHERE store_id = p_store_id;
  END IF;
  IF v_key.owner IS NULL THEN
    INSERT INTO journal_keys (owner, secret, keyed_from, created_at)
    VALUES (p_store_id, p_key, p_keyed_from, clock_timestamp());
  ELSIF v_key.secret IS NULL THEN
    UPDATE journal_keys SET secret = p_key, keyed_from = greatest(keyed_from, p_keyed_from)
    WHERE owner = p_store_id;
  END IF;
  RETURN v_no;
END $$;
