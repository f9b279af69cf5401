"""Each token has its own request budget (API_TOKEN_RATE), counted in the cache."""

from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # refused by authentication anyway
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
