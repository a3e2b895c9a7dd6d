"""The Slack side, for case workers. Only this package imports ``slack_bolt``/``slack_sdk``."""
