"""Validation against LINE's official OpenAPI documents (line/line-openapi).

The documents live outside the project (``<checkout>/../shared/contracts/line``) and are read
in place; nothing is copied into the project. When they are absent, callers skip the
OpenAPI part of their checks (:func:`find_contracts_dir` returns ``None``).

OpenAPI 3.0 schema objects are (almost) JSON Schema Draft 4, validated here with
``jsonschema.Draft4Validator`` plus two adaptations:

* ``nullable: true`` becomes ``type: [<type>, "null"]``.
* ``discriminator`` — LINE's documents put the discriminator on the *base* schema
  (``Message``) without ``oneOf``; the subtypes (``TextMessage``) are ``allOf [Message, {...}]``.
  A plain validator therefore never looks at subtype fields (the known blind spot). We
  implement the keyword: an object validated against a base schema is also validated against
  the subtype its discriminator value maps to. To avoid infinite recursion the subtypes'
  ``allOf`` reference a copy of the base schema without the discriminator. With
  ``strict_discriminator=True`` (requests we send) an unmapped value is an error; with
  ``False`` (webhooks LINE sends, where new event types may appear) it only gets the base
  schema's checks.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

MESSAGING_API_YML = "messaging-api.yml"
WEBHOOK_YML = "webhook.yml"

_SCHEMAS = "#/components/schemas/"
_BASE_SUFFIX = "__base"
_X_BASE = "x-fake-base"
_REQUIRED = re.compile(r"^'([^']+)' is a required property$")
_X_INCLUDES_BASE = "x-fake-targets-including-base"


def default_contracts_dir() -> Path:
    """``/work/shared/contracts/line`` for a checkout at ``/work/main``.

    This file is ``<checkout>/tests/fakes/contracts.py``: parents[0] = fakes,
    [1] = tests, [2] = <checkout>, [3] = the directory holding the checkout and ``shared``.
    """
    return Path(__file__).resolve().parents[3] / "shared" / "contracts" / "line"


def find_contracts_dir() -> Path | None:
    """The contracts directory if both LINE documents are present there, else ``None``."""
    directory = default_contracts_dir()
    if (directory / MESSAGING_API_YML).is_file() and (directory / WEBHOOK_YML).is_file():
        return directory
    return None


@dataclass(frozen=True)
class SchemaError:
    """One contract violation: a LINE-style property path (``messages[0].text``) and a message."""

    property: str
    message: str

    def __str__(self) -> str:
        return f"{self.property or '<body>'}: {self.message}"


def json_path(parts: Any) -> str:
    """``["messages", 0, "text"]`` -> ``messages[0].text`` (LINE's error ``property`` style)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _discriminator_target(schemas: dict[str, Any], discriminator: dict[str, Any], value: Any):
    mapping = discriminator.get("mapping") or {}
    if not isinstance(value, str):
        return None
    if value in mapping:
        return mapping[value]
    if not mapping and value in schemas:  # implicit mapping: value == schema name
        return _SCHEMAS + value
    return None


def _prepare(document: dict[str, Any]) -> dict[str, Any]:
    """Copy of the document with ``nullable`` and discriminator handling applied."""
    doc = copy.deepcopy(document)
    schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})

    def fix_nullable(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("nullable") is True and isinstance(node.get("type"), str):
                node["type"] = [node["type"], "null"]
                if "enum" in node:
                    node["enum"] = [*node["enum"], None]
            for value in node.values():
                fix_nullable(value)
        elif isinstance(node, list):
            for value in node:
                fix_nullable(value)

    fix_nullable(schemas)

    for name, schema in list(schemas.items()):
        discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
        if not discriminator:
            continue
        base_ref = _SCHEMAS + name + _BASE_SUFFIX
        schemas[name + _BASE_SUFFIX] = {k: v for k, v in schema.items() if k != "discriminator"}
        # The base schema itself now only dispatches; the keyword applies the base's checks
        # exactly once (via the subtype's allOf, or directly) so errors are not duplicated.
        includes_base: list[str] = []
        for target in set((discriminator.get("mapping") or {}).values()):
            sub = schemas.get(target.removeprefix(_SCHEMAS))
            if not isinstance(sub, dict):
                continue
            for part in sub.get("allOf", []):
                if isinstance(part, dict) and part.get("$ref") == _SCHEMAS + name:
                    part["$ref"] = base_ref
                    includes_base.append(target)
        schemas[name] = {
            "discriminator": discriminator,
            _X_BASE: base_ref,
            _X_INCLUDES_BASE: sorted(includes_base),
        }
    return doc


def _make_validator_class(schemas: dict[str, Any], *, strict: bool):
    def discriminator(validator, value, instance, schema) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        prop = value.get("propertyName")
        base_ref = schema.get(_X_BASE)
        target = _discriminator_target(schemas, value, instance.get(prop))
        if target is None:
            if strict and prop in instance:
                allowed = sorted((value.get("mapping") or {}).keys())
                yield ValidationError(
                    f"{instance[prop]!r} is not a known {prop}; expected one of {allowed}",
                    path=[prop],
                )
            if base_ref:  # e.g. a missing "type" is reported by the base's "required"
                yield from validator.descend(instance, {"$ref": base_ref})
            return
        yield from validator.descend(instance, {"$ref": target})
        if base_ref and target not in schema.get(_X_INCLUDES_BASE, []):
            yield from validator.descend(instance, {"$ref": base_ref})

    return validators.extend(Draft4Validator, {"discriminator": discriminator})


def _short_message(error: ValidationError) -> str:
    """A LINE-like message without jsonschema's repr of (possibly huge) instances."""
    keyword, limit, instance = error.validator, error.validator_value, error.instance
    if keyword in ("maxLength", "minLength") and isinstance(instance, str):
        op = "<=" if keyword == "maxLength" else ">="
        return f"length must be {op} {limit} (got {len(instance)})"
    if keyword in ("maxItems", "minItems") and isinstance(instance, list):
        op = "<=" if keyword == "maxItems" else ">="
        return f"size must be {op} {limit} (got {len(instance)})"
    if keyword in ("maximum", "minimum"):
        op = "<=" if keyword == "maximum" else ">="
        return f"must be {op} {limit} (got {instance!r})"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


class OpenApiContract:
    """One LINE OpenAPI document, able to validate request bodies and named schemas."""

    def __init__(self, path: Path, *, strict_discriminator: bool = True) -> None:
        self.path = Path(path)
        with self.path.open(encoding="utf-8") as fh:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            self.document: dict[str, Any] = yaml.load(fh, Loader=loader)
        self._prepared = _prepare(self.document)
        self._uri = f"urn:line-openapi:{self.path.name}"
        self._registry = Registry().with_resource(
            self._uri, Resource.from_contents(self._prepared, default_specification=DRAFT4)
        )
        schemas = self._prepared.get("components", {}).get("schemas", {})
        self._validator_class = _make_validator_class(schemas, strict=strict_discriminator)
        self._operations: list[tuple[str, re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in self._prepared.get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            for method, operation in item.items():
                if isinstance(operation, dict) and "responses" in operation:
                    self._operations.append((method.upper(), pattern, template, operation))

    # -- lookups -------------------------------------------------------------------------------
    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """``(path template, operation object)`` for a concrete request, or ``None``."""
        for op_method, pattern, template, operation in self._operations:
            if op_method == method.upper() and pattern.match(path):
                return template, operation
        return None

    def request_body_schema_ref(self, method: str, path: str) -> str | None:
        found = self.operation(method, path)
        if found is None:
            return None
        body = found[1].get("requestBody") or {}
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return None
        return schema.get("$ref") if isinstance(schema, dict) else None

    # -- validation ----------------------------------------------------------------------------
    def _validator(self, ref: str):
        return self._validator_class({"$ref": self._uri + ref}, registry=self._registry)

    def validate_schema(self, schema_name: str, instance: Any) -> list[SchemaError]:
        """Errors of ``instance`` against ``components/schemas/<schema_name>`` (empty = valid)."""
        validator = self._validator(_SCHEMAS + schema_name)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        out: list[SchemaError] = []
        for error in errors:
            path = list(error.absolute_path)
            message = _short_message(error)
            missing = _REQUIRED.match(error.message) if error.validator == "required" else None
            if missing:  # LINE reports the missing field itself: "must be specified"
                path.append(missing.group(1))
                message = "must be specified"
            item = SchemaError(json_path(path), message)
            if item not in out:
                out.append(item)
        return out

    def validate_request_body(self, method: str, path: str, body: Any) -> list[SchemaError]:
        """Errors of a JSON request body against the operation's requestBody schema.

        Raises ``LookupError`` if the document has no such operation or it takes no JSON body.
        """
        ref = self.request_body_schema_ref(method, path)
        if ref is None:
            raise LookupError(f"no JSON requestBody for {method} {path} in {self.path.name}")
        return self.validate_schema(ref.removeprefix(_SCHEMAS), body)


@functools.lru_cache(maxsize=8)
def load_contract(path: Path, *, strict_discriminator: bool = True) -> OpenApiContract:
    """Parsed, cached contract (the messaging document is ~6000 lines of YAML)."""
    return OpenApiContract(path, strict_discriminator=strict_discriminator)


def messaging_api_contract(contracts_dir: Path | None = None) -> OpenApiContract | None:
    directory = contracts_dir or find_contracts_dir()
    if directory is None or not (Path(directory) / MESSAGING_API_YML).is_file():
        return None
    return load_contract(Path(directory).resolve() / MESSAGING_API_YML, strict_discriminator=True)


def webhook_contract(contracts_dir: Path | None = None) -> OpenApiContract | None:
    """Webhook document; unknown event types are allowed (LINE adds new ones over time)."""
    directory = contracts_dir or find_contracts_dir()
    if directory is None or not (Path(directory) / WEBHOOK_YML).is_file():
        return None
    return load_contract(Path(directory).resolve() / WEBHOOK_YML, strict_discriminator=False)
