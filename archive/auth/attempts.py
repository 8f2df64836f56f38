"""Things counted per e-mail address, in the rate limiter's store every worker shares.

The forms' own limits count per client address; these counts stop many addresses acting on
one e-mail address together: guessing its password (PASSWORD_ATTEMPTS), or filling its inbox
with reset links (RESET_REQUESTS). Each is kept by e-mail address as typed, known or not, so
an address with no account is treated exactly like one with an account.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import MovingWindowRateLimiter

from archive.extensions import limiter


def _key(address: str) -> str:
    # Hashed, so the store, which operators may list, holds no e-mail addresses.
    return hashlib.sha256(address.encode()).hexdigest()


@dataclass(frozen=True)
class AddressCount:
    """One kind of event counted per address, limited by the setting named `setting`."""

    scope: str  # names the count in the store, apart from Flask-Limiter's per-route counts
    setting: str

    def _window(self) -> tuple[MovingWindowRateLimiter, RateLimitItem]:
        # A moving window means "at most N in any M minutes": no fresh quota at a window's edge.
        return MovingWindowRateLimiter(limiter.storage), parse(current_app.config[self.setting])

    def count(self, address: str) -> bool:
        """Count one for the address; return False (counting nothing) if it is at its limit.

        Counted before the action, so parallel requests cannot overshoot the limit.
        """
        if not limiter.enabled:
            return True
        strategy, limit = self._window()
        return strategy.hit(limit, self.scope, _key(address))

    def forget(self, address: str) -> None:
        """Clear the address's count."""
        if limiter.enabled:
            strategy, limit = self._window()
            strategy.clear(limit, self.scope, _key(address))

    def seconds_locked(self, address: str) -> int:
        """Return how many seconds until the address may be counted again."""
        strategy, limit = self._window()
        reset_at = strategy.get_window_stats(limit, self.scope, _key(address)).reset_time
        return max(1, math.ceil(reset_at - time.time()))


PASSWORD_ATTEMPTS = AddressCount("account-password-attempts", "ACCOUNT_RATE_LIMIT")
RESET_REQUESTS = AddressCount("password-reset-requests", "RESET_ADDRESS_RATE_LIMIT")
