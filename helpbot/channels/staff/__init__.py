"""Pages for NPO staff (signed in): the report with its charts at ``/staff/report``."""
