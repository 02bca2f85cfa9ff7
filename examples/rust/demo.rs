//! The end-to-end demo: a token, an STK push, its signed result received on a
//! local webhook listener (verified, then parsed), the payment's status, a
//! payment link, an external recipient, and money sent to it.
//!
//! With no environment it runs against the in-process `k2 mock` simulator.
//! Set K2_CLIENT_ID, K2_CLIENT_SECRET, K2_API_KEY and K2_BASE_URL to run the
//! same steps against another server (K2_CALLBACK_URL sets where results go;
//! by default a listener on 127.0.0.1, which only a local server can reach).
//!
//!     cargo run -p kopokopo-mock --example demo

use std::time::Duration;

use kopokopo::webhooks::{self, CallbackResult};
use kopokopo::{
    Amount, Client, Config, Destination, ExternalRecipientRequest, IncomingPaymentRequest, PaymentLinkRequest,
    SendMoneyRequest,
};
use kopokopo_mock::receiver::Receiver;
use kopokopo_mock::{MockConfig, MockServer};

fn step(n: u32, title: &str) {
    println!("\n[{n}] {title}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (_server, client_id, client_secret, api_key, base_url) = match (
        env("K2_CLIENT_ID"),
        env("K2_CLIENT_SECRET"),
        env("K2_API_KEY"),
        env("K2_BASE_URL"),
    ) {
        (Some(id), Some(secret), Some(key), Some(url)) => {
            println!("kopokopo demo against {url}");
            (None, id, secret, key, url)
        }
        _ => {
            let server = MockServer::start(MockConfig::default())?;
            let url = server.base_url().to_string();
            println!("kopokopo demo against the built-in simulator (k2 mock) at {url}");
            (
                Some(server),
                kopokopo_mock::DEFAULT_CLIENT_ID.to_string(),
                kopokopo_mock::DEFAULT_CLIENT_SECRET.to_string(),
                kopokopo_mock::DEFAULT_API_KEY.to_string(),
                url,
            )
        }
    };
    let receiver = Receiver::start()?;
    let callback_base = env("K2_CALLBACK_URL").unwrap_or_else(|| receiver.url().to_string());
    println!("webhook listener: {}", receiver.url());

    let client = Client::new(
        Config::builder(client_id, client_secret)
            .api_key(api_key.clone())
            .base_url(base_url)
            .user_agent_suffix("rust-demo")
            .build()?,
    );

    step(1, "Request an access token (POST /oauth/token)");
    let token = client.tokens().request()?;
    println!(
        "    token_type={} expires_in={}s (the token itself is never printed)",
        token.token_type, token.expires_in
    );

    step(
        2,
        "Send an STK push to 0712345678 for KES 1,250.00 (POST /api/v2/incoming_payments)",
    );
    let created = client.incoming_payments().create(&IncomingPaymentRequest {
        till_number: "K000000".into(),
        phone_number: "0712345678".into(),
        first_name: Some("Jane".into()),
        last_name: Some("Doe".into()),
        amount: Amount::parse("1250.00")?,
        callback_url: format!("{callback_base}/k2/incoming_payment"),
        metadata: Some(serde_json::from_str(r#"{"order_id":"ORD-1001"}"#)?),
        ..Default::default()
    })?;
    println!("    created {}", created.location);

    step(3, "Receive the signed result on the local listener; verify, then parse");
    let delivery = receiver
        .next_at("/k2/incoming_payment", Duration::from_secs(30))
        .ok_or("no result callback within 30 s")?;
    println!(
        "    {} bytes, X-KopoKopo-Signature: {}...",
        delivery.body.len(),
        &delivery.signature.as_deref().unwrap_or("(none)")[..16.min(delivery.signature.as_deref().map_or(6, str::len))]
    );
    match webhooks::parse_result(&delivery.body, delivery.signature.as_deref(), &api_key)? {
        CallbackResult::IncomingPayment(p) => {
            let tx = p.event.resource.clone().unwrap_or_default();
            println!(
                "    signature valid; incoming payment {} is {}: KES {} from {} (M-PESA ref {})",
                p.id,
                p.status,
                tx.amount.map(|a| a.to_string()).unwrap_or_default(),
                tx.sender_phone_number.unwrap_or_default(),
                tx.reference.unwrap_or_default()
            );
        }
        other => println!("    unexpected result: {}", other.result_type()),
    }
    let tampered = [&delivery.body[..], b" "].concat();
    println!(
        "    the same body with one extra space verifies: {}",
        webhooks::verify_signature(&tampered, delivery.signature.as_deref(), &api_key)
    );

    step(4, "Query the payment's status (GET /api/v2/incoming_payments/{id})");
    let status = client.incoming_payments().status(&created.location)?;
    println!(
        "    status={} metadata={}",
        status.status,
        serde_json::to_string(&status.metadata)?
    );

    step(5, "Create a payment link for KES 350 (POST /api/v2/payment_links)");
    let link = client.payment_links().create(&PaymentLinkRequest {
        till_number: "112233".into(),
        amount: Amount::from_units(350),
        payment_reference: Some("INV-2026-17".into()),
        note: Some("Invoice 17".into()),
        callback_url: format!("{callback_base}/k2/payment_link"),
        ..Default::default()
    })?;
    let details = client.payment_links().status(&link.id)?;
    let pl = details.payment_link.unwrap_or_default();
    println!(
        "    link {} is {} until {}",
        pl.link.unwrap_or_default(),
        pl.status.unwrap_or_default(),
        pl.expires_at.unwrap_or_default()
    );

    step(6, "Add an external recipient (POST /api/v2/external_recipients)");
    let recipient = client
        .external_recipients()
        .create(&ExternalRecipientRequest::MobileWallet {
            first_name: "John".into(),
            last_name: "Supplier".into(),
            phone_number: "+254711223344".into(),
            network: "Safaricom".into(),
            email: None,
            nickname: Some("Supplier".into()),
        })?;
    println!("    recipient {}", recipient.location);

    step(
        7,
        "Send KES 500 to the recipient (POST /api/v2/send_money) and wait for the result",
    );
    let sent = client.send_money().create(&SendMoneyRequest {
        destinations: vec![Destination::MobileWallet {
            phone_number: "+254711223344".into(),
            network: "Safaricom".into(),
            amount: Amount::from_units(500),
            description: "Supplies for November".into(),
            nickname: Some("Supplier".into()),
            favourite: Some(true),
        }],
        callback_url: format!("{callback_base}/k2/send_money"),
        ..Default::default()
    })?;
    println!("    created {}", sent.location);
    let delivery = receiver
        .next_at("/k2/send_money", Duration::from_secs(30))
        .ok_or("no send money result within 30 s")?;
    if let CallbackResult::SendMoney(sm) =
        webhooks::parse_result(&delivery.body, delivery.signature.as_deref(), &api_key)?
    {
        for batch in &sm.transfer_batches {
            for d in &batch.disbursements {
                println!(
                    "    disbursement {} of KES {} to {} (ref {})",
                    d.status.as_deref().unwrap_or("?"),
                    d.amount.map(|a| a.to_string()).unwrap_or_default(),
                    d.phone_number.as_deref().unwrap_or("?"),
                    d.transaction_reference.as_deref().unwrap_or("-")
                );
            }
        }
        println!("    send money {} is {}", sm.id, sm.status);
    }
    let status = client.send_money().status(&sent.id)?;
    println!("    status query agrees: {}", status.status);

    println!(
        "\ndemo complete: {} token request(s) for the whole run",
        client.token_requests()
    );
    Ok(())
}
