"""Hypothesis strategies for hostile webhooks: realistic LINE and Slack requests, mutated.

Bodies start from the builders in ``tests/fakes`` (so they are shaped like what the
platforms send), then a value is swapped for an odd one (NaN, a lone surrogate, NUL, a huge
number, a deep list...), a key is dropped or added, or the encoded bytes are cut, flipped or
spliced. Most are signed with the right secret, so they reach the parser and the database.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.fakes import line_webhooks as line
from tests.fakes import slack_requests as slack

ODD_TEXT = ["\x00", "\ud800", "\udfff", "a\x00b", "\ufeff", "\u202e", "𠮷", "\\u0000", "'--", ""]
text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(exclude_categories=()), max_size=20),  # lone surrogates too
    st.sampled_from(ODD_TEXT),
    st.text(max_size=5).map(lambda s: s * 200),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)


def _nest(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


deep = st.integers(min_value=20, max_value=2000).map(_nest)


@st.composite
def line_events(draw: st.DrawFn) -> dict[str, Any]:
    """One realistic LINE event, from the builders in tests/fakes/line_webhooks.py."""
    user = draw(st.sampled_from([line.new_user_id(), "U" + "0" * 32]))
    builder = draw(st.sampled_from(["text", "sticker", "image", "location", "follow",
                                    "unfollow", "postback", "unknown"]))
    if builder == "text":
        return line.text_event(draw(text), user_id=user)
    if builder == "postback":
        return line.postback_event(draw(text), user_id=user)
    if builder == "location":
        return line.location_event(draw(st.floats()), draw(st.floats()), user_id=user)
    if builder == "unknown":
        return line.unknown_event(draw(text), user_id=user)
    return getattr(line, f"{builder}_event")(user_id=user)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if len(prefix) > 40:  # a deep list put in by an earlier mutation: no need to go further
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _set(root: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = root
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return root


@st.composite
def mutated_payloads(draw: st.DrawFn) -> Any:
    """A webhook payload with a few values swapped, keys dropped or added."""
    payload: Any = {"destination": line.DEFAULT_DESTINATION,
                    "events": draw(st.lists(line_events(), min_size=1, max_size=3))}
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(_paths(payload)))
        action = draw(st.sampled_from(["value", "value", "deep", "drop", "add"]))
        if action == "value":
            payload = _set(payload, path, draw(json_values))
        elif action == "deep":
            payload = _set(payload, path, draw(deep))
        elif action == "drop" and path:
            target = payload
            for step in path[:-1]:
                target = target[step]
            del target[path[-1]]
        elif action == "add":
            target = payload
            for step in path:
                target = target[step]
            if isinstance(target, dict):
                target[draw(text)] = draw(json_values)
    return payload


def encode(payload: Any, *, ascii_only: bool) -> bytes:
    """JSON bytes as a careless sender writes them: NaN allowed, surrogates passed through."""
    try:
        raw = json.dumps(payload, ensure_ascii=ascii_only, separators=(",", ":"))
    except (RecursionError, ValueError):
        raw = '{"events":' + "[" * 5000 + "]" * 5000 + "}"
    return raw.encode("utf-8", "surrogatepass")


@st.composite
def mutated_bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    """``raw`` cut, flipped, or with bytes spliced in (sometimes unchanged)."""
    how = draw(st.sampled_from(["same", "same", "cut", "flip", "splice"]))
    if how == "same" or not raw:
        return raw
    # A position drawn independently of the length (ids and URLs vary in length per run).
    at = draw(st.integers(min_value=0, max_value=2**20)) % len(raw)
    if how == "cut":
        return raw[:at]
    if how == "flip":
        return raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1:]
    return raw[:at] + draw(st.binary(max_size=16)) + raw[at:]


@st.composite
def line_bodies(draw: st.DrawFn) -> bytes:
    payload = draw(mutated_payloads())
    return draw(mutated_bytes(encode(payload, ascii_only=draw(st.booleans()))))


# -- Slack --------------------------------------------------------------------------------------
ACTIONS = ["case_claim", "case_resolve", "case_followup", "nope"]


@st.composite
def slack_requests(draw: st.DrawFn, *, secret: str, channel: str) -> slack.SlackRequest:
    """A realistic signed Slack request with odd values, from tests/fakes/slack_requests.py."""
    kind = draw(st.sampled_from(["command", "action", "view", "event", "verify"]))
    # Slack sends UTF-8: a lone surrogate cannot even be encoded (bytes are mutated later).
    value = draw(st.one_of(text, st.integers(-5, 10**6).map(str)))
    value = value.encode("utf-8", "replace").decode("utf-8")
    user = draw(st.sampled_from(["UWORKER01", "U" + "X" * 8]))
    team = draw(st.sampled_from([slack.DEFAULT_TEAM_ID, slack.DEFAULT_TEAM_ID, "T0OTHER99"]))
    if kind == "command":
        words = draw(st.sampled_from(["", "claim ", "resolve #", "remind ", "remind 1 "]))
        return slack.slash_command("/helpbot", words + value, user_id=user, channel_id=channel,
                                   team_id=team, signing_secret=secret)
    if kind == "action":
        return slack.block_action(draw(st.sampled_from(ACTIONS)), value, user_id=user,
                                  channel_id=draw(st.sampled_from([channel, "C0ELSE"])),
                                  message_ts=slack.new_ts(), team_id=team,
                                  signing_secret=secret)
    if kind == "view":
        values = draw(st.sampled_from([
            {"when": {"when": value}, "message": {"message": value}},
            {"when": {"when": None}},
            {},
        ]))
        return slack.view_submission("case_followup_form", values, user_id=user,
                                     private_metadata=value, team_id=team,
                                     signing_secret=secret)
    if kind == "event":
        event = slack.message_event(value, channel=channel, user=user, ts=slack.new_ts(),
                                    thread_ts=draw(st.sampled_from([None, slack.new_ts()])),
                                    team_id=team)
        return slack.event_callback(event, team_id=team, signing_secret=secret)
    return slack.url_verification(value or None, signing_secret=secret)


@st.composite
def hostile_slack_requests(draw: st.DrawFn, *, secret: str, channel: str) -> slack.SlackRequest:
    """A Slack request with its body mutated (re-signed or not) and odd signature headers."""
    request = draw(slack_requests(secret=secret, channel=channel))
    body = draw(mutated_bytes(request.body))
    if body != request.body:
        request = request.tampered(body)
        if draw(st.booleans()):
            request = request.signed()
    header = draw(st.sampled_from(["keep", "keep", "timestamp", "signature", "type", "drop"]))
    odd = draw(st.one_of(text, st.sampled_from(["abc", "", "9" * 30, "v0=" + "é" * 64])))
    # What an HTTP header can carry: latin-1 bytes, no line breaks.
    odd = "".join(c for c in odd if c not in "\r\n\x00").encode("latin-1", "ignore").decode(
        "latin-1"
    )
    if header == "timestamp":
        request = request.with_headers(**{"X-Slack-Request-Timestamp": odd})
    elif header == "signature":
        request = request.with_headers(**{"X-Slack-Signature": odd})
    elif header == "type":
        request = request.with_headers(**{"Content-Type": odd})
    elif header == "drop":
        request = request.without_signature()
    return request
