"""API authentication: tokens that expire, a throttled token endpoint, and the caller's own tokens.

- ``ExpiringTokenAuthentication``: a token older than ``API_TOKEN_LIFETIME_DAYS`` (30 by default) is
  refused with 401, like an unknown one.
- ``POST /api/v1/auth/token/`` (e-mail or username, password) answers a live token, replacing an expired
  one. Failed attempts count towards the same lockout as the log-in page (django-axes): once locked out
  the endpoint answers 429 whatever the password.
- ``GET /api/v1/auth/tokens/`` lists the caller's tokens (never the secret); ``DELETE`` revokes them.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import live_token, revoke_tokens, token_expired, token_expires_at

TOKEN_OUT = inline_serializer(
    "IssuedToken", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
)
TOKEN_INFO = inline_serializer(
    "TokenInfo",
    {
        "key_prefix": serializers.CharField(),
        "created": serializers.DateTimeField(),
        "expires": serializers.DateTimeField(),
        "expired": serializers.BooleanField(),
    },
    many=True,
)


class ObtainTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # a stale token in the header must not stop someone logging in
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: TOKEN_OUT,
            429: OpenApiResponse(description="Too many failed attempts: locked out for a while"),
        },
        description="Exchange an e-mail address (or username) and password for an API token valid for "
        "API_TOKEN_LIFETIME_DAYS days. Repeated failures lock the account out from this address.",
    )
    def post(self, request):
        # axes reads and flags the Django request itself (client address, lockout), not DRF's wrapper.
        serializer = AuthTokenSerializer(data=request.data, context={"request": request._request})
        if not serializer.is_valid():
            if getattr(request._request, "axes_locked_out", False):
                return Response(
                    {"detail": _("Too many failed attempts. Try again later.")},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token = live_token(serializer.validated_data["user"])
        return Response({"token": token.key, "expires": token_expires_at(token)})


class MyTokensView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: TOKEN_INFO},
        description="The caller's API tokens (the secret itself is never shown again).",
    )
    def get(self, request):
        return Response(
            [
                {
                    "key_prefix": t.key[:6],
                    "created": t.created,
                    "expires": token_expires_at(t),
                    "expired": token_expired(t),
                }
                for t in Token.objects.filter(user=request.user)
            ]
        )

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Revoked")},
        description="Revoke every API token of the caller (including the one making this call).",
    )
    def delete(self, request):
        revoke_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
