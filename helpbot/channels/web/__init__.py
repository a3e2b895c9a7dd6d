"""The web channel: the playground page, where anyone can try the bot without LINE."""
