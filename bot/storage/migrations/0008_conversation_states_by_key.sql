-- Comeback schema, version 8: conversation states read per chat and person.

-- Each update reads the states of its own chat and person, of every flow at once (the router in
-- conversations/routing.py), instead of python-telegram-bot loading all of them at start. The
-- rows are kept as they were, so conversations in progress, and the buttons already sent, go on.
CREATE INDEX conversation_states_by_key ON conversation_states(key);
