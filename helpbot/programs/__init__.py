"""Support programs: facts about a person, conditions, records (HSDS 3) and the finder."""
