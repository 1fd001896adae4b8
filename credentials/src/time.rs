//! XML Schema 1.1 Part 2 `dateTimeStamp` / `dateTime` parsing into a
//! comparable instant, without a date library and without a clock.
//!
//! Lexical form: `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)`, years of four or
//! more digits (no leading zero beyond four), `24:00:00` allowed as the end of
//! a day, offsets up to ±14:00, no leap seconds (XSD has none). A
//! `dateTimeStamp` must carry a time zone; a `dateTime` may omit it (it is then
//! read as UTC, which Data Integrity allows for `created`/`expires`).
//!
//! Parsing never changes the document: the credential keeps its exact string,
//! and this type is only used for comparisons.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

/// A point in time: seconds and nanoseconds since 1970-01-01T00:00:00Z (the
/// proleptic Gregorian calendar, so far past and future years are exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Instant {
    /// Whole seconds since the Unix epoch (negative before 1970).
    pub unix_seconds: i64,
    /// Nanoseconds within the second, `0..1_000_000_000`.
    pub nanos: u32,
}

impl Ord for Instant {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.unix_seconds, self.nanos).cmp(&(other.unix_seconds, other.nanos))
    }
}

impl PartialOrd for Instant {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Instant {
    /// From Unix seconds and nanoseconds (nanos above 999 999 999 carry over).
    pub fn from_unix(unix_seconds: i64, nanos: u32) -> Self {
        let carry = i64::from(nanos / 1_000_000_000);
        Instant {
            unix_seconds: unix_seconds.saturating_add(carry),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// From milliseconds since the epoch (JavaScript `Date.now()`).
    pub fn from_unix_millis(millis: i64) -> Self {
        let secs = millis.div_euclid(1000);
        let ms = u32::try_from(millis.rem_euclid(1000)).unwrap_or(0);
        Instant {
            unix_seconds: secs,
            nanos: ms * 1_000_000,
        }
    }

    /// Parses an XMLSCHEMA11-2 `dateTimeStamp` (time zone required).
    pub fn parse_date_time_stamp(s: &str) -> Result<Self, TimeError> {
        parse(s, true)
    }

    /// Parses an XMLSCHEMA11-2 `dateTime` (time zone optional; absent = UTC).
    pub fn parse_date_time(s: &str) -> Result<Self, TimeError> {
        parse(s, false)
    }

    /// RFC 3339 UTC form with second precision (`2024-09-01T08:00:00Z`), the
    /// form the issuer tools write. Sub-second digits are dropped.
    pub fn to_rfc3339_seconds(&self) -> String {
        let days = self.unix_seconds.div_euclid(86_400);
        let secs = self.unix_seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let (hh, mm, ss) = (secs / 3600, (secs / 60) % 60, secs % 60);
        if (0..=9999).contains(&y) {
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
        } else {
            format!("{y}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
        }
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339_seconds())
    }
}

/// Why a date-time string was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum TimeError {
    /// Not of the lexical form `YYYY-MM-DDThh:mm:ss…`.
    Syntax,
    /// A field is out of range (month 13, 31 April, 25:00, offset +15:00…).
    OutOfRange,
    /// A `dateTimeStamp` without `Z` or an offset.
    MissingTimeZone,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeError::Syntax => "not an XML Schema dateTime",
            TimeError::OutOfRange => "a date or time field is out of range",
            TimeError::MissingTimeZone => "dateTimeStamp needs Z or a UTC offset",
        })
    }
}

impl std::error::Error for TimeError {}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), TimeError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(TimeError::Syntax)
        }
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Result<i64, TimeError> {
        let mut v: i64 = 0;
        for _ in 0..n {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + i64::from(c - b'0');
                    self.i += 1;
                }
                _ => return Err(TimeError::Syntax),
            }
        }
        Ok(v)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`). XSD year 0 is 1 BCE, which is what this computes.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn parse(s: &str, require_tz: bool) -> Result<Instant, TimeError> {
    let mut c = Cursor {
        b: s.as_bytes(),
        i: 0,
    };
    let negative = c.eat(b'-');
    // Year: 4+ digits; more than four must not start with 0. Bounded so the
    // arithmetic below cannot overflow.
    let start = c.i;
    while matches!(c.peek(), Some(b'0'..=b'9')) {
        c.i += 1;
    }
    let ylen = c.i - start;
    let ydigits = s.get(start..c.i).ok_or(TimeError::Syntax)?;
    if ylen < 4 || (ylen > 4 && ydigits.starts_with('0')) {
        return Err(TimeError::Syntax);
    }
    if ylen > 11 {
        return Err(TimeError::OutOfRange);
    }
    let year_abs: i64 = ydigits.parse().map_err(|_| TimeError::Syntax)?;
    let year = if negative { -year_abs } else { year_abs };
    c.expect(b'-')?;
    let month = c.digits(2)?;
    c.expect(b'-')?;
    let day = c.digits(2)?;
    c.expect(b'T')?;
    let hour = c.digits(2)?;
    c.expect(b':')?;
    let minute = c.digits(2)?;
    c.expect(b':')?;
    let second = c.digits(2)?;
    let mut nanos: u32 = 0;
    if c.eat(b'.') {
        let fstart = c.i;
        let mut scale = 100_000_000u32;
        while let Some(d @ b'0'..=b'9') = c.peek() {
            nanos += u32::from(d - b'0') * scale;
            scale /= 10;
            c.i += 1;
        }
        if c.i == fstart {
            return Err(TimeError::Syntax);
        }
    }
    let offset_minutes: i64 = match c.peek() {
        None => {
            if require_tz {
                return Err(TimeError::MissingTimeZone);
            }
            0
        }
        Some(b'Z') => {
            c.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let oh = c.digits(2)?;
            c.expect(b':')?;
            let om = c.digits(2)?;
            if om > 59 || oh > 14 || (oh == 14 && om != 0) {
                return Err(TimeError::OutOfRange);
            }
            let total = oh * 60 + om;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        Some(_) => return Err(TimeError::Syntax),
    };
    if c.i != c.b.len() {
        return Err(TimeError::Syntax);
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(TimeError::OutOfRange);
    }
    let end_of_day = hour == 24 && minute == 0 && second == 0 && nanos == 0;
    if (hour > 23 && !end_of_day) || minute > 59 || second > 59 {
        return Err(TimeError::OutOfRange);
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Ok(Instant {
        unix_seconds: secs,
        nanos,
    })
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn p(s: &str) -> Result<Instant, TimeError> {
        Instant::parse_date_time_stamp(s)
    }

    #[test]
    fn epoch_and_known_instants() {
        assert_eq!(p("1970-01-01T00:00:00Z").unwrap().unix_seconds, 0);
        assert_eq!(
            p("2023-01-01T00:00:00Z").unwrap().unix_seconds,
            1_672_531_200
        );
        assert_eq!(p("2000-02-29T12:00:00Z").unwrap().unix_seconds, 951_825_600);
        assert_eq!(p("1969-12-31T23:59:59Z").unwrap().unix_seconds, -1);
    }

    #[test]
    fn offsets_and_fractions_compare_as_instants() {
        let a = p("2023-02-25T19:10:39-06:00").unwrap();
        let b = p("2023-02-26T01:10:39Z").unwrap();
        assert_eq!(a, b);
        let ms = p("2023-02-26T01:20:18.477Z").unwrap();
        assert_eq!(ms.nanos, 477_000_000);
        assert!(p("2023-02-26T01:20:18Z").unwrap() < ms);
        assert_eq!(
            p("2023-01-01T24:00:00Z").unwrap(),
            p("2023-01-02T00:00:00Z").unwrap()
        );
    }

    #[test]
    fn refuses_what_xsd_refuses() {
        for bad in [
            "Sat 25 Feb 2023 07:16:31 PM CST",
            "Sun, 26 Feb 2023 01:22:14 +0000",
            "2023-02-26",
            "2023-2-26T01:00:00Z",
            "23-02-26T01:00:00Z",
            "02023-02-26T01:00:00Z",
            "2023-02-26T01:00:00.Z",
            "2023-02-26t01:00:00Z",
            "2023-02-26T01:00:00+0100",
            "2023-02-26T01:00:00Z ",
        ] {
            assert_eq!(p(bad), Err(TimeError::Syntax), "{bad}");
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-01-01T24:00:01Z",
            "2023-01-01T23:60:00Z",
            "2023-01-01T23:59:60Z",
            "2023-01-01T00:00:00+14:01",
        ] {
            assert_eq!(p(bad), Err(TimeError::OutOfRange), "{bad}");
        }
        assert_eq!(p("2023-01-01T00:00:00"), Err(TimeError::MissingTimeZone));
        assert!(Instant::parse_date_time("2023-01-01T00:00:00").is_ok());
    }

    #[test]
    fn far_years_round_trip() {
        for s in [
            "4023-02-26T01:02:58Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(p(s).unwrap().to_rfc3339_seconds(), s);
        }
        assert!(p("-0044-03-15T12:00:00Z").unwrap() < p("0000-01-01T00:00:00Z").unwrap());
        assert!(p("10000-01-01T00:00:00Z").is_ok());
        assert!(p("999999999999999-01-01T00:00:00Z").is_err());
    }

    #[test]
    fn javascript_millis() {
        let i = Instant::from_unix_millis(-1);
        assert_eq!((i.unix_seconds, i.nanos), (-1, 999_000_000));
    }
}
