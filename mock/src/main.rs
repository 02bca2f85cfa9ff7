//! `k2`: the Kopo Kopo simulator and webhook tools. See `k2 --help`.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use kopokopo_mock::{DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MockConfig};

#[derive(Parser)]
#[command(
    name = "k2",
    version,
    about = "Kopo Kopo API simulator, webhook trigger, signer and verifier"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve a local Kopo Kopo API simulator on 127.0.0.1. The first stdout line is the base URL.
    Mock {
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Client id accepted by /oauth/token.
        #[arg(long, default_value = DEFAULT_CLIENT_ID)]
        client_id: String,
        /// Client secret accepted by /oauth/token.
        #[arg(long, default_value = DEFAULT_CLIENT_SECRET)]
        client_secret: String,
        /// API key that signs webhooks and results.
        #[arg(long, default_value = DEFAULT_API_KEY)]
        api_key: String,
        /// Access token lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        token_ttl: u64,
        /// Delay before result callbacks are POSTed, in milliseconds.
        #[arg(long, default_value_t = 200)]
        callback_delay_ms: u64,
    },
    /// POST a signed sample event (webhook topic or result kind) to a URL.
    Trigger {
        /// A webhook topic (e.g. buygoods_transaction_received) or a result kind
        /// (incoming_payment, send_money, polling, transaction_sms_notification, reversal, payment_link).
        topic: String,
        /// Where to POST the event.
        #[arg(long)]
        url: String,
        /// API key to sign with.
        #[arg(long, default_value = DEFAULT_API_KEY)]
        api_key: String,
        /// Use the Daraja payload structure (buygoods and b2b received only).
        #[arg(long)]
        daraja: bool,
    },
    /// Print the X-KopoKopo-Signature of the body read from stdin.
    ///
    /// The API key is taken from --api-key or, without it, from the K2_API_KEY
    /// environment variable (which keeps it out of `ps` and shell history).
    Sign {
        /// API key [default: the K2_API_KEY environment variable].
        #[arg(long)]
        api_key: Option<String>,
    },
    /// Check a signature over the body read from stdin: prints valid (exit 0) or invalid (exit 1).
    ///
    /// The API key is taken from --api-key or, without it, from the K2_API_KEY
    /// environment variable (which keeps it out of `ps` and shell history).
    Verify {
        /// API key [default: the K2_API_KEY environment variable].
        #[arg(long)]
        api_key: Option<String>,
        /// The X-KopoKopo-Signature value.
        #[arg(long)]
        signature: String,
    },
    /// Print the API's shape (every operation and type, as the core declares
    /// them) as JSON: the document `schema/kopokopo.json` holds and the
    /// bindings' generated code is made from (`scripts/codegen.sh`).
    Schema {
        /// Instead, print the normalised JSON the core makes of every
        /// webhook and result example in DIR (`webhook.*.json`,
        /// `result.*.json`, recursively): `schema/examples.json`, from which
        /// the field reference (`docs/fields.md`) takes one example per field.
        #[arg(long, value_name = "DIR")]
        examples: Option<std::path::PathBuf>,
    },
}

/// `{"<file>": {"kind": "webhook"|"result", "value": <the core's JSON>}}` of
/// every `webhook.*.json` and `result.*.json` under `dir`, by file name.
fn examples(dir: &std::path::Path) -> Result<String, String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = serde_json::Map::new();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !name.ends_with(".json") {
            continue;
        }
        let body = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (kind, value) = if name.starts_with("webhook.") {
            let w = kopokopo::webhooks::decode_webhook(&body).map_err(|e| format!("{name}: {e}"))?;
            ("webhook", serde_json::to_value(&w))
        } else if name.starts_with("result.") {
            let r = kopokopo::webhooks::decode_result(&body).map_err(|e| format!("{name}: {e}"))?;
            ("result", serde_json::to_value(&r))
        } else {
            continue;
        };
        let value = value.map_err(|e| format!("{name}: {e}"))?;
        out.insert(name, serde_json::json!({"kind": kind, "value": value}));
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(out)).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// Environment variable `k2 sign` and `k2 verify` read the API key from when
/// `--api-key` is not given.
const API_KEY_ENV: &str = "K2_API_KEY";

/// The `--api-key` value, else a non-empty `K2_API_KEY`.
fn api_key_or_env(flag: Option<String>) -> Result<String, String> {
    if let Some(key) = flag {
        return Ok(key);
    }
    match std::env::var(API_KEY_ENV) {
        Ok(key) if !key.is_empty() => Ok(key),
        _ => Err(format!("no API key: pass --api-key or set {API_KEY_ENV}")),
    }
}

/// The second start line: the settings in force, never a secret's value.
fn start_summary(config: &MockConfig) -> String {
    let shown = |value: &str, default: &str| {
        if value == default {
            "(default test value, see k2 mock --help)"
        } else {
            "(custom, not shown)"
        }
    };
    format!(
        "k2 mock: client_id={} client_secret={} api_key={} token_ttl={}s callback_delay={}ms (admin: /__admin/counters)",
        config.client_id,
        shown(&config.client_secret, DEFAULT_CLIENT_SECRET),
        shown(&config.api_key, DEFAULT_API_KEY),
        config.token_ttl.as_secs(),
        config.callback_delay.as_millis()
    )
}

/// The API key (flag or environment) and the body read from stdin.
fn key_and_body(flag: Option<String>) -> Result<(String, Vec<u8>), String> {
    let key = api_key_or_env(flag)?;
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body).map_err(|e| e.to_string())?;
    Ok((key, body))
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn run_mock(config: MockConfig) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "http://{addr}");
        let _ = writeln!(out, "{}", start_summary(&config));
        let _ = out.flush();
        drop(out);
        kopokopo_mock::serve(listener, config, shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Mock {
            port,
            client_id,
            client_secret,
            api_key,
            token_ttl,
            callback_delay_ms,
        } => {
            let config = MockConfig {
                port,
                client_id,
                client_secret,
                api_key,
                token_ttl: Duration::from_secs(token_ttl),
                callback_delay: Duration::from_millis(callback_delay_ms),
            };
            match run_mock(config) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("k2 mock: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Trigger {
            topic,
            url,
            api_key,
            daraja,
        } => match kopokopo_mock::trigger(&topic, &url, &api_key, daraja) {
            Ok(status) => {
                println!("sent {topic} to {url}: HTTP {status}");
                if (200..300).contains(&status) {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
            Err(e) => {
                eprintln!("k2 trigger: {e}");
                ExitCode::from(2)
            }
        },
        Command::Schema { examples: None } => {
            print!("{}", kopokopo::schema::manifest_text());
            ExitCode::SUCCESS
        }
        Command::Schema { examples: Some(dir) } => match examples(&dir) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("k2 schema --examples: {e}");
                ExitCode::from(2)
            }
        },
        Command::Sign { api_key } => match key_and_body(api_key) {
            Ok((api_key, body)) => {
                println!("{}", kopokopo::webhooks::sign(&body, &api_key));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("k2 sign: {e}");
                ExitCode::from(2)
            }
        },
        Command::Verify { api_key, signature } => match key_and_body(api_key) {
            Ok((api_key, body)) => {
                if kopokopo::webhooks::verify_signature(&body, Some(&signature), &api_key) {
                    println!("valid");
                    ExitCode::SUCCESS
                } else {
                    println!("invalid");
                    ExitCode::from(1)
                }
            }
            Err(e) => {
                eprintln!("k2 verify: {e}");
                ExitCode::from(2)
            }
        },
    }
}
