-- Reading a case loads its evidence by case number; without this it scans every upload.
CREATE INDEX evidence_by_case ON evidence(case_no);
