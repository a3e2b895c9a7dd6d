"""Cases: a person handed to a human case worker, from opening to resolution."""
