from __future__ import annotations

from ._kopokopo import CORE_VERSION

try:
    from importlib.metadata import PackageNotFoundError, version

    try:
        __version__: str = version("kopokopo")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        __version__ = CORE_VERSION
except ImportError:  # pragma: no cover
    __version__ = CORE_VERSION
