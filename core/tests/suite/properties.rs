//! Property tests: signatures, amounts and phone numbers.

use kopokopo::webhooks::{sign, verify_signature};
use kopokopo::{Amount, validate};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn sign_then_verify_holds(body in proptest::collection::vec(any::<u8>(), 0..2048), key in "[ -~]{1,64}") {
        let sig = sign(&body, &key);
        prop_assert!(verify_signature(&body, Some(&sig), &key));
        prop_assert!(verify_signature(&body, Some(&sig.to_uppercase()), &key));
    }

    #[test]
    fn any_single_body_byte_change_fails(body in proptest::collection::vec(any::<u8>(), 1..1024),
                                         idx in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let sig = sign(&body, "key");
        let mut tampered = body.clone();
        let i = idx.index(tampered.len());
        tampered[i] ^= flip;
        prop_assert!(!verify_signature(&tampered, Some(&sig), "key"));
    }

    #[test]
    fn any_single_signature_char_change_fails(body in proptest::collection::vec(any::<u8>(), 0..256),
                                              idx in 0usize..64, c in prop::sample::select(b"0123456789abcdefxyz G".to_vec())) {
        let sig = sign(&body, "key");
        let mut bytes = sig.clone().into_bytes();
        prop_assume!(!bytes[idx].eq_ignore_ascii_case(&c));
        bytes[idx] = c;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(!verify_signature(&body, Some(&changed), "key"));
    }

    #[test]
    fn appended_or_truncated_signatures_fail(body in proptest::collection::vec(any::<u8>(), 0..256), junk in "[0-9a-f]{1,8}", cut in 1usize..64) {
        let sig = sign(&body, "key");
        let appended = format!("{sig}{junk}");
        prop_assert!(!verify_signature(&body, Some(&appended), "key"));
        prop_assert!(!verify_signature(&body, Some(&sig[..64 - cut]), "key"));
    }

    #[test]
    fn amounts_round_trip_exactly(units in 0u64..10_000_000_000, cents in 0u32..100, scale in 0usize..3) {
        // Every representation the API uses: JSON string ("100.0"), JSON number (350, 10.5).
        let text = match scale {
            0 => format!("{units}"),
            1 => format!("{units}.{}", cents / 10),
            _ => format!("{units}.{cents:02}"),
        };
        let parsed = Amount::parse(&text).unwrap();
        let from_string: Amount = serde_json::from_str(&format!("\"{text}\"")).unwrap();
        let from_number: Amount = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(parsed, from_string);
        prop_assert_eq!(parsed, from_number);
        // Format and parse back: the same value, and the wire form is the exact text.
        let wire = serde_json::to_string(&parsed).unwrap();
        prop_assert_eq!(&wire, &parsed.to_canonical_string());
        let back: Amount = serde_json::from_str(&wire).unwrap();
        prop_assert_eq!(back, parsed);
        prop_assert_eq!(Amount::parse(&parsed.to_string()).unwrap(), parsed);
        prop_assert_eq!(Amount::parse(&parsed.to_canonical_string()).unwrap(), parsed);
    }

    #[test]
    fn phone_normalisation_is_idempotent(series in prop::sample::select(vec!['7', '1']), rest in "[0-9]{8}",
                                         form in 0usize..4) {
        let input = match form {
            0 => format!("+254{series}{rest}"),
            1 => format!("254{series}{rest}"),
            2 => format!("0{series}{rest}"),
            _ => format!("0{series}{} {}", &rest[..4], &rest[4..]),
        };
        let once = validate::normalize_phone("p", &input).unwrap();
        prop_assert_eq!(once.clone(), format!("+254{series}{rest}"));
        prop_assert_eq!(validate::normalize_phone("p", &once).unwrap(), once);
    }

    #[test]
    fn phone_validation_never_panics(s in "\\PC{0,20}") {
        let _ = validate::normalize_phone("p", &s);
    }
}
