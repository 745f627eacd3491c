"""Follow-up check-ins: pure scheduling math, the planner that writes them, the dispatcher."""
