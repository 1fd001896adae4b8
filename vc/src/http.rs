//! A minimal, bounded HTTP/1.1 server core for `vc serve`: reads one request
//! per connection (request line, headers, a `Content-Length` body), writes
//! one response and closes. No chunked bodies, no keep-alive, no pipelining.
//! It owns one connection at a time and knows nothing of threads: `serve.rs`
//! runs it on a pool of handler threads, so every bound here is what one
//! client can cost one handler thread.
//!
//! Bounds: the request line plus headers fit in [`MAX_HEAD`] bytes and at
//! most [`MAX_HEADERS`] header lines; a body needs `Content-Length` and may
//! not exceed the configured limit (checked before reading it). Time is
//! bounded by deadlines, not per-read timeouts, so a client trickling a byte
//! at a time gains nothing: the head must arrive within [`HEAD_DEADLINE`] and
//! the whole request within [`REQUEST_DEADLINE`]; the response must be taken
//! within [`WRITE_DEADLINE`] (a client that never reads is cut off); the
//! drain after it lasts at most the `linger` given to [`write_response`]
//! ([`LINGER`] for answered requests). One connection holds a handler thread
//! for at most `REQUEST_DEADLINE + WRITE_DEADLINE + LINGER` plus the time to
//! compute the answer. Whatever goes wrong becomes an error response (`400`,
//! `408`, `411`, `413`, `431`, `501`, `505`), never a crash.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Largest request line + headers, in bytes.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header lines.
pub const MAX_HEADERS: usize = 64;
/// Deadline for the request line and headers, from the moment a handler
/// thread takes the connection.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(3);
/// Deadline for the whole request, head and body, from the same moment.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// Deadline for writing the whole response (the client must read it).
pub const WRITE_DEADLINE: Duration = Duration::from_secs(5);
/// Longest drain of what the client still sends after an answered request.
pub const LINGER: Duration = Duration::from_secs(1);
/// Most bytes drained after a response.
const LINGER_BYTES: usize = 4 * 1024 * 1024;

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method (`GET`, `POST`, …).
    pub method: String,
    /// The path, without query string.
    pub path: String,
    /// The query string (without `?`), if any.
    pub query: Option<String>,
    /// Header names (lower-cased) and values.
    pub headers: Vec<(String, String)>,
    /// The body (empty without `Content-Length`).
    pub body: Vec<u8>,
}

impl Request {
    /// The first header named `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body.
    pub body: Vec<u8>,
    /// `Retry-After` in seconds (a `503`).
    pub retry_after: Option<u32>,
}

/// Why a request could not be read: the status to answer with and a short
/// reason for the problem-details body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// Status code.
    pub status: u16,
    /// Stable slug (`body-too-large`, …).
    pub slug: &'static str,
    /// Detail for people.
    pub detail: String,
}

fn err(status: u16, slug: &'static str, detail: impl Into<String>) -> HttpError {
    HttpError {
        status,
        slug,
        detail: detail.into(),
    }
}

/// The reason phrase of `status`.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

fn find_head_end(buf: &[u8]) -> Option<(usize, usize)> {
    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
        return Some((i, i + 4));
    }
    buf.windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2))
}

fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The time left before `deadline`, or `None` once it has passed.
fn time_left(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

/// Reads more bytes into `buf`, waiting at most until `deadline`; `Ok(0)` at
/// end of stream.
fn read_some(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    deadline: Instant,
) -> Result<usize, HttpError> {
    let too_long = || err(408, "request-timeout", "the request took too long");
    let left = time_left(deadline).ok_or_else(too_long)?;
    stream
        .set_read_timeout(Some(left))
        .map_err(|e| err(400, "connection-error", e.to_string()))?;
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk) {
        Ok(n) => {
            buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
            Ok(n)
        }
        Err(e) if timed_out(&e) => Err(too_long()),
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(1),
        Err(e) => Err(err(400, "connection-error", e.to_string())),
    }
}

/// Writes all of `bytes`, giving up (`TimedOut`) at `deadline` however the
/// client paces its reading.
fn write_all_by(stream: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
    let too_long = || io::Error::new(io::ErrorKind::TimedOut, "the client did not read");
    while !bytes.is_empty() {
        let left = time_left(deadline).ok_or_else(too_long)?;
        stream.set_write_timeout(Some(left))?;
        match stream.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = bytes.get(n..).unwrap_or(&[]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if timed_out(&e) => return Err(too_long()),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Method, path, query and headers of a request.
pub type Head = (String, String, Option<String>, Vec<(String, String)>);

/// Parses the head (request line and headers).
pub fn parse_head(head: &[u8]) -> Result<Head, HttpError> {
    let text = std::str::from_utf8(head)
        .map_err(|_| err(400, "malformed-request", "the request head is not UTF-8"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(err(400, "malformed-request", "bad request line"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(err(400, "malformed-request", "bad method"));
    }
    match version {
        "HTTP/1.1" | "HTTP/1.0" => {}
        v if v.starts_with("HTTP/") => {
            return Err(err(505, "http-version-not-supported", "only HTTP/1.x"))
        }
        _ => return Err(err(400, "malformed-request", "bad HTTP version")),
    }
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(err(400, "malformed-request", "bad request target"));
    }
    let without_fragment = target.split('#').next().unwrap_or("/");
    let (path, query) = match without_fragment.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (without_fragment.to_owned(), None),
    };
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            return Err(err(
                400,
                "malformed-request",
                "folded header lines are not allowed",
            ));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(err(400, "malformed-request", "header line without ':'"));
        };
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid_name {
            return Err(err(400, "malformed-request", "bad header name"));
        }
        if headers.len() >= MAX_HEADERS {
            return Err(err(431, "headers-too-large", "too many header lines"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok((method.to_owned(), path, query, headers))
}

/// The declared body length: `Content-Length` (all copies must agree),
/// refusing `Transfer-Encoding`.
pub fn content_length(headers: &[(String, String)]) -> Result<Option<usize>, HttpError> {
    if headers.iter().any(|(n, _)| n == "transfer-encoding") {
        return Err(err(
            501,
            "transfer-encoding-not-supported",
            "send the body with Content-Length",
        ));
    }
    let mut length = None;
    for (_, v) in headers.iter().filter(|(n, _)| n == "content-length") {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.len() > 18 {
            return Err(err(400, "malformed-request", "bad Content-Length"));
        }
        let n: usize = v
            .parse()
            .map_err(|_| err(400, "malformed-request", "bad Content-Length"))?;
        if length.is_some_and(|l| l != n) {
            return Err(err(400, "malformed-request", "conflicting Content-Length"));
        }
        length = Some(n);
    }
    Ok(length)
}

/// Reads one request from `stream` (see the module docs).
pub fn read_request(stream: &mut TcpStream, max_body: usize) -> Result<Request, HttpError> {
    let started = Instant::now();
    let head_deadline = started + HEAD_DEADLINE;
    let deadline = started + REQUEST_DEADLINE;
    let mut buf = Vec::with_capacity(4096);
    let (head_end, body_start) = loop {
        if let Some(found) = find_head_end(&buf) {
            break found;
        }
        if buf.len() > MAX_HEAD {
            return Err(err(
                431,
                "headers-too-large",
                "the request head is too large",
            ));
        }
        if read_some(stream, &mut buf, head_deadline)? == 0 {
            return Err(err(
                400,
                "malformed-request",
                "the connection closed mid-request",
            ));
        }
    };
    if head_end > MAX_HEAD {
        return Err(err(
            431,
            "headers-too-large",
            "the request head is too large",
        ));
    }
    let (method, path, query, headers) = parse_head(buf.get(..head_end).unwrap_or(&[]))?;
    let length = content_length(&headers)?;
    let length = match (method.as_str(), length) {
        ("POST" | "PUT" | "PATCH", None) => {
            return Err(err(411, "length-required", "POST needs Content-Length"))
        }
        (_, l) => l.unwrap_or(0),
    };
    if length > max_body {
        return Err(err(
            413,
            "body-too-large",
            format!("the body is {length} bytes; at most {max_body}"),
        ));
    }
    let expects_continue = headers
        .iter()
        .any(|(n, v)| n == "expect" && v.eq_ignore_ascii_case("100-continue"));
    let mut body: Vec<u8> = buf.get(body_start..).unwrap_or(&[]).to_vec();
    if expects_continue && body.len() < length {
        let _ = write_all_by(stream, b"HTTP/1.1 100 Continue\r\n\r\n", deadline);
    }
    while body.len() < length {
        if read_some(stream, &mut body, deadline)? == 0 {
            return Err(err(
                400,
                "malformed-request",
                "the body is shorter than Content-Length",
            ));
        }
    }
    body.truncate(length);
    Ok(Request {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// Writes `response` within [`WRITE_DEADLINE`], then drains what the client
/// still sends for at most `linger` (see [`drain`]) and closes.
pub fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    linger: Duration,
) -> io::Result<()> {
    let deadline = Instant::now() + WRITE_DEADLINE;
    let retry_after = response
        .retry_after
        .map(|s| format!("Retry-After: {s}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{retry_after}Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.status,
        reason_phrase(response.status),
        response.content_type,
        response.body.len()
    );
    // Head and body go out at once, not held back waiting for an ACK.
    let _ = stream.set_nodelay(true);
    write_all_by(stream, head.as_bytes(), deadline)?;
    write_all_by(stream, &response.body, deadline)?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    drain(stream, linger);
    Ok(())
}

/// Reads and drops what the client still sends, for at most `linger` and
/// [`LINGER_BYTES`], so that closing does not reset the connection before it
/// has read the response (an early error answer leaves unread request bytes
/// behind). A client that has its answer closes, which ends the drain at once.
fn drain(stream: &mut TcpStream, linger: Duration) {
    let deadline = Instant::now() + linger;
    let mut sink = [0u8; 8192];
    let mut drained = 0usize;
    while drained < LINGER_BYTES {
        let Some(left) = time_left(deadline) else {
            break;
        };
        if stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) => break,
            Ok(n) => drained += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus` is set, for query
/// strings); `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str, plus: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The `name=value` pairs of a query string, decoded (bad pairs skipped).
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(n, true)?, percent_decode(v, true)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads() {
        let (m, p, q, h) =
            parse_head(b"POST /credentials/verify?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5")
                .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((m.as_str(), p.as_str()), ("POST", "/credentials/verify"));
        assert_eq!(q.as_deref(), Some("x=1"));
        assert_eq!(
            query_pairs(Some("publicKeyFormat=Multikey&x=a%20b+c&&bad=%zz")),
            [
                ("publicKeyFormat".to_owned(), "Multikey".to_owned()),
                ("x".to_owned(), "a b c".to_owned())
            ]
        );
        assert_eq!(
            percent_decode("did%3Akey%3Az6Mk", false).as_deref(),
            Some("did:key:z6Mk")
        );
        assert_eq!(percent_decode("%ff", false), None);
        assert_eq!(content_length(&h), Ok(Some(5)));
        for bad in [
            &b"GET / HTTP/1.1 extra"[..],
            b"get / HTTP/1.1",
            b"GET noslash HTTP/1.1",
            b"GET / HTTP/1.1\r\n folded",
            b"GET / HTTP/1.1\r\nno colon",
            b"GET / HTTP/1.1\r\nbad name: x",
            b"GET /\xff HTTP/1.1",
        ] {
            assert_eq!(parse_head(bad).map(|_| ()).map_err(|e| e.status), Err(400));
        }
        assert_eq!(
            parse_head(b"GET / HTTP/2.0").map_err(|e| e.status).err(),
            Some(505)
        );
        let h = |v: &str| vec![("content-length".to_owned(), v.to_owned())];
        assert!(content_length(&h("-1")).is_err());
        assert!(content_length(&h("99999999999999999999")).is_err());
        let mut two = h("3");
        two.extend(h("4"));
        assert!(content_length(&two).is_err());
        let te = vec![("transfer-encoding".to_owned(), "chunked".to_owned())];
        assert_eq!(content_length(&te).map_err(|e| e.status), Err(501));
    }
}
