-- As SQLite's 0007_force_majeure.sql.
-- Force majeure reports of developer organisations, their evidence files and platform
-- staff's decision on them.
CREATE TABLE force_majeure (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(org_id),
    description    TEXT NOT NULL,
    -- China dates, YYYY-MM-DD, both included.
    starts_on      TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    reported_by    TEXT NOT NULL REFERENCES staff(login),
    reported_at    TIMESTAMPTZ NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
    decided_by     TEXT REFERENCES staff(login),
    decided_at     TIMESTAMPTZ,
    decision_note  TEXT,
    -- On acceptance: how many cases' deadlines moved, and by how many working days
    -- (those of the period no earlier accepted period covered).
    moved_cases    BIGINT,
    moved_days     BIGINT
);
CREATE INDEX force_majeure_by_org ON force_majeure(org_id, reported_at);

CREATE TABLE force_majeure_files (
    id          TEXT PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES force_majeure(id),
    position    BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    media_type  TEXT NOT NULL,
    file_name   TEXT NOT NULL
);
CREATE INDEX force_majeure_files_by_report ON force_majeure_files(report_id, position);
CREATE INDEX force_majeure_files_by_sha ON force_majeure_files(sha256);

-- The case's deadline when a credit entry was recorded: a late decision's deduction is
-- excused when that deadline falls inside an accepted period.
ALTER TABLE credit_ledger ADD COLUMN deadline_at TIMESTAMPTZ;
