"""Channel adapters: they translate platform requests to the core and the core's replies back."""
