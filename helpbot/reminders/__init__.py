"""Follow-up reminders: reading when a case worker wants one, and keeping to quiet hours."""
