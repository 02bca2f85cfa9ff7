"""Exception classes of the ``kopokopo`` package.

Every error the package raises is a :class:`KopoKopoError`; catch that to catch
them all. The native module maps the core's errors onto these classes in one
place (``src/errors.rs``) from the core's stable ``code``:

* InvalidArgumentError (``invalid_argument``): ``field``, ``reason``
* AuthenticationError (``authentication_failed``): ``http_status``, ``error_code`` (None), ``error_message``
* ApiError (``api_error``): ``http_status``, ``error_code``, ``error_message``,
  ``error_messages`` (every message of the body, in order)
* RateLimitError (``rate_limited``, a subclass of ApiError): ``retry_after`` (seconds or None)
* TransportError (``transport_error``)
* TimeoutError (``timeout``, a subclass of TransportError, not of the builtin)
* SignatureError (``signature_invalid``)
* DecodeError (``decode_error``)
* InternalError (``internal``): a bug in kopokopo (a Rust panic); please report it

Messages never contain the client secret, the API key or an access token.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

__all__ = [
    "KopoKopoError",
    "InvalidArgumentError",
    "AuthenticationError",
    "ApiError",
    "RateLimitError",
    "TransportError",
    "TimeoutError",
    "SignatureError",
    "DecodeError",
    "InternalError",
]


class KopoKopoError(Exception):
    """Base class of every error raised by ``kopokopo``.

    ``code`` is a stable string, identical in every language binding.
    """

    default_code = "kopokopo_error"

    def __init__(self, message: str, *, code: Optional[str] = None, **_ignored: Any) -> None:
        super().__init__(message)
        self.message: str = message
        self.code: str = code if code is not None else self.default_code

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class InvalidArgumentError(KopoKopoError):
    """A parameter was missing or invalid; nothing was sent.

    ``field`` is the dotted name of the offending parameter
    (e.g. ``destinations[0].amount``).
    """

    default_code = "invalid_argument"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        field: str = "",
        reason: str = "",
        **_ignored: Any,
    ) -> None:
        super().__init__(message, code=code)
        self.field: str = field
        self.reason: str = reason


class AuthenticationError(KopoKopoError):
    """The server refused the credentials or the access token (HTTP 401)."""

    default_code = "authentication_failed"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        http_status: int = 401,
        error_message: str = "",
        **_ignored: Any,
    ) -> None:
        super().__init__(message, code=code)
        self.http_status: int = http_status
        self.error_code: Optional[str] = None
        self.error_message: str = error_message


class ApiError(KopoKopoError):
    """The API answered with an error status (4xx other than 401, or 5xx).

    ``error_message`` is the body's ``error_message`` as text (an array, as
    reversals send it, joined with ``"; "``); ``error_messages`` keeps every
    message in order (empty when the response had no body).
    """

    default_code = "api_error"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        http_status: int = 0,
        error_code: Optional[str] = None,
        error_message: str = "",
        error_messages: Optional[Sequence[str]] = None,
        **_ignored: Any,
    ) -> None:
        super().__init__(message, code=code)
        self.http_status: int = http_status
        self.error_code: Optional[str] = error_code
        self.error_message: str = error_message
        self.error_messages: List[str] = list(error_messages or ())


class RateLimitError(ApiError):
    """HTTP 429. A subclass of :class:`ApiError` (``http_status`` is 429).

    ``retry_after`` is the server's ``Retry-After`` in seconds, or ``None``.
    ``error_messages`` is what the core reports for a 429 (currently empty:
    the core keeps only the joined ``error_message`` for rate limiting).
    """

    default_code = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        http_status: int = 429,
        error_message: str = "",
        error_messages: Optional[Sequence[str]] = None,
        retry_after: Optional[float] = None,
        **_ignored: Any,
    ) -> None:
        super().__init__(
            message,
            code=code,
            http_status=http_status,
            error_code=None,
            error_message=error_message,
            error_messages=error_messages,
        )
        self.retry_after: Optional[float] = retry_after


class TransportError(KopoKopoError):
    """The request could not be sent or no complete answer arrived."""

    default_code = "transport_error"


class TimeoutError(TransportError):  # noqa: A001 - deliberately kopokopo.TimeoutError
    """The request did not complete within the configured timeout.

    A subclass of :class:`TransportError` (not of the builtin ``TimeoutError``).
    """

    default_code = "timeout"


class SignatureError(KopoKopoError):
    """A webhook or result signature is missing or does not match."""

    default_code = "signature_invalid"


class DecodeError(KopoKopoError):
    """A response or payload could not be decoded."""

    default_code = "decode_error"


class InternalError(KopoKopoError):
    """A bug in kopokopo: the native code panicked. Please report it.

    An ordinary :class:`Exception` (never pyo3's ``PanicException``, a
    ``BaseException``); the client that raised it remains usable.
    """

    default_code = "internal"
