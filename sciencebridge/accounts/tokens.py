"""Account activation links: single use (the hash covers ``is_active`` and the last login) and distinct
from password-reset links (own salt), valid for ``PASSWORD_RESET_TIMEOUT`` seconds."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "sciencebridge.accounts.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token = ActivationTokenGenerator()
