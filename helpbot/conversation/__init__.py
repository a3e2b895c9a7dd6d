"""The conversation core: channel-neutral messages in, replies out. No Flask, no SDKs."""
