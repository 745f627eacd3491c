-- Comeback schema, version 11: the date in the hirer's reply.

-- A reply that says when to try again ("apply again in 6 months", "we'll keep your CV on file
-- for a year") gives its feedback request a local day for a reminder on the plan and a check-in
-- (kind 'reapply'). `reapply_reason`: 'apply_again' (they suggested it) or 'cv_on_file' (they
-- keep the CV until then).
ALTER TABLE feedback_requests ADD COLUMN reapply_on TEXT;
ALTER TABLE feedback_requests ADD COLUMN reapply_reason TEXT
    CHECK (reapply_reason IS NULL OR reapply_reason IN ('apply_again', 'cv_on_file'));
