-- ReviewDesk central store: which rows the workstations' group role may read.
--
-- Runs after grants.sql (which revoked everything on every table from the group role).
-- Each table whose rows belong to a district gets row-level security, one SELECT-only
-- policy and a SELECT grant, together; a row is visible when it hangs off a case of a
-- district the login serves (images too: blobs and blob_chunks, through attachments).
-- Reference tables at the end are readable whole. The tables' owner is not affected
-- (RLS is enabled, not forced). A table added by a migration stays unreadable to
-- workstations until it is listed here.
--
-- Placeholders (filled in by reviewdb.central_pg with psycopg.sql):
--   {group}   the database's NOLOGIN workstation group role (central_pg.group_role_name)
--   {policy}  the policy's name (central_pg.POLICY_NAME)
--   {mine}    the districts of the calling login, as text[] (central_pg.MINE): an
--             InitPlan, evaluated once per query, not a function call per row

-- Cases, and what hangs off a case directly.

ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON cases;
CREATE POLICY {policy} ON cases FOR SELECT TO {group} USING (
  cases.district_code = ANY ({mine}));
GRANT SELECT ON cases TO {group};

ALTER TABLE case_rounds ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON case_rounds;
CREATE POLICY {policy} ON case_rounds FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = case_rounds.case_id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON case_rounds TO {group};

-- What hangs off a case's round.

ALTER TABLE round_people ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON round_people;
CREATE POLICY {policy} ON round_people FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.case_rounds rd_r JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_r.id = round_people.round_id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON round_people TO {group};

ALTER TABLE custody_facts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON custody_facts;
CREATE POLICY {policy} ON custody_facts FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.case_rounds rd_r JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_r.id = custody_facts.round_id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON custody_facts TO {group};

ALTER TABLE rural_house_facts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON rural_house_facts;
CREATE POLICY {policy} ON rural_house_facts FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.case_rounds rd_r JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_r.id = rural_house_facts.round_id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON rural_house_facts TO {group};

ALTER TABLE rentals ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON rentals;
CREATE POLICY {policy} ON rentals FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.case_rounds rd_r JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_r.id = rentals.round_id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON rentals TO {group};

ALTER TABLE residence_permits ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON residence_permits;
CREATE POLICY {policy} ON residence_permits FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.case_rounds rd_r JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_r.id = residence_permits.round_id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON residence_permits TO {group};

ALTER TABLE attachments ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON attachments;
CREATE POLICY {policy} ON attachments FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.case_rounds rd_r JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_r.id = attachments.round_id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON attachments TO {group};

-- Review work on a case: findings, claims, decisions, notice prints, property uses.

ALTER TABLE findings ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON findings;
CREATE POLICY {policy} ON findings FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = findings.case_id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON findings TO {group};

ALTER TABLE claims ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON claims;
CREATE POLICY {policy} ON claims FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = claims.case_id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON claims TO {group};

ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON decisions;
CREATE POLICY {policy} ON decisions FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = decisions.case_id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON decisions TO {group};

ALTER TABLE notice_prints ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON notice_prints;
CREATE POLICY {policy} ON notice_prints FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = notice_prints.case_id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON notice_prints TO {group};

-- 抽查: a district's draws, and the samples of its cases.
ALTER TABLE qa_draws ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON qa_draws;
CREATE POLICY {policy} ON qa_draws FOR SELECT TO {group} USING (
  qa_draws.district_code = ANY ({mine}));
GRANT SELECT ON qa_draws TO {group};

ALTER TABLE qa_samples ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON qa_samples;
CREATE POLICY {policy} ON qa_samples FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = qa_samples.case_id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON qa_samples TO {group};

ALTER TABLE property_uses ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON property_uses;
CREATE POLICY {policy} ON property_uses FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = property_uses.case_id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON property_uses TO {group};

-- What a case points to: its application, the student, the properties it uses.

ALTER TABLE applications ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON applications;
CREATE POLICY {policy} ON applications FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.application_id = applications.id
          AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON applications TO {group};

-- Students and properties are keyed by district (migration 0007): a row is visible only
-- when it is the login's district's own and a case of that district reaches it. (A student
-- without a district was written around intake, e.g. synthetic rows: its cases decide.)

ALTER TABLE students ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON students;
CREATE POLICY {policy} ON students FOR SELECT TO {group} USING (
  (students.district_code IS NULL OR students.district_code = ANY ({mine}))
  AND EXISTS (SELECT 1 FROM public.applications rd_a
          JOIN public.cases rd_c ON rd_c.application_id = rd_a.id
          WHERE rd_a.student_id = students.id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON students TO {group};

ALTER TABLE properties ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON properties;
CREATE POLICY {policy} ON properties FOR SELECT TO {group} USING (
  properties.district_code = ANY ({mine})
  AND EXISTS (SELECT 1 FROM public.property_uses rd_pu
          JOIN public.cases rd_c ON rd_c.id = rd_pu.case_id
          WHERE rd_pu.property_id = properties.id AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON properties TO {group};

-- Images: a blob and its chunks are visible when an attachment of a case of the login's
-- districts is that blob (the same image in two districts' cases is visible to both).

ALTER TABLE blobs ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON blobs;
CREATE POLICY {policy} ON blobs FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.attachments rd_at
          JOIN public.case_rounds rd_r ON rd_r.id = rd_at.round_id
          JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_at.sha256 = blobs.sha256 AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON blobs TO {group};

ALTER TABLE blob_chunks ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON blob_chunks;
CREATE POLICY {policy} ON blob_chunks FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.attachments rd_at
          JOIN public.case_rounds rd_r ON rd_r.id = rd_at.round_id
          JOIN public.cases rd_c ON rd_c.id = rd_r.case_id
          WHERE rd_at.sha256 = blob_chunks.sha256 AND rd_c.district_code = ANY ({mine})));
GRANT SELECT ON blob_chunks TO {group};

-- Users sharing a district with the login, and their district memberships.

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON users;
CREATE POLICY {policy} ON users FOR SELECT TO {group} USING (
  EXISTS (SELECT 1 FROM public.user_districts rd_ud WHERE rd_ud.user_id = users.id
          AND rd_ud.district_code = ANY ({mine})));
-- Never the verifier columns (password_hash) nor the lockout counters: a workstation gets
-- a person's verifier only by that person logging in on it (reviewdb/sql/identity.sql).
GRANT SELECT (id, username, display_name, role, reviewer_code, disabled, paused_at, paused_by,
              created_at, change_seq)
  ON users TO {group};

ALTER TABLE user_districts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON user_districts;
CREATE POLICY {policy} ON user_districts FOR SELECT TO {group} USING (
  user_districts.district_code = ANY ({mine}));
GRANT SELECT ON user_districts TO {group};

-- Both journals: an entry about a case follows the case; one without a case (logins,
-- user administration) follows its actor, a username.

ALTER TABLE central_journal ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON central_journal;
CREATE POLICY {policy} ON central_journal FOR SELECT TO {group} USING (
  CASE WHEN central_journal.case_id IS NOT NULL THEN
    EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = central_journal.case_id
            AND rd_c.district_code = ANY ({mine}))
  ELSE
    EXISTS (SELECT 1 FROM public.users rd_u
            JOIN public.user_districts rd_ud ON rd_ud.user_id = rd_u.id
            WHERE rd_u.username = central_journal.actor
            AND rd_ud.district_code = ANY ({mine}))
  END);
GRANT SELECT ON central_journal TO {group};

ALTER TABLE journal ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON journal;
CREATE POLICY {policy} ON journal FOR SELECT TO {group} USING (
  CASE WHEN journal.case_id IS NOT NULL THEN
    EXISTS (SELECT 1 FROM public.cases rd_c WHERE rd_c.id = journal.case_id
            AND rd_c.district_code = ANY ({mine}))
  ELSE
    EXISTS (SELECT 1 FROM public.users rd_u
            JOIN public.user_districts rd_ud ON rd_ud.user_id = rd_u.id
            WHERE rd_u.username = journal.actor
            AND rd_ud.district_code = ANY ({mine}))
  END);
GRANT SELECT ON journal TO {group};

-- The login's own district mapping.

ALTER TABLE db_role_districts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {policy} ON db_role_districts;
CREATE POLICY {policy} ON db_role_districts FOR SELECT TO {group} USING (
  db_role_districts.role_name = session_user);
GRANT SELECT ON db_role_districts TO {group};

-- Reference tables: readable whole, no policy.

GRANT SELECT ON districts TO {group};
GRANT SELECT ON schools TO {group};
GRANT SELECT ON change_counter TO {group};
GRANT SELECT ON settings TO {group};
GRANT SELECT ON alembic_version TO {group};
