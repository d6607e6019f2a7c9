"""OpenAPI generation: document the error responses every endpoint can give, so clients and fuzzers
see 400/401/403/404 as part of the contract rather than surprises."""

from drf_spectacular.openapi import AutoSchema

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input (field errors keyed by field name)",
    "401": "Not authenticated: send 'Authorization: Token <key>'",
    "403": "Authenticated but not allowed",
    "404": "Not found, or not visible to you",
}


class ScienceBridgeAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            responses.setdefault(
                code,
                {"description": description, "content": {"application/json": {"schema": ERROR}}},
            )
        return responses
