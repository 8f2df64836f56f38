"""Password attempts counted per account, in the rate limiter's store every worker shares.

The forms' own limits count per client address; this count stops many addresses guessing
one account's password together. It is kept by e-mail address as typed, known or not, so
an address with no account is treated exactly like one with an account.
"""

import hashlib
import math
import time

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import MovingWindowRateLimiter

from archive.extensions import limiter

# Names the count in the store, apart from Flask-Limiter's own per-route counts.
SCOPE = "account-password-attempts"


def _window() -> tuple[MovingWindowRateLimiter, RateLimitItem]:
    # A moving window means "at most N in any M minutes": no fresh quota at a window's edge.
    strategy = MovingWindowRateLimiter(limiter.storage)
    return strategy, parse(current_app.config["ACCOUNT_RATE_LIMIT"])


def _key(address: str) -> str:
    # Hashed, so the store, which operators may list, holds no e-mail addresses.
    return hashlib.sha256(address.encode()).hexdigest()


def count_attempt(address: str) -> bool:
    """Count a password attempt for the address; return False (counting nothing) if it is locked.

    Counted before the password is checked, so parallel guesses cannot overshoot the limit.
    """
    if not limiter.enabled:
        return True
    strategy, limit = _window()
    return strategy.hit(limit, SCOPE, _key(address))


def forget_attempts(address: str) -> None:
    """Clear the address's count: its owner has just given the right password."""
    if limiter.enabled:
        strategy, limit = _window()
        strategy.clear(limit, SCOPE, _key(address))


def seconds_locked(address: str) -> int:
    """Return how many seconds until the address may try a password again."""
    strategy, limit = _window()
    reset_at = strategy.get_window_stats(limit, SCOPE, _key(address)).reset_time
    return max(1, math.ceil(reset_at - time.time()))
