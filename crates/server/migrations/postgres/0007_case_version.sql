-- As SQLite's 0009_case_version.sql: a case's version, raised in the same transaction as
-- every change to what a case view shows besides the case's own row, by triggers, so it
-- holds for every writer (every server process, the operator's CLI).
ALTER TABLE cases ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION raise_case_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.case_no IS NOT NULL THEN
            UPDATE cases SET version = version + 1 WHERE case_no = OLD.case_no;
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.case_no IS NOT NULL THEN
            UPDATE cases SET version = version + 1 WHERE case_no = NEW.case_no;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.case_no IS DISTINCT FROM OLD.case_no AND NEW.case_no IS NOT NULL THEN
            UPDATE cases SET version = version + 1 WHERE case_no = NEW.case_no;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_events_version AFTER INSERT OR UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION raise_case_version();
CREATE TRIGGER evidence_version AFTER INSERT OR UPDATE OR DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION raise_case_version();
CREATE TRIGGER decisions_version AFTER INSERT OR UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION raise_case_version();
CREATE TRIGGER refunds_version AFTER INSERT OR UPDATE OR DELETE ON refunds
    FOR EACH ROW EXECUTE FUNCTION raise_case_version();
CREATE TRIGGER case_orders_version AFTER INSERT OR UPDATE OR DELETE ON case_orders
    FOR EACH ROW EXECUTE FUNCTION raise_case_version();

-- A claimed order shows its item and payment time.
CREATE FUNCTION raise_claiming_cases_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET version = version + 1
    WHERE case_no IN (SELECT case_no FROM case_orders WHERE order_no = NEW.order_no);
    RETURN NULL;
END
$$;

CREATE TRIGGER orders_version AFTER UPDATE OF item, paid_at ON orders
    FOR EACH ROW EXECUTE FUNCTION raise_claiming_cases_version();
