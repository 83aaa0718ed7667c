-- A case's version: raised in the same transaction as every change to what a case view
-- shows besides the case's own row (claimed orders, evidence, events, decisions, refunds).
-- Readers keep those parts by (case, version) and read the row, version included, fresh on
-- every request; so a kept copy is used only while nothing it holds has changed. Triggers
-- raise it, so it holds for every writer: this process, another one, the operator's CLI.
ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER case_events_version_insert AFTER INSERT ON case_events BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = NEW.case_no;
END;
CREATE TRIGGER case_events_version_update AFTER UPDATE ON case_events BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no IN (OLD.case_no, NEW.case_no);
END;
CREATE TRIGGER case_events_version_delete AFTER DELETE ON case_events BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = OLD.case_no;
END;

-- Uploads not yet in a case (case_no NULL) belong to no view.
CREATE TRIGGER evidence_version_insert AFTER INSERT ON evidence WHEN NEW.case_no IS NOT NULL BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = NEW.case_no;
END;
CREATE TRIGGER evidence_version_update AFTER UPDATE ON evidence
    WHEN OLD.case_no IS NOT NULL OR NEW.case_no IS NOT NULL BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no IN (OLD.case_no, NEW.case_no);
END;
CREATE TRIGGER evidence_version_delete AFTER DELETE ON evidence WHEN OLD.case_no IS NOT NULL BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = OLD.case_no;
END;

CREATE TRIGGER decisions_version_insert AFTER INSERT ON decisions BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = NEW.case_no;
END;
CREATE TRIGGER decisions_version_update AFTER UPDATE ON decisions BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no IN (OLD.case_no, NEW.case_no);
END;
CREATE TRIGGER decisions_version_delete AFTER DELETE ON decisions BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = OLD.case_no;
END;

CREATE TRIGGER refunds_version_insert AFTER INSERT ON refunds BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = NEW.case_no;
END;
CREATE TRIGGER refunds_version_update AFTER UPDATE ON refunds BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no IN (OLD.case_no, NEW.case_no);
END;
CREATE TRIGGER refunds_version_delete AFTER DELETE ON refunds BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = OLD.case_no;
END;

CREATE TRIGGER case_orders_version_insert AFTER INSERT ON case_orders BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = NEW.case_no;
END;
CREATE TRIGGER case_orders_version_update AFTER UPDATE ON case_orders BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no IN (OLD.case_no, NEW.case_no);
END;
CREATE TRIGGER case_orders_version_delete AFTER DELETE ON case_orders BEGIN
    UPDATE cases SET version = version + 1 WHERE case_no = OLD.case_no;
END;

-- A claimed order shows its item and payment time.
CREATE TRIGGER orders_version_update AFTER UPDATE OF item, paid_at ON orders BEGIN
    UPDATE cases SET version = version + 1
    WHERE case_no IN (SELECT case_no FROM case_orders WHERE order_no = NEW.order_no);
END;
