-- Comeback schema, version 9: why a check-in was cancelled.

-- 'stopped': "Stop all check-ins" cancelled it; "Resume" brings back what still makes sense
-- (bot.scheduling.planner, CheckinPlanner.resume_user) and marks the rest 'not_resumed'.
-- 'late': a mood check that fell due too long ago to help (dropped by the catch-up after
-- downtime or a pause). NULL: any other reason (a goal done or replanned, a blocked bot,
-- nothing left to ask), and every check-in cancelled before this version.
ALTER TABLE check_ins ADD COLUMN cancel_reason TEXT;
