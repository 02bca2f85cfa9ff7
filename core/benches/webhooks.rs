//! Webhook benchmarks: HMAC-SHA256 verification throughput on a 1 MiB body,
//! and verify-then-parse for every webhook and result fixture.
//!
//! `bench/core.sh` runs this next to `openssl speed` and prints the ratio.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kopokopo::webhooks::{parse_result, parse_webhook, sign, verify_signature};

const KEY: &str = "bench-api-key";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("tests")
        .join("fixtures")
}

/// `(file name, bytes)` of every fixture whose name starts with `prefix`.
fn fixtures(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A 1 MiB body: a webhook fixture repeated inside a JSON array, padded.
fn one_mib_body() -> Vec<u8> {
    let unit = std::fs::read(fixtures_dir().join("webhook.buygoods_transaction_received.k2.json")).unwrap();
    let mut body = b"[".to_vec();
    while body.len() + unit.len() + 2 < 1 << 20 {
        if body.len() > 1 {
            body.push(b',');
        }
        body.extend_from_slice(&unit);
    }
    body.push(b']');
    body.resize(1 << 20, b' ');
    body
}

fn verify_throughput(c: &mut Criterion) {
    let body = one_mib_body();
    assert_eq!(body.len(), 1 << 20);
    let sig = sign(&body, KEY);
    assert!(verify_signature(&body, Some(&sig), KEY));
    let mut g = c.benchmark_group("verify_signature");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("1MiB", |b| {
        b.iter(|| verify_signature(black_box(&body), black_box(Some(sig.as_str())), KEY))
    });
    g.finish();
}

fn verify_then_parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify_then_parse");
    for (name, body) in fixtures("webhook.") {
        let sig = sign(&body, KEY);
        parse_webhook(&body, Some(&sig), KEY).expect("fixture parses");
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&name), &body, |b, body| {
            b.iter(|| parse_webhook(black_box(body), Some(sig.as_str()), KEY).unwrap())
        });
    }
    for (name, body) in fixtures("result.") {
        let sig = sign(&body, KEY);
        parse_result(&body, Some(&sig), KEY).expect("fixture parses");
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&name), &body, |b, body| {
            b.iter(|| parse_result(black_box(body), Some(sig.as_str()), KEY).unwrap())
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = verify_throughput, verify_then_parse
}
criterion_main!(benches);
