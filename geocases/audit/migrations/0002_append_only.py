from django.db import migrations

# Rows can be neither changed nor deleted. (TRUNCATE, which the application
# never issues, stays possible for the test suite's flush between tests.)

APPEND_ONLY = """
CREATE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION audit_auditentry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY)]
