//! The syntax check behind "MUST be a URL" in VC Data Model 2.0: an absolute
//! URI (RFC 3986) or IRI (RFC 3987): `scheme ":" rest`, where `scheme` is
//! `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` and `rest` has no whitespace,
//! control characters, or characters that RFC 3986 never allows
//! (`"<>\^`{|}`), and every `%` starts a two-hex-digit escape.
//!
//! `did:example:123`, `urn:uuid:…`, `https://…` and `data:…` pass;
//! `fake-issuer`, `https ://…` and bare multibase strings do not.

/// Whether `s` is an absolute URL/IRI as VCDM 2.0 uses the term.
pub fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.chars();
    if !sc.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if !sc.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return false;
    }
    let bytes = rest.as_bytes();
    for (idx, c) in rest.char_indices() {
        match c {
            '%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(idx + 1) && hex(idx + 2)) {
                    return false;
                }
            }
            c if c.is_ascii() => {
                if c.is_ascii_control()
                    || c == ' '
                    || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
                {
                    return false;
                }
            }
            // IRI: non-ASCII allowed except controls, whitespace and the
            // specials RFC 3987 excludes.
            c => {
                if c.is_control() || c.is_whitespace() || matches!(c, '\u{FFF0}'..='\u{FFFF}') {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn urls_the_suite_accepts_and_refuses() {
        for ok in [
            "https://www.w3.org/ns/credentials/v2",
            "did:example:subject",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6Mk",
            "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
            "data:application/vc-ld+jwt,eyJ0",
            "https://例子.香港/證書?a=1%20b",
            "mailto:a@b.hk",
        ] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in [
            "fake-issuer",
            "https ://not-a-url/contexts/example/v1",
            "z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj",
            "",
            ":nothing",
            "1http://x",
            "https://a b",
            "https://x/%zz",
            "https://x/%4",
            "https://x/{id}",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }
}
