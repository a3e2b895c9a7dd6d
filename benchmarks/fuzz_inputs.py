"""Seeded hostile requests for ``helpbot bench fuzz``: realistic bodies, then mutated.

Each generator starts from a request shaped like the platform's (a LINE webhook event, a
Slack slash command / button / form / event, a playground message), swaps values for odd
ones (NaN, NUL, lone surrogates, huge numbers, deep nesting, long strings), drops or adds
keys, cuts or flips bytes, and most of the time signs the result with the right secret, so
that it reaches the parser and the database. The same seed gives the same requests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from benchmarks.harness import sign

ODD_TEXT = ["\x00", "\ud800", "\udfff", "a\x00b", "\ufeff", "\u202e", "𠮷", "\\u0000", "'--",
            "", "食べ物に困っています", "<!channel>", "%00", "x" * 5000]
ODD_SCALARS: list[Any] = [None, True, 0, -1, 2**63, 2**80, 1e308, float("nan"), float("inf"),
                          -0.0, [], {}, "", "0" * 70]


@dataclass(frozen=True, slots=True)
class FuzzRequest:
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    query: str = ""


def _text(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.4:
        return rng.choice(ODD_TEXT)
    if choice < 0.7:
        return "".join(chr(rng.randrange(0x20, 0x3100)) for _ in range(rng.randrange(0, 30)))
    return "".join(chr(rng.randrange(0, 0x110000)) for _ in range(rng.randrange(0, 10)))


def _value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if roll < 0.45 or depth > 2:
        return rng.choice(ODD_SCALARS) if rng.random() < 0.5 else _text(rng)
    if roll < 0.6:
        nested: Any = 1
        for _ in range(rng.choice([10, 40, 1000, 5000])):
            nested = [nested] if rng.random() < 0.5 else {"a": nested}
        return nested
    if roll < 0.8:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return {_text(rng): _value(rng, depth + 1) for _ in range(rng.randrange(0, 4))}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if len(prefix) < 8 and isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif len(prefix) < 8 and isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def mutate_json(payload: Any, rng: random.Random, *, rounds: int) -> Any:
    """Swap values, drop keys, add keys at random paths (in place; returns the root)."""
    for _ in range(rounds):
        path = rng.choice(_paths(payload))
        if not path:
            continue
        parent = payload
        for step in path[:-1]:
            parent = parent[step]
        action = rng.random()
        if action < 0.6:
            parent[path[-1]] = _value(rng)
        elif action < 0.8:
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[_text(rng)] = _value(rng)
    return payload


def encode(payload: Any, rng: random.Random) -> bytes:
    """JSON as a careless sender writes it: NaN allowed, lone surrogates passed through."""
    try:
        raw = json.dumps(payload, ensure_ascii=rng.random() < 0.5, separators=(",", ":"))
    except (RecursionError, ValueError):
        raw = '{"events":' + "[" * 5000 + "]" * 5000 + "}"
    return raw.encode("utf-8", "surrogatepass")


def mutate_bytes(raw: bytes, rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.6 or not raw:
        return raw
    at = rng.randrange(len(raw))
    if roll < 0.75:
        return raw[:at]
    if roll < 0.9:
        return raw[:at] + bytes([raw[at] ^ rng.randrange(1, 256)]) + raw[at + 1:]
    return raw[:at] + rng.randbytes(rng.randrange(1, 16)) + raw[at:]


def _id(rng: random.Random, size: int, alphabet: str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ") -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def line_event(rng: random.Random) -> dict[str, Any]:
    """A realistic LINE event (LINE's webhook.yml shapes), from a small fixed set of users."""
    kind = rng.choice(["text", "text", "text", "sticker", "follow", "unfollow", "postback",
                       "image", "somethingnew"])
    event: dict[str, Any] = {
        "type": "message" if kind in ("text", "sticker", "image") else kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": "U" + _id(rng, 32, "0123456789abcdef")},
        "webhookEventId": _id(rng, 26),
        "deliveryContext": {"isRedelivery": rng.random() < 0.1},
    }
    if kind != "unfollow":
        event["replyToken"] = _id(rng, 32, "0123456789abcdef")
    if kind == "text":
        event["message"] = {"type": "text", "id": _id(rng, 18, "0123456789"),
                            "quoteToken": _id(rng, 40), "text": _text(rng)}
    elif kind in ("sticker", "image"):
        event["message"] = {"type": kind, "id": _id(rng, 18, "0123456789"),
                            "stickerId": "1988", "packageId": "446"}
    elif kind == "postback":
        event["postback"] = {"data": rng.choice(["a=entry&id=food-bank", _text(rng)])}
    return event


def line_request(rng: random.Random, secret: str) -> FuzzRequest:
    payload = {"destination": "U" + "b0" * 16,
               "events": [line_event(rng) for _ in range(rng.randrange(1, 4))]}
    body = mutate_bytes(encode(mutate_json(payload, rng, rounds=rng.randrange(0, 4)), rng), rng)
    roll = rng.random()
    if roll < 0.85:
        signature = sign(body, secret)
    elif roll < 0.9:
        signature = "\u00e9" * 44
    elif roll < 0.95:
        signature = ""
    else:
        signature = sign(body, "not-the-secret")
    return FuzzRequest("POST", "/webhooks/line", body,
                       {"X-Line-Signature": signature, "Content-Type": "application/json"})


def sign_slack(body: bytes, secret: str, timestamp: str) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def _slack_payload(rng: random.Random, *, team: str, channel: str) -> tuple[Any, str]:
    kind = rng.choice(["command", "action", "view", "event"])
    user = {"id": "UWORKER01", "username": "sato", "team_id": team}
    number = rng.choice(["1", "12", "999999999999", "-3", _text(rng)])
    if kind == "command":
        text = rng.choice(["", "claim ", "resolve #", "remind ", "remind 1 "]) + number
        return {"command": "/helpbot", "text": text, "team_id": team, "channel_id": channel,
                "user_id": "UWORKER01", "user_name": "sato"}, "form"
    if kind == "action":
        return {"type": "block_actions", "team": {"id": team}, "user": user,
                "channel": {"id": rng.choice([channel, "C0ELSEWHERE"])},
                "trigger_id": "1.2.3", "actions": [{
                    "action_id": rng.choice(["case_claim", "case_resolve", "case_followup"]),
                    "value": number, "type": "button"}]}, "payload"
    if kind == "view":
        state = {"when": {"when": {"value": rng.choice(["3日後", "tomorrow 9am", number])}},
                 "message": {"message": {"value": _text(rng)}}}
        return {"type": "view_submission", "team": {"id": team}, "user": user,
                "view": {"callback_id": "case_followup_form", "private_metadata": number,
                         "state": {"values": state}}}, "payload"
    event = {"type": "message", "text": _text(rng), "user": "UWORKER01", "team": team,
             "channel": channel, "ts": f"{time.time():.6f}", "thread_ts": f"{time.time():.6f}"}
    return {"type": "event_callback", "team_id": team, "event": event,
            "event_id": "Ev" + _id(rng, 10)}, "json"


def _utf8(text: str) -> str:
    """What a form can carry: text that encodes as UTF-8 (lone surrogates become "?")."""
    return text.encode("utf-8", "replace").decode("utf-8")


def slack_request(rng: random.Random, secret: str, *, team: str, channel: str) -> FuzzRequest:
    payload, shape = _slack_payload(rng, team=team, channel=channel)
    payload = mutate_json(payload, rng, rounds=rng.randrange(0, 3))
    if shape == "json":
        body, content_type = encode(payload, rng), "application/json"
    else:
        fields = payload if shape == "form" and isinstance(payload, dict) else {
            "payload": encode(payload, rng).decode("utf-8", "replace")}
        safe = {_utf8(str(k)): _utf8(v if isinstance(v, str) else encode(v, rng).decode(
            "utf-8", "replace")) for k, v in fields.items()}
        body, content_type = urlencode(safe).encode(), "application/x-www-form-urlencoded"
    body = mutate_bytes(body, rng)
    timestamp = str(int(time.time()))
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": sign_slack(body, secret, timestamp)}
    roll = rng.random()
    if roll < 0.1:
        headers["X-Slack-Request-Timestamp"] = rng.choice(["abc", "", "9" * 40, "-1", "1e9"])
    elif roll < 0.2:
        headers["X-Slack-Signature"] = rng.choice(["v0=" + "\u00e9" * 64, "", "v0=zz",
                                                   sign_slack(body, "wrong", timestamp)])
    elif roll < 0.25:
        headers["X-Slack-Request-Timestamp"] = str(int(time.time()) - 3600)
    return FuzzRequest("POST", "/webhooks/slack", body, headers)


def web_request(rng: random.Random) -> FuzzRequest:
    session = rng.choice(["fuzz-session-" + _id(rng, 6), _text(rng), "a" * 65, "short"])
    if rng.random() < 0.3:
        after = rng.choice(["0", "1", "-1", "1e23", "9" * 30, _text(rng), "NaN"])
        query = urlencode({"session": session.encode("utf-8", "replace").decode(),
                           "after": after.encode("utf-8", "replace").decode()})
        return FuzzRequest("GET", "/api/playground/messages", query=query)
    payload: Any = rng.choice([
        {"session": session, "text": _text(rng)},
        {"session": session, "postback": _text(rng)},
        {"session": session, "event": "follow"},
    ])
    headers = {"Content-Type": "application/json"}
    if rng.random() < 0.5:  # the session as scripts send it, beside or instead of the body's
        headers["X-Helpbot-Session"] = session.encode("utf-8", "replace").decode()
        if rng.random() < 0.5 and isinstance(payload, dict):
            payload = {k: v for k, v in payload.items() if k != "session"}
    payload = mutate_json(payload, rng, rounds=rng.randrange(0, 3))
    body = mutate_bytes(encode(payload, rng), rng)
    return FuzzRequest("POST", "/api/playground/messages", body, headers)
