"""The Slack app manifest in README.md is valid against Slack's published JSON schema
(slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json, vendored with its licence)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests/data/slack_manifest_schema/manifest.schema.1.0.0.json"


def readme_manifest() -> dict:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(   display_information:.*?)   ```", text, re.DOTALL)
    return yaml.safe_load(textwrap.dedent(block))


def test_the_readme_manifest_is_valid():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    manifest = readme_manifest()
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(manifest), key=str)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_the_manifest_names_what_helpbot_uses():
    manifest = readme_manifest()
    (shortcut,) = manifest["features"]["shortcuts"]
    assert (shortcut["callback_id"], shortcut["type"]) == ("faq_add", "message")
    scopes = manifest["oauth_config"]["scopes"]
    assert {"files:write", "users:read", "chat:write"} <= set(scopes["bot"])
    assert {"openid", "profile"} <= set(scopes["user"])
    assert manifest["oauth_config"]["redirect_urls"] == [
        "https://YOUR-HOST/staff/sign-in/slack/callback"]


def test_the_schema_catches_a_broken_manifest():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    manifest = readme_manifest()
    manifest["features"]["shortcuts"][0]["name"] = "x" * 25  # Slack allows 24 characters
    assert list(jsonschema.Draft7Validator(schema).iter_errors(manifest))
