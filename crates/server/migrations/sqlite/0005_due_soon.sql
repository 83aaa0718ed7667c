-- When the developer was told that one working day is left (set once per case).
ALTER TABLE cases ADD COLUMN due_soon_at INTEGER;
