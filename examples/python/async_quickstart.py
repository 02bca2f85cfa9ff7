"""Async quickstart: STK pushes from asyncio with kopokopo.AsyncClient.

    export K2_CLIENT_ID=... K2_CLIENT_SECRET=... K2_API_KEY=...
    export K2_BASE_URL=https://sandbox.kopokopo.com      # or a `k2 mock` URL
    export K2_TILL_NUMBER=K000000 K2_CALLBACK_URL=https://example.com/k2/results
    python async_quickstart.py 0712345678 150.00 3

Sends N pushes concurrently (the client runs at most ``max_concurrency`` at
once, on its own threads, so the event loop stays free), then waits for each
payment's status. The same calls as the blocking ``kopokopo.Client``, awaited.
"""

from __future__ import annotations

import asyncio
import os
import sys
from decimal import Decimal
from typing import List

import kopokopo


async def wait_for_status(client: kopokopo.AsyncClient, location: str) -> kopokopo.IncomingPayment:
    payment = await client.incoming_payments.status(location)
    for _ in range(20):
        if payment.status != "Pending":
            break
        await asyncio.sleep(0.5)
        payment = await client.incoming_payments.status(location)
    return payment


async def main() -> int:
    phone = sys.argv[1] if len(sys.argv) > 1 else "0712345678"
    amount = Decimal(sys.argv[2]) if len(sys.argv) > 2 else Decimal("150.00")
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 3

    async with kopokopo.AsyncClient(
        client_id=os.environ["K2_CLIENT_ID"],
        client_secret=os.environ["K2_CLIENT_SECRET"],
        api_key=os.environ.get("K2_API_KEY"),
        base_url=os.environ.get("K2_BASE_URL", kopokopo.SANDBOX_URL),
        max_concurrency=8,
    ) as client:
        try:
            created: List[kopokopo.Created] = await asyncio.gather(
                *(
                    client.incoming_payments.create(
                        till_number=os.environ.get("K2_TILL_NUMBER", "K000000"),
                        phone_number=phone,
                        amount=amount,
                        callback_url=os.environ.get("K2_CALLBACK_URL", "https://example.com/k2/results"),
                        metadata={"order_id": f"order-{i}"},
                    )
                    for i in range(count)
                )
            )
        except kopokopo.InvalidArgumentError as e:
            print(f"bad input in {e.field}: {e.reason}", file=sys.stderr)
            return 2
        except kopokopo.KopoKopoError as e:
            print(f"request failed [{e.code}]: {e}", file=sys.stderr)
            return 1
        print(f"{len(created)} STK pushes sent: {', '.join(c.id for c in created)}")

        payments = await asyncio.gather(*(wait_for_status(client, c.location) for c in created))
        for payment in payments:
            resource = payment.event.resource
            received = f" ({resource.currency} {resource.amount})" if resource is not None else ""
            print(f"{payment.id}: {payment.status}{received}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
