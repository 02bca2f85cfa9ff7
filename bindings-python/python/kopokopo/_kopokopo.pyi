"""Type stub of the native module ``kopokopo._kopokopo`` (Rust, pyo3).

Internal: use the ``kopokopo`` package. Parameters are JSON text in the
core's format; results are JSON text or, for the ``*_object`` functions and
``NativeClient.call``, instances of the generated classes of
``kopokopo._models`` (registered by ``_register_models``). Errors are raised
as ``kopokopo`` exceptions.
"""

from typing import Any, Dict, List, Optional, Tuple

CORE_VERSION: str
OPERATIONS: List[str]
SIGNATURE_HEADER: str
SANDBOX_URL: str
PRODUCTION_URL: str
NETWORK_SAFARICOM: str
PAYMENT_CHANNEL_STK_PUSH: str
PAYMENT_CHANNEL_MPESA: str

class NativeClient:
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        user_agent_suffix: Optional[str] = None,
        proxy: Optional[str] = None,
    ) -> None: ...
    def execute(self, operation: str, params_json: str) -> str: ...
    def call(self, operation: str, params_json: str) -> Any:
        """The operation's typed result (a generated model instance, or None)."""
    @property
    def client_id(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def user_agent(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def connect_timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    def verify_signature(self, body: bytes, signature: Optional[str]) -> bool: ...
    def parse_webhook(self, body: bytes, signature: Optional[str]) -> Parsed: ...
    def parse_result(self, body: bytes, signature: Optional[str]) -> Parsed: ...
    def parse_webhook_object(self, body: bytes, signature: Optional[str]) -> Any: ...
    def parse_result_object(self, body: bytes, signature: Optional[str]) -> Any: ...

def sign(body: bytes, api_key: str) -> str: ...
def verify_signature(body: bytes, signature: Optional[str], api_key: str) -> bool: ...
def verify(body: bytes, signature: Optional[str], api_key: str) -> None: ...
def parse_webhook(body: bytes, signature: Optional[str], api_key: str) -> Parsed: ...
def parse_result(body: bytes, signature: Optional[str], api_key: str) -> Parsed: ...
def parse_webhook_object(body: bytes, signature: Optional[str], api_key: str) -> Any: ...
def parse_result_object(body: bytes, signature: Optional[str], api_key: str) -> Any: ...
def _register_models(classes: Dict[str, type]) -> None: ...
def _object_from_json(type_name: str, text: str) -> Any: ...
def build_request(
    operation: str,
    params_json: str,
    *,
    client_id: str,
    client_secret: str,
    base_url: Optional[str] = None,
    user_agent_suffix: Optional[str] = None,
    token: Optional[str] = None,
) -> Tuple[str, str, List[Tuple[str, str]], bytes]: ...
def parse_response(
    operation: str,
    params_json: str,
    status: int,
    headers: List[Tuple[str, str]],
    body: bytes,
) -> str: ...
def parse_response_object(
    operation: str,
    params_json: str,
    status: int,
    headers: List[Tuple[str, str]],
    body: bytes,
) -> Any: ...
def _force_panic(detached: bool = False) -> None:
    """Test only: panics inside the native call wrapper; raises ``kopokopo.InternalError``."""

class Parsed:
    """A verified, decoded webhook or result held in its Rust form."""

    @property
    def kind(self) -> str: ...
    def json(self) -> str: ...
    def dict_json(self) -> str: ...
