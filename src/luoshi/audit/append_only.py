"""The PostgreSQL triggers that make the audit trail append-only: UPDATE and DELETE of audit rows
and checkpoints are refused, except the purge of exported rows past retention (`luoshi audit purge`
sets `luoshi.audit_purge` for its transaction). Installed by the migrations (0007 and the squash)."""

from __future__ import annotations

from typing import Any

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION luoshi_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- `luoshi audit purge` removes the exported rows past retention (SET LOCAL, one transaction).
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_auditevent'
       AND current_setting('luoshi.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'luoshi audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION luoshi_audit_append_only();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION luoshi_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS luoshi_audit_append_only();
"""


def triggers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)  # '%' is PL/pgSQL's


def no_triggers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)
