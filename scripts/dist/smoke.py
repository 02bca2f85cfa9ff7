"""Clean-room smoke test of the installed `kopokopo` wheel (scripts/dist-check.sh).

Environment: K2_BASE_URL (a running `k2 mock`), K2_WEBHOOK_BODY (a file),
K2_WEBHOOK_SIGNATURE (its signature, computed by `k2 sign`).
"""

import os
import pathlib
import sys
import time
from decimal import Decimal

import kopokopo

KEY = "k2-mock-api-key"
body = pathlib.Path(os.environ["K2_WEBHOOK_BODY"]).read_bytes()
signature = os.environ["K2_WEBHOOK_SIGNATURE"]

assert "bindings-python" not in kopokopo.__file__, f"kopokopo from the source tree: {kopokopo.__file__}"
assert kopokopo.sign(body, KEY) == signature, "sign() differs from `k2 sign`"
assert kopokopo.verify_signature(body, signature, KEY)
assert not kopokopo.verify_signature(body + b" ", signature, KEY)
event = kopokopo.parse_webhook(body, signature, KEY)
assert event.topic == "buygoods_transaction_received", event.topic
assert event.resource.amount == Decimal("100.0"), event.resource.amount

client = kopokopo.Client(client_id="k2-mock-client-id", client_secret="k2-mock-client-secret",
                         api_key=KEY, base_url=os.environ["K2_BASE_URL"])
created = client.incoming_payments.create(till_number="K000000", phone_number="0712345678",
                                          amount=Decimal("150.00"),
                                          callback_url="https://example.com/k2/results")
payment = client.incoming_payments.status(created.location)
for _ in range(40):
    if payment.status != "Pending":
        break
    time.sleep(0.25)
    payment = client.incoming_payments.status(created.location)
assert payment.status == "Success", payment.status
assert payment.event.resource.amount == Decimal("150.00"), payment.event.resource.amount
import platform  # noqa: E402

print(f"python {sys.version.split()[0]} ({platform.machine()}): kopokopo from {pathlib.Path(kopokopo.__file__).parent}: "
      f"signature ok, webhook {event.topic} {event.resource.amount}, STK push {created.location} -> {payment.status}")
