"""The JSON Schema offered to editors describes exactly the documented input (issue: 边输入边校验).

Data is validated as an editor sees it: YAML numbers as JSON numbers, codes typed as numbers or text.
The committed schema is compared with the model's by meaning (types, keys, required fields, enums,
bounds), not by one pydantic version's incidental wording or ordering.
"""

import json
from decimal import Decimal

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT
from jsonschema import Draft202012Validator

from budgetgen.loading import load_file
from budgetgen.model import json_schema
from budgetgen.validation import parse_budget

COMMITTED = ROOT / "schemas" / "budget.schema.json"
VALID_FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted((FIXTURES / "valid").glob("*.yaml"))
# Bad inputs whose problem is the type or shape of a value, which a schema can express.
SHAPE_ERRORS = (
    "bad-fund",
    "bad-level",
    "bad-unit",
    "bool-amount",
    "crlf-missing-year",
    "indicator-shape",
    "missing-dept-code",
    "missing-year",
    "short-code",
    "string-amount",
    "top-level-list",
    "unknown-field",
    "wrong-type-amount",
    "year-out-of-range",
)


def as_editor_sees(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, dict):
        return {str(k): as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    return value


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.name)
def test_every_documented_file_validates(validator, path):
    loaded = load_file(path)
    parse_budget(loaded)  # the loader and the model accept it …
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(as_editor_sees(loaded.data))
    ]
    assert errors == [], errors[:5]  # … and so does the schema


@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_shape_errors_fail_the_schema(validator, name):
    path = ROOT / "tests" / "bad_inputs" / f"{name}.yaml"
    data = as_editor_sees(load_file(path).data)
    assert list(validator.iter_errors(data)), f"{name} passes the schema"


def meaning(node, defs, seen=()):
    """What a schema node accepts, without titles, descriptions, defaults or ordering."""
    if isinstance(node, bool):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return ("ref", name) if name in seen else meaning(defs[name], defs, seen + (name,))
    result = {}
    alternatives = node.get("anyOf") or node.get("oneOf")
    if alternatives:
        flat = []
        for alternative in alternatives:
            reduced = meaning(alternative, defs, seen)
            flat += reduced["anyOf"] if isinstance(reduced, dict) and set(reduced) == {"anyOf"} else [reduced]
        result["anyOf"] = sorted(json.dumps(a, ensure_ascii=False, sort_keys=True) for a in flat)
    for key in (
        "type",
        "enum",
        "const",
        "pattern",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ):
        if key in node:
            result[key] = sorted(node[key]) if key == "enum" else node[key]
    if "properties" in node:
        result["properties"] = {k: meaning(v, defs, seen) for k, v in sorted(node["properties"].items())}
        result["required"] = sorted(node.get("required", []))
    for key in ("items", "additionalProperties", "propertyNames"):
        if key in node:
            result[key] = meaning(node[key], defs, seen)
    return result


def test_committed_schema_means_what_the_model_accepts():
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    generated = json_schema()
    assert meaning(committed, committed.get("$defs", {})) == meaning(generated, generated.get("$defs", {})), (
        "schemas/budget.schema.json is stale: run `budgetgen schema`"
    )


def test_schema_command_writes_the_model_schema(tmp_path):
    from conftest import invoke

    target = tmp_path / "schema.json"
    result = invoke("schema", "-o", target)
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()


def test_examples_name_the_schema_for_editors():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schemas/budget.schema.json"
        ), path
