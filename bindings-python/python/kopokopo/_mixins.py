"""Hand-written behaviour of generated model classes (see scripts/codegen/python.py, MODEL_MIXINS)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from ._models import ReversalPayment


class ReversalMixin:
    """:class:`kopokopo.Reversal`'s helpers."""

    __slots__ = ()

    if TYPE_CHECKING:
        reversal_bulk_payment: Optional[ReversalPayment]

    @property
    def is_reversed(self) -> bool:
        """Whether the money was actually reversed (bulk payment ``Transferred``).

        A failed reversal is still ``Processed``: check this, not ``status``.
        """
        p = self.reversal_bulk_payment
        return p is not None and (p.status or "").lower() == "transferred"
