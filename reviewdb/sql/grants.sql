-- ReviewDesk central store: what the workstations' group role may use and call.
--
-- Runs after the function files, before policies.sql (which grants SELECT on tables one
-- by one, each together with its row-level-security policy). The group role gets no
-- INSERT, UPDATE, DELETE or TRUNCATE anywhere: every write goes through an rd_* function.
-- Every rd_* function is revoked from PUBLIC; a function added to the function files
-- needs its REVOKE here (install refuses to finish otherwise) and, when workstations
-- call it, its GRANT EXECUTE.
--
-- Placeholders (filled in by reviewdb.central_pg with psycopg.sql):
--   {group}  the database's NOLOGIN workstation group role (central_pg.group_role_name)
--   {people} the database's NOLOGIN people group role (central_pg.people_role_name): the
--            persons' own logins, which may only ask for a person token (identity.sql)

-- Nobody but the owner creates objects in public: a workstation-made function or
-- operator could otherwise shadow one that the definer functions call.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {group};
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {group};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {group};

-- Functions workstations call.
REVOKE ALL ON FUNCTION rd_my_districts() FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_claim(text, text, text, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_renew(text, text, bigint, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_release(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_takeover(text, text, text, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_reassign(text, text, text, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_pause_user(text, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_submit_decision(text, text, integer, text, text, text, text, bigint, timestamptz, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_submit_decisions(text[], text[], integer[], text[], text[], text[], text[], bigint[], timestamptz[], text[], boolean[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_confirm(text, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_undo(text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_resolve_conflict(text, text, text, integer, text, text, text, text, bigint, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_supersede(text, integer, text, text, text, text, text, text, bigint, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_draw(text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_verdict(text, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_uphold(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_overturn(text, text, text, integer, text, text, text, text, bigint, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_u64(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_shares(jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_sample(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_qa_settleable(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_append_journal(text, bigint, text, text, text, timestamptz, timestamptz, text, text, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_record_print(text, text, text, integer, text, text, text, integer, text, text, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_register_station(text, text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_put_blob_chunk(text, integer, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_complete_blob(text, bigint, text) FROM PUBLIC;
-- Blobs (blobs.sql): the owner's clean-up, and the helper the chunk functions share.
REVOKE ALL ON FUNCTION rd_gc_blob_chunks(double precision, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_blob_declared_size(text) FROM PUBLIC;
-- Identity (identity.sql): workstations prove a person with a token; persons get tokens.
REVOKE ALL ON FUNCTION rd_act_as(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_whoami() FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_issue_token(text, text, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_revoke_tokens(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_actor() FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_token_hours() FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {people};
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {people};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {people};
GRANT EXECUTE ON FUNCTION rd_act_as(text) TO {group};
GRANT EXECUTE ON FUNCTION rd_whoami() TO {group};
GRANT EXECUTE ON FUNCTION rd_issue_token(text, text, double precision) TO {people};
GRANT EXECUTE ON FUNCTION rd_whoami() TO {people};
-- Helpers only the definer functions call.
REVOKE ALL ON FUNCTION rd_privileged() FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_fail(text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_case(text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_check_user(text, text, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_check_lease(double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_json(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_next_change() FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_rules(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_case_rules(cases) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_lease_seconds(text, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_check_text(text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_check_decision(cases, text, jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_decision_reasons(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_decision_resent(decisions, text, integer, text, jsonb, text, text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_decision_checks(cases, text, text, jsonb, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION rd_decided_status(text, boolean) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION rd_my_districts() TO {group};
GRANT EXECUTE ON FUNCTION rd_claim(text, text, text, double precision) TO {group};
GRANT EXECUTE ON FUNCTION rd_renew(text, text, bigint, double precision) TO {group};
GRANT EXECUTE ON FUNCTION rd_release(text, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_takeover(text, text, text, double precision) TO {group};
GRANT EXECUTE ON FUNCTION rd_reassign(text, text, text, double precision) TO {group};
GRANT EXECUTE ON FUNCTION rd_pause_user(text, text, boolean) TO {group};
GRANT EXECUTE ON FUNCTION rd_submit_decision(text, text, integer, text, text, text, text, bigint, timestamptz, text, boolean) TO {group};
GRANT EXECUTE ON FUNCTION rd_submit_decisions(text[], text[], integer[], text[], text[], text[], text[], bigint[], timestamptz[], text[], boolean[]) TO {group};
GRANT EXECUTE ON FUNCTION rd_confirm(text, text, boolean) TO {group};
GRANT EXECUTE ON FUNCTION rd_undo(text, text, integer) TO {group};
GRANT EXECUTE ON FUNCTION rd_resolve_conflict(text, text, text, integer, text, text, text, text, bigint, timestamptz, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_qa_draw(text, text, text, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_qa_verdict(text, text, boolean, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_qa_uphold(text, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_qa_overturn(text, text, text, integer, text, text, text, text, bigint, timestamptz, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_append_journal(text, bigint, text, text, text, timestamptz, timestamptz, text, text, text, text, text, text, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_record_print(text, text, text, integer, text, text, text, integer, text, text, timestamptz, text) TO {group};
GRANT EXECUTE ON FUNCTION rd_register_station(text, text, bigint) TO {group};
GRANT EXECUTE ON FUNCTION rd_put_blob_chunk(text, integer, bytea) TO {group};
GRANT EXECUTE ON FUNCTION rd_complete_blob(text, bigint, text) TO {group};
