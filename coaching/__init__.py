"""Pure coaching logic (no Telegram): models, feedback drafts, SWOT, resources, deadlines."""
