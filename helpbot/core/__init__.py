"""What every layer shares, importable from below: channel-neutral messages, the bot's
texts, the port to reach a person, and the retry policy.

Nothing here imports another helpbot package except ``helpbot.errors``.
"""
