-- ReviewDesk central store: attachment blobs, uploaded in chunks.
--
-- rd_put_blob_chunk stores one chunk; rd_complete_blob checks that the chunks add up
-- to the size and hash to the name, then marks the blob present (immutable from then on)
-- and drops any chunk past its end; rd_gc_blob_chunks (the owner's `reviewdesk central
-- gc-chunks`) drops the chunks of uploads that were abandoned or never belonged to a case.
--
-- The layout is fixed: chunk i holds bytes [i * @MAX_CHUNK@, (i + 1) * @MAX_CHUNK@) of the
-- blob, so every chunk but the last is exactly @MAX_CHUNK@ bytes (reviewdb.blobs.CHUNK_BYTES)
-- and a blob has at most 32 chunks (reviewdb.blobs.MAX_BLOB_CHUNKS). A workstation login may
-- send a chunk only of a blob that an attachment of a case in its districts is, and only the
-- chunk that attachment's size calls for, byte for byte: what one login may store is bounded
-- by the images of its own cases, and a chunk past the end is refused.
--
-- Placeholders (replaced by reviewdb.central_pg before the script runs):
--   @MAX_CHUNK@  the chunk size, in bytes (central_pg.MAX_CHUNK_BYTES)

CREATE OR REPLACE FUNCTION rd_blob_declared_size(p_sha256 text) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  -- The size the attachments of the caller's cases (every case's, for the owner) give this
  -- blob; NULL when none of them is this blob.
  SELECT max(a.size) FROM attachments a
    JOIN case_rounds r ON r.id = a.round_id
    JOIN cases c ON c.id = r.case_id
   WHERE a.sha256 = p_sha256
     AND (rd_privileged() OR c.district_code = ANY (rd_my_districts()))
$$;

CREATE OR REPLACE FUNCTION rd_put_blob_chunk(p_sha256 text, p_idx integer, p_data bytea)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_size bigint;
  v_want bigint;
BEGIN
  IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('invalid', format('not a sha256 name: %s', left(p_sha256, 80)));
  END IF;
  IF p_idx IS NULL OR p_idx < 0 OR p_idx >= 32 OR p_data IS NULL OR octet_length(p_data) = 0
     OR octet_length(p_data) > @MAX_CHUNK@ THEN
    PERFORM rd_fail('invalid', format(
      'chunk index or size out of range (chunks 0 to 31 of 1 to %s bytes)', @MAX_CHUNK@));
  END IF;
  IF NOT rd_privileged() AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  v_size := rd_blob_declared_size(p_sha256);
  IF v_size IS NULL AND NOT rd_privileged() THEN
    PERFORM rd_fail('not_in_district', format(
      'image %s is no attachment of a case in the districts of %s', left(p_sha256, 12),
      session_user));
  END IF;
  IF v_size IS NOT NULL THEN
    v_want := least(@MAX_CHUNK@::bigint, v_size - p_idx::bigint * @MAX_CHUNK@);
    IF v_want <= 0 THEN
      PERFORM rd_fail('invalid', format(
        'image %s has %s bytes: it has no chunk %s', left(p_sha256, 12), v_size, p_idx));
    ELSIF octet_length(p_data) <> v_want THEN
      PERFORM rd_fail('invalid', format(
        'chunk %s of image %s must be %s bytes (chunks of %s bytes), not %s',
        p_idx, left(p_sha256, 12), v_want, @MAX_CHUNK@, octet_length(p_data)));
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('rd_blob:' || p_sha256, 0));
  -- A verified blob is immutable: chunks arriving after completion change nothing.
  IF EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = p_sha256 AND b.present) THEN
    RETURN;
  END IF;
  INSERT INTO blob_chunks (sha256, idx, data, received_at)
  VALUES (p_sha256, p_idx, p_data, clock_timestamp())
  ON CONFLICT (sha256, idx) DO UPDATE SET data = EXCLUDED.data,
                                          received_at = EXCLUDED.received_at;
END $$;

CREATE OR REPLACE FUNCTION rd_complete_blob(p_sha256 text, p_size bigint, p_media_type text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_present boolean;
  v_size bigint;
  v_declared bigint;
  v_chunks integer;
  v_count bigint;
  v_hash text;
BEGIN
  IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('invalid', format('not a sha256 name: %s', left(p_sha256, 80)));
  END IF;
  IF p_size IS NULL OR p_size < 0 OR p_size > 32::bigint * @MAX_CHUNK@
     OR p_media_type IS NULL THEN
    PERFORM rd_fail('invalid', 'blob size (at most 32 chunks) and media type are required');
  END IF;
  IF NOT rd_privileged() AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  v_declared := rd_blob_declared_size(p_sha256);
  IF v_declared IS NULL AND NOT rd_privileged() THEN
    PERFORM rd_fail('not_in_district', format(
      'image %s is no attachment of a case in the districts of %s', left(p_sha256, 12),
      session_user));
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('rd_blob:' || p_sha256, 0));
  SELECT b.present, b.size INTO v_present, v_size FROM blobs b WHERE b.sha256 = p_sha256;
  IF FOUND AND v_present THEN
    RETURN v_size = p_size;
  END IF;
  IF v_declared IS NOT NULL AND v_declared <> p_size THEN
    RETURN false;  -- not the size its attachment has
  END IF;
  v_chunks := ((p_size + @MAX_CHUNK@ - 1) / @MAX_CHUNK@)::integer;
  -- Only the chunks the layout calls for count, each of its exact length: a stray chunk
  -- past the end never blocks the upload (it is dropped below).
  SELECT count(*) INTO v_count FROM blob_chunks c
   WHERE c.sha256 = p_sha256 AND c.idx < v_chunks
     AND octet_length(c.data) = least(@MAX_CHUNK@::bigint, p_size - c.idx::bigint * @MAX_CHUNK@);
  IF v_count <> v_chunks THEN
    RETURN false;  -- chunks missing or short: the upload resumes
  END IF;
  SELECT encode(sha256(coalesce(string_agg(c.data, ''::bytea ORDER BY c.idx), ''::bytea)), 'hex')
    INTO v_hash
    FROM blob_chunks c WHERE c.sha256 = p_sha256 AND c.idx < v_chunks;
  IF v_hash <> p_sha256 THEN
    RETURN false;  -- a chunk is corrupt: the blob never becomes present
  END IF;
  INSERT INTO blobs (sha256, size, media_type, present, created_at)
  VALUES (p_sha256, p_size, p_media_type, true, clock_timestamp())
  ON CONFLICT (sha256) DO UPDATE SET present = true, size = EXCLUDED.size,
                                     media_type = EXCLUDED.media_type;
  DELETE FROM blob_chunks c WHERE c.sha256 = p_sha256 AND c.idx >= v_chunks;
  RETURN true;
END $$;

CREATE OR REPLACE FUNCTION rd_gc_blob_chunks(p_max_age_seconds double precision,
                                             p_grace_seconds double precision)
RETURNS TABLE (reason text, images bigint, chunks bigint, bytes bigint)
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
-- The owner's clean-up (not granted to workstations). Per blob, under the blob's lock:
--   completed  a present blob's chunks past its end (its own chunks are its bytes: kept);
--   orphan     an incomplete blob no attachment is, untouched for p_grace_seconds (the
--              intake sends a blob's chunks just before its case's rows commit);
--   stale      an incomplete blob whose newest chunk is older than p_max_age_seconds (an
--              abandoned upload: sending it again starts over).
DECLARE
  r record;
  v_kind text;
  v_chunks bigint;
  v_bytes bigint;
  v_now timestamptz := clock_timestamp();
  v_images bigint[] := ARRAY[0, 0, 0];
  v_count bigint[] := ARRAY[0, 0, 0];
  v_sum bigint[] := ARRAY[0, 0, 0];
  v_at integer;
BEGIN
  IF NOT rd_privileged() THEN
    PERFORM rd_fail('not_allowed', 'only the store''s owner cleans up image chunks');
  END IF;
  IF p_max_age_seconds IS NULL OR p_max_age_seconds < 0
     OR p_grace_seconds IS NULL OR p_grace_seconds < 0 THEN
    PERFORM rd_fail('invalid', 'ages must be given, in seconds, not negative');
  END IF;
  FOR r IN
    SELECT c.sha256, coalesce(bool_or(b.present), false) AS present, max(b.size) AS size,
           max(c.idx) AS last_idx, max(c.received_at) AS newest
      FROM blob_chunks c LEFT JOIN blobs b ON b.sha256 = c.sha256
     GROUP BY c.sha256
    HAVING (coalesce(bool_or(b.present), false)
            AND max(c.idx) >= (max(b.size) + @MAX_CHUNK@ - 1) / @MAX_CHUNK@)
        OR (NOT coalesce(bool_or(b.present), false)
            AND max(c.received_at) < v_now - make_interval(
                  secs => least(p_grace_seconds, p_max_age_seconds)))
     ORDER BY c.sha256
  LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('rd_blob:' || r.sha256, 0));
    IF EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = r.sha256 AND b.present) THEN
      v_kind := 'completed';
      WITH gone AS (
        DELETE FROM blob_chunks c USING blobs b
         WHERE c.sha256 = r.sha256 AND b.sha256 = c.sha256
           AND c.idx >= (b.size + @MAX_CHUNK@ - 1) / @MAX_CHUNK@
        RETURNING octet_length(c.data) AS n)
      SELECT count(*), coalesce(sum(n), 0) INTO v_chunks, v_bytes FROM gone;
    ELSE
      IF NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = r.sha256)
         AND r.newest < v_now - make_interval(secs => p_grace_seconds) THEN
        v_kind := 'orphan';
      ELSIF r.newest < v_now - make_interval(secs => p_max_age_seconds) THEN
        v_kind := 'stale';
      ELSE
        CONTINUE;
      END IF;
      WITH gone AS (
        DELETE FROM blob_chunks c WHERE c.sha256 = r.sha256
        RETURNING octet_length(c.data) AS n)
      SELECT count(*), coalesce(sum(n), 0) INTO v_chunks, v_bytes FROM gone;
    END IF;
    IF v_chunks > 0 THEN
      v_at := array_position(ARRAY['completed', 'orphan', 'stale'], v_kind);
      v_images[v_at] := v_images[v_at] + 1;
      v_count[v_at] := v_count[v_at] + v_chunks;
      v_sum[v_at] := v_sum[v_at] + v_bytes;
    END IF;
  END LOOP;
  RETURN QUERY
    SELECT k.kind, v_images[k.at::integer], v_count[k.at::integer], v_sum[k.at::integer]
      FROM unnest(ARRAY['completed', 'orphan', 'stale']) WITH ORDINALITY AS k(kind, at);
END $$;
