-- Comeback schema, version 4: an index the hot path was missing (tests/test_query_plans.py).

-- "The goal of this debrief" (DebriefRepository.goal_for: the debrief's goal step, the plan,
-- check-in planning) read the whole goals table; with 100,000 users that is a full scan per
-- call.
CREATE INDEX goals_by_rejection ON goals(rejection_id, id);
