-- Comeback schema, version 7: completed debriefs by the moment they were completed.

-- Every dispatcher run repairs plans that were completed but whose check-ins were never written
-- (a storage fault used to split finishing a debrief from scheduling its check-ins; see
-- docs/reliability.md). It looks only at debriefs completed in a recent window, through this
-- index, which holds completed debriefs only.
CREATE INDEX rejections_completed ON rejections(completed_at) WHERE status = 'completed';
