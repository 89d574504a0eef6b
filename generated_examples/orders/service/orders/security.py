"""Your credential checks. twinspec wrote this file once and will never overwrite it.

``verify`` is called for every credential a request presents for a secured
operation. Return True to accept it, False to refuse it (403), or None to fall
back to the development check: the credential must equal the environment
variable named for the scheme in README.md; when that variable is unset, the
request is refused. Nothing is ever open by default.
"""

from collections.abc import Sequence


def verify(scheme: str, credential: str, scopes: Sequence[str]) -> bool | None:
    """Decide on ``credential`` for the security scheme named ``scheme`` in the spec.

    ``credential`` is the API key, the bearer/OAuth2/OpenID Connect token, or
    ``user:password`` for HTTP basic. ``scopes`` are those the operation requires.
    """
    return None
