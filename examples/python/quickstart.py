"""Quickstart: get a token, send an M-PESA STK push, check its status.

    export K2_CLIENT_ID=... K2_CLIENT_SECRET=... K2_API_KEY=...
    export K2_BASE_URL=https://sandbox.kopokopo.com      # or a `k2 mock` URL
    export K2_TILL_NUMBER=K000000 K2_CALLBACK_URL=https://example.com/k2/results
    python quickstart.py 0712345678 150.00
"""

from __future__ import annotations

import os
import sys
import time
from decimal import Decimal

import kopokopo


def main() -> int:
    phone = sys.argv[1] if len(sys.argv) > 1 else "0712345678"
    amount = Decimal(sys.argv[2]) if len(sys.argv) > 2 else Decimal("150.00")

    client = kopokopo.Client(
        client_id=os.environ["K2_CLIENT_ID"],
        client_secret=os.environ["K2_CLIENT_SECRET"],
        api_key=os.environ.get("K2_API_KEY"),
        base_url=os.environ.get("K2_BASE_URL", kopokopo.SANDBOX_URL),
    )

    # 1. A token (the client also fetches and caches tokens by itself).
    token = client.tokens.request()
    print(f"token: {token.token_type}, expires in {token.expires_in}s")  # never print the token itself

    # 2. STK push: the customer confirms on their phone.
    try:
        created = client.incoming_payments.create(
            till_number=os.environ.get("K2_TILL_NUMBER", "K000000"),
            phone_number=phone,
            amount=amount,
            callback_url=os.environ.get("K2_CALLBACK_URL", "https://example.com/k2/results"),
            metadata={"order_id": "1234"},
        )
    except kopokopo.InvalidArgumentError as e:
        print(f"bad input in {e.field}: {e.reason}", file=sys.stderr)
        return 2
    except kopokopo.KopoKopoError as e:
        print(f"request failed [{e.code}]: {e}", file=sys.stderr)
        return 1
    print(f"STK push sent: {created.id}")

    # 3. Status (the result is also POSTed to the callback URL).
    payment = client.incoming_payments.status(created.location)
    for _ in range(20):
        if payment.status != "Pending":
            break
        time.sleep(0.5)
        payment = client.incoming_payments.status(created.location)
    print(f"status: {payment.status}")
    if payment.event.resource is not None:
        tx = payment.event.resource
        print(f"received {tx.currency} {tx.amount} ref {tx.reference}")
    for error in payment.event.errors:
        print(f"error: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
