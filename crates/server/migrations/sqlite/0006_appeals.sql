-- The player's appeal of a case's first decision: why, their statement and the files it
-- added (one per case).
CREATE TABLE appeals (
    case_no TEXT PRIMARY KEY REFERENCES cases (case_no),
    reason TEXT NOT NULL,
    statement TEXT NOT NULL,
    -- The uploads the appeal added, as a JSON array of evidence ids.
    evidence_ids TEXT NOT NULL DEFAULT '[]',
    appealed_at INTEGER NOT NULL
);
