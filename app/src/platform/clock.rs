//! The wall clock, read from the browser. The pure crates take time as a
//! parameter; this is where the app gets it from.

/// Milliseconds since the Unix epoch, as the browser reports it.
pub fn now_millis() -> f64 {
    js_sys::Date::now()
}

/// Whole seconds since the Unix epoch (never negative).
pub fn now_secs() -> u64 {
    let secs = (now_millis() / 1000.0).floor();
    if secs.is_finite() && secs > 0.0 {
        secs as u64
    } else {
        0
    }
}

/// The current time as an RFC 3339 / XML Schema `dateTimeStamp` in UTC,
/// with whole seconds (`2026-11-24T14:15:31Z`).
pub fn now_rfc3339() -> String {
    let date = js_sys::Date::new_0();
    let iso: String = date.to_iso_string().into();
    // `toISOString` gives `YYYY-MM-DDTHH:MM:SS.sssZ`; drop the milliseconds.
    match iso.split_once('.') {
        Some((whole, _)) => format!("{whole}Z"),
        None => iso,
    }
}
