"""Must FAIL `mypy --strict`: proves the stubs are really checked."""

import kopokopo

client = kopokopo.Client(client_id="id", client_secret="secret")
client.incoming_payments.create(till_number=1, phone_number="0712345678", amount=1, callback_url="x")
status: int = client.incoming_payments.status("x").status
