-- The player's appeal of a case's first decision: why, and their statement (one per case).
CREATE TABLE appeals (
    case_no TEXT PRIMARY KEY REFERENCES cases (case_no),
    reason TEXT NOT NULL,
    statement TEXT NOT NULL,
    appealed_at TIMESTAMPTZ NOT NULL
);
