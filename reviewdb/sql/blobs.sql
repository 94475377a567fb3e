-- ReviewDesk central store: attachment blobs, uploaded in chunks.
--
-- rd_put_blob_chunk stores one chunk; rd_complete_blob checks that the chunks add up
-- to the size and hash to the name, then marks the blob present (immutable from then on).
--
-- Placeholders (replaced by reviewdb.central_pg before the script runs):
--   @MAX_CHUNK@  the largest chunk, in bytes (central_pg.MAX_CHUNK_BYTES)

CREATE OR REPLACE FUNCTION rd_put_blob_chunk(p_sha256 text, p_idx integer, p_data bytea)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('invalid', format('not a sha256 name: %s', left(p_sha256, 80)));
  END IF;
  IF p_idx IS NULL OR p_idx < 0 OR p_data IS NULL OR octet_length(p_data) = 0
     OR octet_length(p_data) > @MAX_CHUNK@ THEN
    PERFORM rd_fail('invalid', 'chunk index or size out of range');
  END IF;
  IF NOT rd_privileged() AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('rd_blob:' || p_sha256, 0));
  -- A verified blob is immutable: chunks arriving after completion change nothing.
  IF EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = p_sha256 AND b.present) THEN
    RETURN;
  END IF;
  INSERT INTO blob_chunks (sha256, idx, data) VALUES (p_sha256, p_idx, p_data)
  ON CONFLICT (sha256, idx) DO UPDATE SET data = EXCLUDED.data;
END $$;

CREATE OR REPLACE FUNCTION rd_complete_blob(p_sha256 text, p_size bigint, p_media_type text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_present boolean;
  v_size bigint;
  v_count bigint;
  v_min integer;
  v_max integer;
  v_total bigint;
  v_hash text;
BEGIN
  IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
    PERFORM rd_fail('invalid', format('not a sha256 name: %s', left(p_sha256, 80)));
  END IF;
  IF p_size IS NULL OR p_size < 0 OR p_media_type IS NULL THEN
    PERFORM rd_fail('invalid', 'blob size and media type are required');
  END IF;
  IF NOT rd_privileged() AND cardinality(rd_my_districts()) = 0 THEN
    PERFORM rd_fail('not_in_district', format('%s serves no district', session_user));
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('rd_blob:' || p_sha256, 0));
  SELECT b.present, b.size INTO v_present, v_size FROM blobs b WHERE b.sha256 = p_sha256;
  IF FOUND AND v_present THEN
    RETURN v_size = p_size;
  END IF;
  SELECT count(*), min(c.idx), max(c.idx), sum(octet_length(c.data))
    INTO v_count, v_min, v_max, v_total
    FROM blob_chunks c WHERE c.sha256 = p_sha256;
  IF v_count = 0 OR v_min <> 0 OR v_max <> v_count - 1 OR v_total <> p_size THEN
    RETURN false;  -- chunks missing: the upload resumes
  END IF;
  SELECT encode(sha256(string_agg(c.data, ''::bytea ORDER BY c.idx)), 'hex') INTO v_hash
    FROM blob_chunks c WHERE c.sha256 = p_sha256;
  IF v_hash <> p_sha256 THEN
    RETURN false;  -- a chunk is corrupt: the blob never becomes present
  END IF;
  INSERT INTO blobs (sha256, size, media_type, present, created_at)
  VALUES (p_sha256, p_size, p_media_type, true, clock_timestamp())
  ON CONFLICT (sha256) DO UPDATE SET present = true, size = EXCLUDED.size,
                                     media_type = EXCLUDED.media_type;
  RETURN true;
END $$;
