"""Messages to people that must arrive: stored, claimed, sent, retried, never doubled."""
