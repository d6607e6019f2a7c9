"""The OpenAPI schema states the request guard (core/middleware.py): no string may contain a NUL
character. Without it the schema would call such requests valid, and clients (and the Schemathesis
fuzz, sciencebridge/api/tests/test_fuzz.py) would expect them to be accepted."""

NO_NUL = "^[^\\u0000]*$"


def _bound(schema) -> None:
    if isinstance(schema, dict):
        if (
            schema.get("type") == "string"
            and not {"format", "enum", "pattern", "const"} & schema.keys()
        ):
            schema["pattern"] = NO_NUL
        if schema.get("type") == "object" and "propertyNames" not in schema:
            schema["propertyNames"] = {
                "pattern": NO_NUL
            }  # keys too: the guard refuses a NUL in a JSON key
        for value in schema.values():
            _bound(value)
    elif isinstance(schema, list):
        for value in schema:
            _bound(value)


def document_input_guard(result, generator, request, public):
    """drf-spectacular post-processing hook: every free string of the request side (the request
    components of COMPONENT_SPLIT_REQUEST, and the parameters) excludes NUL. (The length guard,
    MAX_TEXT_VALUE_CHARS, is far above any length a client sends, so it is not declared.)"""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _bound(component)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict):
                _bound(operation.get("parameters", []))
                _bound(operation.get("requestBody", {}))
    return result
