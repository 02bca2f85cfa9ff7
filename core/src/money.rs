//! Exact money amounts. Never a float.
//!
//! The API sends amounts in several representations (docs/api-notes.md,
//! "Amount representations in responses"): JSON
//! strings (`"100.0"`, `"313"`), JSON integers (`350`) and, in SDK samples,
//! decimals. All of them parse to the same exact [`Amount`]. Requests send
//! amounts as JSON numbers written from the exact decimal text (no float
//! conversion anywhere). Results serialise amounts the same way, or, for
//! consumers whose JSON parsers read every number as a double (the C
//! binding), as JSON strings of the exact decimal text
//! ([`crate::dynamic::AmountStyle::String`]).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// An exact decimal amount of money (KES).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Parses an amount from its decimal text (`"100"`, `"100.5"`, `"100.50"`).
    ///
    /// Accepts an optional leading sign, digits and at most one decimal point;
    /// rejects exponents, `NaN`, thousands separators and empty text.
    pub fn parse(text: &str) -> Result<Amount> {
        Amount::parse_field("amount", text)
    }

    /// [`Amount::parse`], naming `field` in the error (e.g. `destinations[0].amount`).
    pub fn parse_field(field: &str, text: &str) -> Result<Amount> {
        parse_decimal(text)
            .map(Amount)
            .ok_or_else(|| Error::invalid(field, format!("`{}` is not a decimal number", truncate(text))))
    }

    /// An amount of whole shillings.
    pub fn from_units(units: i64) -> Amount {
        Amount(Decimal::from(units))
    }

    /// An amount from minor units (cents): `from_cents(1050)` is `10.50`.
    pub fn from_cents(cents: i64) -> Amount {
        Amount(Decimal::new(cents, 2))
    }

    /// The exact decimal value.
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// Number of digits after the decimal point, as written.
    pub fn scale(&self) -> u32 {
        self.0.scale()
    }

    /// Whether the amount is greater than zero.
    pub fn is_positive(&self) -> bool {
        self.0 > Decimal::ZERO
    }

    /// The canonical text: no trailing zeros after the point (`"100.0"` → `"100"`, `"10.50"` → `"10.5"`).
    pub fn to_canonical_string(&self) -> String {
        self.0.normalize().to_string()
    }

    /// Checks a request amount: positive and at most two decimal places.
    pub(crate) fn validate_request(&self, field: &str) -> Result<()> {
        if !self.is_positive() {
            return Err(Error::invalid(field, "must be greater than zero"));
        }
        if self.0.normalize().scale() > 2 {
            return Err(Error::invalid(field, "must have at most 2 decimal places"));
        }
        Ok(())
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(32) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || digits.len() > 40 {
        return None;
    }
    // Digits and points only (no exponent, no `_`, no spaces inside); a
    // second point is refused by `Decimal::from_str` itself.
    let mut seen_digit = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'.' => {}
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    Decimal::from_str(t).ok()
}

impl FromStr for Amount {
    type Err = Error;
    fn from_str(s: &str) -> Result<Amount> {
        Amount::parse(s)
    }
}

impl From<Decimal> for Amount {
    fn from(d: Decimal) -> Self {
        Amount(d)
    }
}

impl From<Amount> for Decimal {
    fn from(a: Amount) -> Self {
        a.0
    }
}

impl From<u32> for Amount {
    fn from(v: u32) -> Self {
        Amount(Decimal::from(v))
    }
}

impl From<i64> for Amount {
    fn from(v: i64) -> Self {
        Amount(Decimal::from(v))
    }
}

impl fmt::Display for Amount {
    /// The decimal text as parsed (scale preserved): `"100.0"` displays as `100.0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

thread_local! {
    /// Whether [`Amount`]s serialise as JSON strings on this thread (set only
    /// for the duration of [`with_amounts_as_strings`]).
    static AMOUNTS_AS_STRINGS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` (a serialisation) with every [`Amount`] written as a JSON
/// string of its exact decimal text (`"150.55"`) when `as_strings`, or as a
/// JSON number written from that text (the default) otherwise. The setting
/// is per thread and restored afterwards, also if `f` panics; it affects only
/// what `f` serialises, never a request body built elsewhere.
pub(crate) fn with_amounts_as_strings<R>(as_strings: bool, f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            AMOUNTS_AS_STRINGS.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(AMOUNTS_AS_STRINGS.with(|c| c.replace(as_strings)));
    f()
}

impl Serialize for Amount {
    /// Serialises as a JSON number written from the exact decimal text.
    /// (With serde_json this emits the digits verbatim; other serialisers get a string.)
    /// With [`crate::dynamic::AmountStyle::String`] it is a JSON string of the same text.
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let text = self.to_canonical_string();
        if AMOUNTS_AS_STRINGS.with(|c| c.get()) {
            return serializer.serialize_str(&text);
        }
        match serde_json::value::RawValue::from_string(text.clone()) {
            Ok(raw) => raw.serialize(serializer),
            Err(_) => serializer.serialize_str(&text),
        }
    }
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount as a JSON number or a decimal string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Amount, E> {
        parse_decimal(v)
            .map(Amount)
            .ok_or_else(|| E::custom(format!("`{}` is not a decimal amount", truncate(v))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Amount, E> {
        // A JSON number with a fraction reaches us as the nearest f64. Rust's
        // `Display` for f64 prints the shortest text that round-trips, which for
        // any amount of at most 15 significant digits is exactly the text the
        // sender wrote ("100.55" stays "100.55"). No arithmetic is done in f64.
        if !v.is_finite() {
            return Err(E::custom("amount is not finite"));
        }
        parse_decimal(&v.to_string())
            .map(Amount)
            .ok_or_else(|| E::custom("amount out of range"))
    }
}

/// serde_json's name for "give me the raw JSON text of this value" (what
/// `serde_json::value::RawValue` asks for). Asking for it lets a JSON number
/// reach us as its exact text instead of the nearest f64, so
/// `12345678901234567.89` keeps every digit. Deserializers that do not know
/// the name (anything but serde_json) fall back to the ordinary visitor.
const RAW_JSON: &str = "$serde_json::private::RawValue";

/// The amount in a JSON value's raw text: a number (exact), or a string
/// holding a decimal. `None` for anything else.
pub(crate) fn from_json_text(text: &str) -> Option<Amount> {
    let t = text.trim();
    match t.as_bytes().first()? {
        b'"' => {
            let s: String = serde_json::from_str(t).ok()?;
            parse_decimal(&s).map(Amount)
        }
        b'-' | b'0'..=b'9' => match parse_decimal(t) {
            Some(d) => Some(Amount(d)),
            // An exponent (`1e3`): no exact text to keep; read it as a number.
            None => AmountVisitor.visit_f64::<de::value::Error>(t.parse::<f64>().ok()?).ok(),
        },
        _ => None,
    }
}

/// Reads the raw-text map serde_json hands to a [`RAW_JSON`] request.
fn raw_text<'de, A: de::MapAccess<'de>>(mut map: A) -> std::result::Result<String, A::Error> {
    let _: Option<de::IgnoredAny> = map.next_key()?;
    map.next_value()
}

impl<'de> Visitor<'de> for RawAmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount as a JSON number or a decimal string")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> std::result::Result<Amount, A::Error> {
        let text = raw_text(map)?;
        match text.trim_start().as_bytes().first() {
            Some(b'"') => {
                let s: String = serde_json::from_str(&text).map_err(de::Error::custom)?;
                AmountVisitor.visit_str(&s)
            }
            _ => from_json_text(&text)
                .ok_or_else(|| de::Error::custom(format!("`{}` is not an amount", truncate(&text)))),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Amount, D::Error> {
        d.deserialize_any(AmountVisitor)
    }

    // Deserializers that forward a newtype request to `deserialize_any`.
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Amount, E> {
        AmountVisitor.visit_str(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Amount, E> {
        AmountVisitor.visit_u64(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Amount, E> {
        AmountVisitor.visit_i64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Amount, E> {
        AmountVisitor.visit_f64(v)
    }
}

struct RawAmountVisitor;

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Amount, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_JSON, RawAmountVisitor)
    }
}

/// The tolerant reading of an amount (see `crate::lenient`): `None` for a
/// value that is not one, never an error; numbers keep their exact text.
pub(crate) fn lenient_amount<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Amount>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Amount>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> std::result::Result<Option<Amount>, A::Error> {
            Ok(from_json_text(&raw_text(map)?))
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Option<Amount>, D::Error> {
            crate::lenient::any_value::<D, Amount>(d)
        }
        // Deserializers that forward a newtype request to `deserialize_any`.
        fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Option<Amount>, E> {
            Ok(parse_decimal(v).map(Amount))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Option<Amount>, E> {
            AmountVisitor.visit_u64(v).map(Some)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Option<Amount>, E> {
            AmountVisitor.visit_i64(v).map(Some)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Option<Amount>, E> {
            Ok(AmountVisitor.visit_f64::<E>(v).ok())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Option<Amount>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<Option<Amount>, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> std::result::Result<Option<Amount>, E> {
            Ok(None)
        }
    }
    d.deserialize_newtype_struct(RAW_JSON, V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_and_number_parse_to_same_value() {
        let a: Amount = serde_json::from_str("\"100.0\"").unwrap();
        let b: Amount = serde_json::from_str("100").unwrap();
        let c: Amount = serde_json::from_str("100.00").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        let d: Amount = serde_json::from_str("100.55").unwrap();
        assert_eq!(d, Amount::parse("100.55").unwrap());
        assert_eq!(d.to_string(), "100.55");
    }

    #[test]
    fn numbers_keep_every_digit() {
        for text in ["12345678901234567.89", "0.10", "99999999999999999999.99", "-5.5", "100"] {
            let a: Amount = serde_json::from_str(text).unwrap();
            assert_eq!(a.to_string(), text, "number {text}");
            let a: Amount = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(a.to_string(), text, "string {text}");
            let a: Amount = serde_json::from_slice(text.as_bytes()).unwrap();
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                Amount::parse(text).unwrap().to_canonical_string()
            );
        }
        // Also inside structures, through serde_path_to_error, and tolerantly.
        #[derive(serde::Deserialize)]
        struct S {
            a: Amount,
            #[serde(default, deserialize_with = "crate::lenient::opt")]
            b: Option<Amount>,
            #[serde(default, deserialize_with = "crate::lenient::opt")]
            c: Option<Amount>,
        }
        let body = r#"{"a": 12345678901234567.89, "b": 12345678901234567.89, "c": {"x": 1}}"#;
        let s: S = serde_json::from_str(body).unwrap();
        assert_eq!(s.a.to_string(), "12345678901234567.89");
        assert_eq!(s.b.unwrap().to_string(), "12345678901234567.89");
        assert_eq!(s.c, None);
        let mut de = serde_json::Deserializer::from_str(body);
        let s: S = serde_path_to_error::deserialize(&mut de).unwrap();
        assert_eq!(s.a.to_string(), "12345678901234567.89");
        // Exponents have no exact text; non-numbers are refused.
        assert_eq!(serde_json::from_str::<Amount>("1e3").unwrap().to_string(), "1000");
        assert!(serde_json::from_str::<Amount>("true").is_err());
        assert!(serde_json::from_str::<Amount>("\"1e3\"").is_err());
        // Other deserializers use the ordinary visitor.
        let a = Amount::deserialize(de::value::F64Deserializer::<de::value::Error>::new(100.5)).unwrap();
        assert_eq!(a.to_string(), "100.5");
    }

    #[test]
    fn serialises_as_exact_number() {
        let a = Amount::parse("20000").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "20000");
        let a = Amount::parse("10.50").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "10.5");
        let a = Amount::parse("0.1").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "0.1");
    }

    #[test]
    fn serialises_as_exact_string_on_request() {
        #[derive(Serialize)]
        struct S {
            a: Amount,
            b: Option<Amount>,
            c: Vec<Amount>,
        }
        let s = S {
            a: Amount::parse("12345678901234567.89").unwrap(),
            b: Some(Amount::parse("10.50").unwrap()),
            c: vec![Amount::parse("99999999999999999999.99").unwrap(), Amount::from_units(7)],
        };
        let text = with_amounts_as_strings(true, || serde_json::to_string(&s).unwrap());
        assert_eq!(
            text,
            r#"{"a":"12345678901234567.89","b":"10.5","c":["99999999999999999999.99","7"]}"#
        );
        // Restored afterwards (also after a panic), and nestable.
        assert_eq!(serde_json::to_string(&s.a).unwrap(), "12345678901234567.89");
        let inner = with_amounts_as_strings(true, || {
            with_amounts_as_strings(false, || serde_json::to_string(&s.a).unwrap())
                + &serde_json::to_string(&s.a).unwrap()
        });
        assert_eq!(inner, "12345678901234567.89\"12345678901234567.89\"");
        let caught = std::panic::catch_unwind(|| with_amounts_as_strings(true, || panic!("x")));
        assert!(caught.is_err());
        assert_eq!(serde_json::to_string(&s.a).unwrap(), "12345678901234567.89");
        // The string reads back to the same amount.
        let back: Amount = serde_json::from_str("\"12345678901234567.89\"").unwrap();
        assert_eq!(back, s.a);
    }

    #[test]
    fn rejects_non_numbers() {
        for bad in [
            "", "abc", "1e5", "1,000", "1_000", "NaN", "1.2.3", "1..2", "..5", ".", "-", "+", "1 000", "--1",
        ] {
            assert!(Amount::parse(bad).is_err(), "{bad}");
        }
        for (ok, cents) in [(".5", 50), ("5.", 500), ("+1.25", 125), ("-0.10", -10), (" 7 ", 700)] {
            assert_eq!(Amount::parse(ok).unwrap(), Amount::from_cents(cents), "{ok}");
        }
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn public_conversions() {
        // from_cents: minor units, scale 2.
        let a = Amount::from_cents(1050);
        assert_eq!(a.as_decimal(), dec("10.50"));
        assert_eq!((a.to_string(), a.scale()), ("10.50".to_string(), 2));
        assert_eq!(Amount::from_cents(-7).to_string(), "-0.07");
        assert_eq!(Amount::from_cents(0), Amount::ZERO);
        // from_units: whole shillings, scale 0.
        let u = Amount::from_units(250);
        assert_eq!(
            (u.as_decimal(), u.scale(), u.to_string()),
            (dec("250"), 0, "250".to_string())
        );
        assert_eq!(Amount::from_units(-3).as_decimal(), dec("-3"));
        assert_eq!(Amount::from_units(i64::MAX).to_string(), i64::MAX.to_string());
        // The scale is the text's, not the value's.
        assert_eq!(Amount::parse("100.500").unwrap().scale(), 3);
        assert_eq!(Amount::parse("100").unwrap().scale(), 0);
        assert_eq!(Amount::parse("100.500").unwrap(), Amount::from_cents(10050));
        // From<u32>, From<i64>, From<Decimal> and back.
        assert_eq!(Amount::from(7u32).as_decimal(), dec("7"));
        assert_eq!(Amount::from(u32::MAX).to_string(), "4294967295");
        assert_eq!(Amount::from(-12i64).as_decimal(), dec("-12"));
        assert_eq!(Amount::from(i64::MIN).to_string(), i64::MIN.to_string());
        let d = dec("12.345");
        let from_d = Amount::from(d);
        assert_eq!((from_d.as_decimal(), from_d.scale()), (d, 3));
        assert_eq!(Decimal::from(from_d), d);
        assert_eq!(Decimal::from(Amount::from_cents(199)), dec("1.99"));
        // FromStr is parse, with its errors.
        let p: Amount = "42.10".parse().unwrap();
        assert_eq!((p.as_decimal(), p.scale()), (dec("42.10"), 2));
        assert_eq!(" +5 ".parse::<Amount>().unwrap(), Amount::from_units(5));
        let e = "4x".parse::<Amount>().unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_argument", Some("amount")));
        assert!(e.to_string().contains("`4x` is not a decimal number"), "{e}");
        let e = Amount::parse_field("destinations[0].amount", "").unwrap_err();
        assert_eq!(e.field(), Some("destinations[0].amount"));
        // Long text is cut in the message (to 32 characters).
        let long = "9".repeat(30) + "abcdefghij";
        let e = Amount::parse(&long).unwrap_err().to_string();
        assert!(
            e.contains(&format!("`{}`", &long[..32])) && !e.contains(&long[..33]),
            "{e}"
        );
        // The length limit: 40 digits (sign excluded).
        assert!(Amount::parse(&"1".repeat(41)).is_err());
        assert!(Amount::parse(&format!("-0.{}", "1".repeat(38))).is_ok());
        assert!(Amount::parse(&format!("0.{}", "1".repeat(39))).is_err());
    }

    #[test]
    fn text_forms() {
        let a = Amount::parse("10.50").unwrap();
        assert_eq!(a.to_string(), "10.50");
        assert_eq!(format!("{a:?}"), "Amount(10.50)");
        assert_eq!(a.to_canonical_string(), "10.5");
        assert_eq!(Amount::parse("100.0").unwrap().to_canonical_string(), "100");
        assert_eq!(Amount::parse("100").unwrap().to_canonical_string(), "100");
        assert_eq!(format!("{:?}", Amount::ZERO), "Amount(0)");
        assert_eq!(Amount::default(), Amount::ZERO);
    }

    #[test]
    fn sign() {
        assert!(Amount::from_cents(1).is_positive());
        assert!(Amount::from_units(1).is_positive());
        assert!(!Amount::ZERO.is_positive());
        assert!(!Amount::parse("0.00").unwrap().is_positive());
        assert!(!Amount::from_cents(-1).is_positive());
        assert!(Amount::from_cents(-1) < Amount::ZERO);
    }

    #[test]
    fn deserialises_from_every_visitor() {
        use serde::de::value::{Error as E, I64Deserializer, StrDeserializer, U64Deserializer};
        let a = Amount::deserialize(U64Deserializer::<E>::new(350)).unwrap();
        assert_eq!(a, Amount::from_units(350));
        let a = Amount::deserialize(I64Deserializer::<E>::new(-4)).unwrap();
        assert_eq!(a, Amount::from_units(-4));
        let a = Amount::deserialize(StrDeserializer::<E>::new("10.50")).unwrap();
        assert_eq!(a.to_string(), "10.50");
        let e = Amount::deserialize(StrDeserializer::<E>::new("x1")).unwrap_err();
        assert!(e.to_string().contains("`x1` is not a decimal amount"), "{e}");
        assert!(Amount::deserialize(de::value::F64Deserializer::<E>::new(f64::NAN)).is_err());
        // Raw JSON text.
        assert_eq!(from_json_text(" 12.30 ").unwrap().to_string(), "12.30");
        assert_eq!(from_json_text("\"7.5\"").unwrap().to_string(), "7.5");
        assert_eq!(from_json_text("-2").unwrap(), Amount::from_units(-2));
        assert_eq!(from_json_text("2e2").unwrap(), Amount::from_units(200));
        for none in ["", "true", "null", "{}", "[1]", "\"x\""] {
            assert_eq!(from_json_text(none), None, "{none}");
        }
        let e = serde_json::from_str::<Amount>("\"1,0\"").unwrap_err().to_string();
        assert!(e.contains("not a decimal amount"), "{e}");
        let e = serde_json::from_str::<Amount>("[1]").unwrap_err().to_string();
        assert!(e.contains("`[1]` is not an amount"), "{e}");
        // Type errors name what was expected, through either visitor.
        let e = Amount::deserialize(de::value::BoolDeserializer::<E>::new(true))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("expected an amount as a JSON number or a decimal string"),
            "{e}"
        );
        let e = Amount::deserialize(serde_json::json!([true])).unwrap_err().to_string();
        assert!(e.contains("`[true]` is not an amount"), "{e}");
        assert_eq!(
            Amount::deserialize(serde_json::json!(12)).unwrap(),
            Amount::from_units(12)
        );
        assert_eq!(
            Amount::deserialize(serde_json::json!("1.5")).unwrap(),
            Amount::from_cents(150)
        );
        // Two decimal points are refused (by rust_decimal, after the scan).
        assert!(Amount::parse("1.2.3").is_err() && Decimal::from_str("1.2.3").is_err());
    }

    #[test]
    fn lenient_reading_through_every_visitor() {
        use serde::de::value::{
            BoolDeserializer, Error as E, F64Deserializer, I64Deserializer, StrDeserializer, U64Deserializer,
            UnitDeserializer,
        };
        assert_eq!(
            lenient_amount(U64Deserializer::<E>::new(5)).unwrap(),
            Some(Amount::from_units(5))
        );
        assert_eq!(
            lenient_amount(I64Deserializer::<E>::new(-5)).unwrap(),
            Some(Amount::from_units(-5))
        );
        assert_eq!(
            lenient_amount(StrDeserializer::<E>::new("1.50"))
                .unwrap()
                .unwrap()
                .to_string(),
            "1.50"
        );
        assert_eq!(lenient_amount(StrDeserializer::<E>::new("x")).unwrap(), None);
        assert_eq!(
            lenient_amount(F64Deserializer::<E>::new(2.5)).unwrap(),
            Some(Amount::from_cents(250))
        );
        assert_eq!(lenient_amount(F64Deserializer::<E>::new(f64::INFINITY)).unwrap(), None);
        assert_eq!(lenient_amount(BoolDeserializer::<E>::new(true)).unwrap(), None);
        assert_eq!(lenient_amount(UnitDeserializer::<E>::new()).unwrap(), None);
        let seq = de::value::SeqDeserializer::<_, E>::new(std::iter::empty::<u32>());
        let e = lenient_amount(seq).unwrap_err().to_string();
        assert!(e.contains("expected any JSON value"), "{e}");
        // A deserializer that reports an absent value (as YAML's `~` does).
        struct NoneDe;
        impl<'de> Deserializer<'de> for NoneDe {
            type Error = E;
            fn deserialize_any<V: Visitor<'de>>(self, v: V) -> std::result::Result<V::Value, E> {
                v.visit_none()
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
                unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
            }
        }
        assert_eq!(lenient_amount(NoneDe).unwrap(), None);
        // Buffered by serde (an untagged enum): through visit_newtype_struct.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Buffered {
            S {
                #[serde(deserialize_with = "lenient_amount")]
                a: Option<Amount>,
            },
        }
        let Buffered::S { a } = serde_json::from_str(r#"{"a": "1.50"}"#).unwrap();
        assert_eq!(a.unwrap().to_string(), "1.50");
        let Buffered::S { a } = serde_json::from_str(r#"{"a": 7}"#).unwrap();
        assert_eq!(a, Some(Amount::from_units(7)));
        let Buffered::S { a } = serde_json::from_str(r#"{"a": true}"#).unwrap();
        assert_eq!(a, None);
        // Through serde_json: numbers keep their text, anything else is None.
        let read = |text: &str| lenient_amount(&mut serde_json::Deserializer::from_str(text)).unwrap();
        assert_eq!(read("12.30").unwrap().to_string(), "12.30");
        assert_eq!(read("\"4\"").unwrap(), Amount::from_units(4));
        assert_eq!(read("null"), None);
        assert_eq!(read("[1]"), None);
    }

    #[test]
    fn request_validation() {
        assert!(Amount::parse("0").unwrap().validate_request("amount").is_err());
        assert!(Amount::parse("-1").unwrap().validate_request("amount").is_err());
        assert!(Amount::parse("1.005").unwrap().validate_request("amount").is_err());
        assert!(Amount::parse("1.50").unwrap().validate_request("amount").is_ok());
        assert!(Amount::parse("1.500").unwrap().validate_request("amount").is_ok());
    }
}
