//! Timestamps, read once for every binding.
//!
//! The API writes times in several ways: ISO 8601 with an offset
//! (`2021-03-29T13:35:28.000+03:00`), without seconds or offset, Daraja's
//! compact `YYYYMMDDhhmmss`, and epoch seconds (`"1613376955"`). The core
//! keeps the text exactly as sent (`Ty::Timestamp` fields are strings) and
//! [`Timestamp::parse`] reads it into an exact instant plus the offset it was
//! written in; each binding maps that to its native date type. A time
//! without an offset is Kenya time (`+03:00`, the API's own offset in every
//! example; see `docs/api-notes.md`, "Timestamps").

/// Kenya's offset from UTC, in seconds (+03:00, no daylight saving).
pub const KENYA_OFFSET_SECONDS: i32 = 3 * 3600;

/// An instant read from the API's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix_seconds: i64,
    /// Nanoseconds within the second (0..1e9).
    pub nanos: u32,
    /// The offset the time was written in, in seconds east of UTC.
    pub offset_seconds: i32,
    /// Whether the text carried its offset (`false`: Kenya time was assumed,
    /// or epoch seconds, which are UTC).
    pub offset_given: bool,
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter()
        .try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(u32::from(d - b'0')))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number since 1970-01-01 (Howard Hinnant's algorithm;
/// the inverse of `days_from_civil`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A date and time of day on the wall clock of an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year (proleptic Gregorian).
    pub year: i64,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
    /// Second, 0–59.
    pub second: u32,
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

#[allow(clippy::too_many_arguments)]
fn build(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32, offset: Option<i32>) -> Option<Timestamp> {
    let y = i64::from(y);
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let offset_seconds = offset.unwrap_or(KENYA_OFFSET_SECONDS);
    let local = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s.min(59));
    Some(Timestamp {
        unix_seconds: local - i64::from(offset_seconds),
        nanos,
        offset_seconds,
        offset_given: offset.is_some(),
    })
}

/// `Z`, `+03:00`, `+0300`, `+03` → seconds east of UTC.
fn parse_offset(s: &[u8]) -> Option<i32> {
    match s {
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest {
                [a, b] => (digits(&[*a, *b])?, 0),
                [a, b, b':', c, d] | [a, b, c, d] => (digits(&[*a, *b])?, digits(&[*c, *d])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let v = (h * 3600 + m * 60) as i32;
            Some(if *sign == b'-' { -v } else { v })
        }
        _ => None,
    }
}

impl Timestamp {
    /// An instant, to be written in the given offset (seconds east of UTC).
    pub fn at(unix_seconds: i64, offset_seconds: i32) -> Timestamp {
        Timestamp {
            unix_seconds,
            nanos: 0,
            offset_seconds,
            offset_given: true,
        }
    }

    /// The date and time of day in the timestamp's own offset (what a
    /// binding's date type is built from).
    pub fn local(&self) -> Civil {
        let local = self.unix_seconds + i64::from(self.offset_seconds);
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400) as u32;
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: (secs / 60) % 60,
            second: secs % 60,
        }
    }

    /// RFC 3339 text in the timestamp's own offset, for the bindings' native
    /// date types (`java.time.OffsetDateTime`, Foundation's `Date`):
    /// `2021-03-29T13:35:28+03:00`, with the fraction when there is one
    /// (`.123456789`, trailing zeros dropped) and the offset always as `±hh:mm`.
    pub fn to_rfc3339(&self) -> String {
        let c = self.local();
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        );
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        let off = self.offset_seconds.unsigned_abs();
        let sign = if self.offset_seconds < 0 { '-' } else { '+' };
        out.push_str(&format!("{sign}{:02}:{:02}", off / 3600, (off / 60) % 60));
        out
    }

    /// Reads ISO 8601 (`YYYY-MM-DD[T ]hh:mm[:ss[.fraction]][offset]`),
    /// Daraja's `YYYYMMDDhhmmss`, or epoch seconds (up to 11 digits). `None`
    /// for anything else: the text itself is always kept.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let t = text.trim().as_bytes();
        if t.len() == 14 && t.iter().all(u8::is_ascii_digit) {
            return build(
                digits(&t[0..4])?,
                digits(&t[4..6])?,
                digits(&t[6..8])?,
                digits(&t[8..10])?,
                digits(&t[10..12])?,
                digits(&t[12..14])?,
                0,
                None,
            );
        }
        if (1..=11).contains(&t.len()) && t.iter().all(u8::is_ascii_digit) {
            let secs = i64::from(digits(&t[..t.len().min(9)])?);
            let secs = if t.len() > 9 {
                let rest = digits(&t[9..])?;
                secs * 10i64.pow((t.len() - 9) as u32) + i64::from(rest)
            } else {
                secs
            };
            return Some(Timestamp {
                unix_seconds: secs,
                nanos: 0,
                offset_seconds: 0,
                offset_given: false,
            });
        }
        // YYYY-MM-DD?hh:mm
        if t.len() < 16 || t[4] != b'-' || t[7] != b'-' || !matches!(t[10], b'T' | b't' | b' ') || t[13] != b':' {
            return None;
        }
        let (y, mo, d) = (digits(&t[0..4])?, digits(&t[5..7])?, digits(&t[8..10])?);
        let (h, mi) = (digits(&t[11..13])?, digits(&t[14..16])?);
        let mut rest = &t[16..];
        let mut s = 0;
        let mut nanos = 0;
        if let [b':', a, b, tail @ ..] = rest {
            s = digits(&[*a, *b])?;
            rest = tail;
            if let [b'.' | b',', tail @ ..] = rest {
                let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
                if n == 0 {
                    return None;
                }
                let frac = &tail[..n.min(9)];
                nanos = digits(frac)? * 10u32.pow(9 - frac.len() as u32);
                rest = &tail[n..];
            }
        }
        let rest = rest.trim_ascii_start();
        let offset = if rest.is_empty() {
            None
        } else {
            Some(parse_offset(rest)?)
        };
        build(y, mo, d, h, mi, s, nanos, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_forms() {
        let t = Timestamp::parse("2021-03-29T13:35:28.000+03:00").unwrap();
        assert_eq!(t.unix_seconds, 1_617_014_128);
        assert_eq!((t.nanos, t.offset_seconds, t.offset_given), (0, 10_800, true));
        let t = Timestamp::parse("2020-10-22T10:43:20.123456789Z").unwrap();
        assert_eq!(
            (t.unix_seconds, t.nanos, t.offset_seconds),
            (1_603_363_400, 123_456_789, 0)
        );
        // Without seconds or offset: Kenya time.
        let t = Timestamp::parse("2021-04-12T08:50").unwrap();
        assert_eq!(
            t.unix_seconds,
            Timestamp::parse("2021-04-12T08:50:00+03:00").unwrap().unix_seconds
        );
        assert!(!t.offset_given);
        assert_eq!(
            Timestamp::parse("2021-04-12 08:50:00 +0300").unwrap().offset_seconds,
            10_800
        );
        assert_eq!(
            Timestamp::parse("2021-04-12T08:50:00-05").unwrap().offset_seconds,
            -18_000
        );
        // Daraja and epoch seconds.
        let t = Timestamp::parse("20210412085000").unwrap();
        assert_eq!(
            t.unix_seconds,
            Timestamp::parse("2021-04-12T08:50:00+03:00").unwrap().unix_seconds
        );
        let t = Timestamp::parse("1613376955").unwrap();
        assert_eq!((t.unix_seconds, t.offset_seconds), (1_613_376_955, 0));
        assert_eq!(Timestamp::parse("0").unwrap().unix_seconds, 0);
        // Leap day and pre-epoch dates.
        assert!(Timestamp::parse("2024-02-29T00:00:00Z").is_some());
        assert_eq!(Timestamp::parse("1969-12-31T23:59:59Z").unwrap().unix_seconds, -1);
    }

    #[test]
    fn local_time_is_the_written_one() {
        for text in [
            "2021-03-29T13:35:28+03:00",
            "1969-12-31T23:59:59Z",
            "2000-02-29T00:00:00-05:00",
        ] {
            let t = Timestamp::parse(text).unwrap();
            let c = t.local();
            let back = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                c.year, c.month, c.day, c.hour, c.minute, c.second
            );
            assert!(text.starts_with(&back), "{text} -> {back}");
        }
        let c = Timestamp::at(0, 3 * 3600).local();
        assert_eq!((c.year, c.month, c.day, c.hour), (1970, 1, 1, 3));
    }

    #[test]
    fn rfc3339_text() {
        for (text, want) in [
            ("2021-03-29T13:35:28.000+03:00", "2021-03-29T13:35:28+03:00"),
            ("2020-10-22T10:43:20.123456789Z", "2020-10-22T10:43:20.123456789+00:00"),
            ("2020-10-22T10:43:20.1200Z", "2020-10-22T10:43:20.12+00:00"),
            ("2021-04-12T08:50", "2021-04-12T08:50:00+03:00"),
            ("2021-04-12T08:50:00-05:30", "2021-04-12T08:50:00-05:30"),
            ("20210412085000", "2021-04-12T08:50:00+03:00"),
            ("1613376955", "2021-02-15T08:15:55+00:00"),
            ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59+00:00"),
        ] {
            let t = Timestamp::parse(text).unwrap();
            assert_eq!(t.to_rfc3339(), want, "{text}");
            // The text reads back as the same instant and offset.
            let back = Timestamp::parse(&t.to_rfc3339()).unwrap();
            assert_eq!(
                (back.unix_seconds, back.nanos, back.offset_seconds),
                (t.unix_seconds, t.nanos, t.offset_seconds)
            );
        }
    }

    /// Every day from 0000-01-01 to 9999-12-31 (every date `parse` can
    /// read), walked one day at a time with a calendar written
    /// here independently of Hinnant's formulas: both directions agree with
    /// it on every day, and so does `days_in_month`.
    #[test]
    fn calendar_agrees_with_a_naive_walk_on_every_day() {
        fn leap(y: i64) -> bool {
            y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
        }
        fn month_len(y: i64, m: u32) -> u32 {
            [
                31,
                if leap(y) { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ][m as usize - 1]
        }
        // 0000-01-01 is 719,528 days before 1970-01-01: 1,970 years, 478 of
        // them leap (493 multiples of 4, less the 15 centuries 100 … 1900 not
        // divisible by 400).
        let (mut y, mut m, mut d, mut n) = (0i64, 1u32, 1u32, -719_528i64);
        assert_eq!(1970 * 365 + 478, 719_528);
        while y < 10_000 {
            assert_eq!(days_from_civil(y, m, d), n, "{y}-{m}-{d}");
            assert_eq!(civil_from_days(n), (y, m, d), "day {n}");
            if d == 1 {
                assert_eq!(days_in_month(y, m), month_len(y, m), "{y}-{m}");
            }
            n += 1;
            d += 1;
            if d > month_len(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
        // Before year 0 (only reachable through `Timestamp::at`): the
        // proleptic calendar goes on, 146,097 days per 400 years.
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(-400, 3, 1), 6 * 146_097);
        for back in [1i64, 59, 60, 365, 366, 146_097, 146_098, 1_000_000] {
            let z = days_from_civil(0, 1, 1) - back;
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z, "{back} days before year 0");
        }
        assert_eq!(civil_from_days(days_from_civil(0, 1, 1) - 1), (-1, 12, 31));
        assert_eq!(civil_from_days(days_from_civil(-1, 3, 1) - 1), (-1, 2, 28));
        assert_eq!(civil_from_days(days_from_civil(-4, 3, 1) - 1), (-4, 2, 29));
        assert_eq!(civil_from_days(days_from_civil(-400, 1, 1)), (-400, 1, 1));
    }

    #[test]
    fn field_limits_are_inclusive_and_exact() {
        let ok = |s: &str| Timestamp::parse(s).unwrap_or_else(|| panic!("{s} refused"));
        // Largest hour, minute, day of each month length, and a leap second
        // (read as :59, the instant's own second).
        assert_eq!(ok("2021-04-12T23:59:00Z").local().hour, 23);
        assert_eq!(ok("2021-04-30T00:00:00Z").local().day, 30);
        assert_eq!(ok("2021-01-31T00:00:00Z").local().day, 31);
        assert_eq!(ok("2021-12-31T00:00:00Z").local().month, 12);
        assert_eq!(ok("2021-02-28T00:00:00Z").local().day, 28);
        assert_eq!(ok("2016-12-31T23:59:60Z"), ok("2016-12-31T23:59:59Z"));
        assert_eq!(ok("2021-04-12T08:50:59Z").local().second, 59);
        assert_eq!(ok("2000-02-29T00:00:00Z").local().day, 29);
        for bad in [
            "2021-04-31T00:00:00Z",
            "2021-01-32T00:00:00Z",
            "2021-00-10T00:00:00Z",
            "2021-04-00T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2021-04-12T08:50:61Z",
            "2021-04-12T08:50:00+24:00",
            "2021-04-12T08:50:00+03:60",
            "2021-04-12T08:50:00+3",
            "2021-04-12T08:50:00+03:0",
            "2021-04-12T08:50:00+03300",
            "2021-04-12T08:50:00*03:00",
            "2021-04-12T08:50:00ZZ",
            "2021-04-12T08:5",
            "2021/04-12T08:50",
            "2021-04/12T08:50",
            "2021-04-12X08:50",
            "2021-04-12T08-50",
            "2021-04-12T08:50:",
            "2021-04-12T08:50:5",
            "2021041208500x",
            "202a-04-12T08:50",
            "2021-0a-12T08:50",
            "2021-04-1aT08:50",
            "2021-04-12Ta8:50",
            "2021-04-12T08:5a",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
        // Offsets: every accepted spelling, both signs, minutes, their limits.
        assert_eq!(ok("2021-04-12T08:50:00+23:59").offset_seconds, 23 * 3600 + 59 * 60);
        assert_eq!(ok("2021-04-12T08:50:00-0530").offset_seconds, -(5 * 3600 + 30 * 60));
        assert_eq!(ok("2021-04-12T08:50:00+05:45").offset_seconds, 5 * 3600 + 45 * 60);
        assert_eq!(ok("2021-04-12T08:50:00+00").offset_seconds, 0);
        assert_eq!(ok("2021-04-12T08:50:00z").offset_seconds, 0);
        assert!(ok("2021-04-12T08:50:00z").offset_given);
        assert_eq!(
            ok("2021-04-12T08:50:00+0530").unix_seconds,
            ok("2021-04-12T03:20:00Z").unix_seconds
        );
        assert_eq!(
            ok("2021-04-12T08:50:00-05:30").unix_seconds,
            ok("2021-04-12T14:20:00Z").unix_seconds
        );
        // The separators between date and time, and a space before the offset.
        assert_eq!(ok("2021-04-12t08:50:00Z"), ok("2021-04-12T08:50:00Z"));
        assert_eq!(ok("2021-04-12 08:50:00Z"), ok("2021-04-12T08:50:00Z"));
        assert_eq!(ok("  2021-04-12T08:50:00 Z  "), ok("2021-04-12T08:50:00Z"));
    }

    #[test]
    fn fractions_and_epoch_seconds() {
        let ok = |s: &str| Timestamp::parse(s).unwrap_or_else(|| panic!("{s} refused"));
        for (text, nanos) in [
            ("2021-04-12T08:50:00.5Z", 500_000_000),
            ("2021-04-12T08:50:00,25Z", 250_000_000),
            ("2021-04-12T08:50:00.000000001Z", 1),
            ("2021-04-12T08:50:00.123Z", 123_000_000),
            // Digits past nanoseconds are dropped, not rounded.
            ("2021-04-12T08:50:00.1234567899+03:00", 123_456_789),
            ("2021-04-12T08:50:00.999999999999Z", 999_999_999),
        ] {
            let t = ok(text);
            assert_eq!(t.nanos, nanos, "{text}");
            assert_eq!(
                t.unix_seconds % 60,
                ok("2021-04-12T08:50:00Z").unix_seconds % 60,
                "{text}"
            );
        }
        assert_eq!(ok("2021-04-12T08:50:00.5").offset_seconds, KENYA_OFFSET_SECONDS);
        // Epoch seconds: up to 11 digits, exact (no u32 overflow past 9 digits).
        for (text, secs) in [
            ("7", 7i64),
            ("999999999", 999_999_999),
            ("1000000000", 1_000_000_000),
            ("4294967296", 4_294_967_296),
            ("12345678901", 12_345_678_901),
            ("99999999999", 99_999_999_999),
        ] {
            let t = ok(text);
            assert_eq!(
                (t.unix_seconds, t.nanos, t.offset_seconds, t.offset_given),
                (secs, 0, 0, false),
                "{text}"
            );
        }
        // 14 digits are Daraja's wall clock in Kenya time, not epoch seconds.
        let t = ok("20240229235959");
        assert_eq!((t.offset_seconds, t.offset_given), (KENYA_OFFSET_SECONDS, false));
        assert_eq!(t.unix_seconds, ok("2024-02-29T20:59:59Z").unix_seconds);
        assert_eq!(Timestamp::parse("20240230000000"), None);
        assert_eq!(Timestamp::parse("20241301000000"), None);
    }

    #[test]
    fn written_back_in_its_own_offset() {
        // `local` and `to_rfc3339` on instants built directly, including
        // negative offsets and times before 1970 (the euclidean split).
        let t = Timestamp::at(-1, -(5 * 3600 + 30 * 60));
        assert_eq!(t.to_rfc3339(), "1969-12-31T18:29:59-05:30");
        let c = t.local();
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.second),
            (1969, 12, 31, 18, 29, 59)
        );
        assert_eq!(Timestamp::at(86_399, 0).to_rfc3339(), "1970-01-01T23:59:59+00:00");
        assert_eq!(Timestamp::at(86_400, 0).to_rfc3339(), "1970-01-02T00:00:00+00:00");
        assert_eq!(
            Timestamp::at(-86_400, 45 * 60).to_rfc3339(),
            "1969-12-31T00:45:00+00:45"
        );
        assert_eq!(Timestamp::at(3_723, 0).to_rfc3339(), "1970-01-01T01:02:03+00:00");
        let t = Timestamp {
            nanos: 10,
            ..Timestamp::at(0, 0)
        };
        assert_eq!(t.to_rfc3339(), "1970-01-01T00:00:00.00000001+00:00");
        let t = Timestamp::at(1_617_014_128, KENYA_OFFSET_SECONDS);
        assert!(t.offset_given);
        assert_eq!(t.nanos, 0);
        assert_eq!(t.to_rfc3339(), "2021-03-29T13:35:28+03:00");
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "",
            "yesterday",
            "2023-02-29T00:00:00Z",
            "2021-13-01T00:00",
            "2021-04-12T24:00",
            "2021-04-12T08:60",
            "2021-04-12",
            "2021-04-12T08:50:00+25:00",
            "2021-04-12T08:50:00.Z",
            "2021-04-12T08:50:00 UTC",
            "123456789012",
            "2021-04-12T08:50:0a",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }
}
