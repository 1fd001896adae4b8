//! Whether the school's status lists are published: the copy at each
//! list's address (fetched by the desk, `pages::teach::publish`) compared
//! with the list the desk holds. Pure: the fetch is the page's.

use credentials::status_list::{Bitstring, StatusPurpose};
use serde_json::Value;

/// What is at a status list's address, compared with the desk's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Published {
    /// The published copy shows every bit the desk's list shows.
    Current,
    /// Nothing is there yet (the server answered 404 or 410).
    Missing,
    /// A copy of this list is there, but `changes` certificates' status
    /// differs from the desk's (revoked or suspended here and not there,
    /// or the other way round): the file must be uploaded again.
    OutOfDate {
        /// How many entries differ.
        changes: u64,
    },
    /// Something that is not this school's list for this purpose is at
    /// the address (another file, another key's list, unreadable JSON).
    Other,
}

/// The issuer's id, whether `issuer` is a string or an object with `id`.
fn issuer_id(doc: &Value) -> Option<&str> {
    match doc.get("issuer")? {
        Value::String(s) => Some(s),
        other => other.get("id")?.as_str(),
    }
}

/// Compares the `published` text (the body found at the list's address)
/// with the desk's signed list credential `ours`.
pub fn compare(ours: &Value, published: &str) -> Published {
    let Ok(theirs) = credentials::json::parse_strict(published) else {
        return Published::Other;
    };
    let bits = |doc: &Value| -> Option<(StatusPurpose, Bitstring)> {
        let subject = doc.get("credentialSubject")?;
        let purpose = StatusPurpose::parse(subject.get("statusPurpose")?.as_str()?)?;
        let list = Bitstring::decode(subject.get("encodedList")?.as_str()?).ok()?;
        Some((purpose, list))
    };
    let (Some((our_purpose, our_bits)), Some((their_purpose, their_bits))) =
        (bits(ours), bits(&theirs))
    else {
        return Published::Other;
    };
    if our_purpose != their_purpose
        || issuer_id(ours) != issuer_id(&theirs)
        || ours.get("id") != theirs.get("id")
    {
        return Published::Other;
    }
    let (a, b) = (our_bits.as_bytes(), their_bits.as_bytes());
    let changes: u64 = (0..a.len().max(b.len()))
        .map(|i| {
            let x = a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0);
            u64::from(x.count_ones())
        })
        .sum();
    if changes == 0 {
        Published::Current
    } else {
        Published::OutOfDate { changes }
    }
}

/// `url` as a path inside the folder the app is served from (`base`,
/// ending in `/`), when it is inside it: where the teacher puts the file.
pub fn path_in_site<'a>(url: &'a str, base: &str) -> Option<&'a str> {
    url.strip_prefix(base).filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use credentials::status_list::{list_credential, StatusList};

    const ID: &str = "https://school.example/cc/status/revocation-abcdefgh.json";
    const ISSUER: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    fn list(purpose: StatusPurpose, set: &[u64]) -> Value {
        let mut l = StatusList::new(purpose, 131_072).unwrap();
        for &i in set {
            l.set(i).unwrap();
        }
        list_credential(ID, ISSUER, purpose, &l, "2026-12-07T00:00:00Z", None).unwrap()
    }

    #[test]
    fn the_same_bits_are_current_whenever_signed() {
        let ours = list(StatusPurpose::Revocation, &[5, 900]);
        let mut theirs = ours.clone();
        theirs["validFrom"] = "2026-12-01T00:00:00Z".into();
        assert_eq!(compare(&ours, &theirs.to_string()), Published::Current);
    }

    #[test]
    fn each_differing_entry_counts_once() {
        let ours = list(StatusPurpose::Revocation, &[5, 900, 77]);
        let old = list(StatusPurpose::Revocation, &[5]);
        assert_eq!(
            compare(&ours, &old.to_string()),
            Published::OutOfDate { changes: 2 }
        );
        // A copy showing one this desk does not (a reinstated suspension).
        let ahead = list(StatusPurpose::Revocation, &[5, 900, 77, 12]);
        assert_eq!(
            compare(&ours, &ahead.to_string()),
            Published::OutOfDate { changes: 1 }
        );
    }

    #[test]
    fn anything_else_at_the_address_is_other() {
        let ours = list(StatusPurpose::Revocation, &[]);
        assert_eq!(compare(&ours, "<html>Not found</html>"), Published::Other);
        assert_eq!(compare(&ours, "{}"), Published::Other);
        let suspension = list(StatusPurpose::Suspension, &[]);
        assert_eq!(compare(&ours, &suspension.to_string()), Published::Other);
        let mut other_key = ours.clone();
        other_key["issuer"] = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH".into();
        assert_eq!(compare(&ours, &other_key.to_string()), Published::Other);
        let mut garbled = ours.clone();
        garbled["credentialSubject"]["encodedList"] = "u!!!".into();
        assert_eq!(compare(&ours, &garbled.to_string()), Published::Other);
        // The issuer as an object is the same issuer.
        let mut object = ours.clone();
        object["issuer"] = serde_json::json!({ "id": ISSUER, "name": "School" });
        assert_eq!(compare(&ours, &object.to_string()), Published::Current);
    }

    #[test]
    fn the_path_to_upload_to_is_inside_the_site() {
        assert_eq!(
            path_in_site(ID, "https://school.example/cc/"),
            Some("status/revocation-abcdefgh.json")
        );
        assert_eq!(path_in_site(ID, "https://other.example/"), None);
        assert_eq!(
            path_in_site("https://school.example/cc/", "https://school.example/cc/"),
            None
        );
    }
}
