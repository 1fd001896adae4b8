//! The three-way merge of the teacher's desk: what a save does when another
//! tab stored the desk after this tab read it, and what a change computed
//! from an older copy (a class batch that awaited) does in its own tab.
//! `base` is the copy the change started from, `mine` the changed copy,
//! `theirs` the desk as it is now. Pure: no clock, no randomness, no
//! browser (lists to re-sign are returned, not signed).
//!
//! Each part is three-way: unchanged on one side takes the other side's;
//! changed on both follows its rule. Nothing is lost silently: where both
//! changes cannot hold, the merge is a [`MergeConflict`] and nothing is
//! written.
//!
//! | part | changed on both sides |
//! |---|---|
//! | school key | never disappears; two different keys conflict |
//! | profile | this tab's edit |
//! | templates (by key) | union; deleted on one side and untouched on the other is deleted; edited on both, this tab's |
//! | issued records (by id) | union; `revoked` is permanent; `suspended` three-way; one id with two credentials conflicts |
//! | status lists | [`StatusList::merge`]: allocations a union, revocations permanent, suspensions three-way; one position given to two certificates conflicts |
//! | class ledger | the longer, if one is a prefix of the other; else a conflict |

use crate::state::teach::{CustomTemplate, Desk, IssuedRecord, StatusListState};
use credentials::status_list::{StatusList, StatusPurpose};
use serde_json::Value;

/// Why two desks cannot be merged. Nothing was written; the desk shows the
/// stored one again and the teacher is told what to redo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeConflict {
    /// The two sides hold different school keys.
    KeyChanged,
    /// One status position was given to two different certificates.
    StatusIndexTaken {
        /// The list.
        purpose: StatusPurpose,
        /// The position.
        index: u64,
    },
    /// The two sides started a status list at different addresses.
    StatusListMoved {
        /// The list.
        purpose: StatusPurpose,
    },
    /// Two different credentials under one id.
    RecordDiffers {
        /// The credential id.
        id: String,
    },
    /// Both sides added blocks to the class ledger on the same tip.
    LedgerDiverged,
}

/// A merged desk.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The desk (its `revision` is `theirs`').
    pub desk: Desk,
    /// Lists whose bits are neither side's: their signed credential was
    /// dropped and must be re-signed (that needs the key and the clock).
    pub resign: Vec<StatusPurpose>,
}

/// `mine` where it changed from `base`, else `theirs`; `both` decides when
/// both changed.
fn three<T: PartialEq + Clone>(
    base: &T,
    mine: &T,
    theirs: &T,
    both: impl FnOnce() -> Result<T, MergeConflict>,
) -> Result<T, MergeConflict> {
    if mine == base || mine == theirs {
        Ok(theirs.clone())
    } else if theirs == base {
        Ok(mine.clone())
    } else {
        both()
    }
}

/// Merges `mine` (made from `base`) into `theirs` (see the module docs).
pub fn merge(base: &Desk, mine: &Desk, theirs: &Desk) -> Result<Merged, MergeConflict> {
    // Nothing removes the school key or the ledger: a side without one is
    // an older copy, never a deletion.
    let issuer = match (&mine.issuer, &theirs.issuer) {
        (None, t) => t.clone(),
        (m, None) => m.clone(),
        (Some(m), Some(t)) => three(&base.issuer, &mine.issuer, &theirs.issuer, || {
            if !m.secret_key_multibase.is_empty()
                && !t.secret_key_multibase.is_empty()
                && m.secret_key_multibase != t.secret_key_multibase
            {
                return Err(MergeConflict::KeyChanged);
            }
            // The profile is this tab's edit; the key whichever side has one.
            let mut profile = m.clone();
            if profile.secret_key_multibase.is_empty() {
                profile.secret_key_multibase = t.secret_key_multibase.clone();
            }
            Ok(Some(profile))
        })?,
    };
    let templates = merge_templates(&base.templates, &mine.templates, &theirs.templates);
    let issued = merge_issued(&base.issued, &mine.issued, &theirs.issued)?;
    let mut resign = Vec::new();
    let revocation = merge_list(
        StatusPurpose::Revocation,
        (
            &base.status_lists.revocation,
            &mine.status_lists.revocation,
            &theirs.status_lists.revocation,
        ),
        (&mine.issued, &theirs.issued),
        &mut resign,
    )?;
    let suspension = merge_list(
        StatusPurpose::Suspension,
        (
            &base.status_lists.suspension,
            &mine.status_lists.suspension,
            &theirs.status_lists.suspension,
        ),
        (&mine.issued, &theirs.issued),
        &mut resign,
    )?;
    let ledger = match (&mine.ledger, &theirs.ledger) {
        (None, t) => t.clone(),
        (m, None) => m.clone(),
        (Some(m), Some(t)) => three(&base.ledger, &mine.ledger, &theirs.ledger, || {
            merge_ledgers(m, t)
        })?,
    };
    let mut desk = theirs.clone();
    desk.issuer = issuer;
    desk.templates = templates;
    desk.issued = issued;
    desk.status_lists.revocation = revocation;
    desk.status_lists.suspension = suspension;
    desk.ledger = ledger;
    Ok(Merged { desk, resign })
}

fn merge_templates(
    base: &[CustomTemplate],
    mine: &[CustomTemplate],
    theirs: &[CustomTemplate],
) -> Vec<CustomTemplate> {
    let find = |list: &[CustomTemplate], key: &str| list.iter().find(|t| t.key == key).cloned();
    let mut out: Vec<CustomTemplate> = Vec::new();
    let keys = theirs.iter().chain(mine).map(|t| t.key.clone()).fold(
        Vec::<String>::new(),
        |mut keys, k| {
            if !keys.contains(&k) {
                keys.push(k);
            }
            keys
        },
    );
    for key in keys {
        let (b, m, t) = (find(base, &key), find(mine, &key), find(theirs, &key));
        // Option-level three-way: a deletion is a change like any other;
        // edited on both sides, this tab's edit.
        let kept = if m == b || m == t {
            t
        } else if t == b {
            m
        } else {
            m.or(t)
        };
        out.extend(kept);
    }
    out
}

fn merge_issued(
    base: &[IssuedRecord],
    mine: &[IssuedRecord],
    theirs: &[IssuedRecord],
) -> Result<Vec<IssuedRecord>, MergeConflict> {
    let mut out: Vec<IssuedRecord> = theirs.to_vec();
    for m in mine {
        let Some(t) = out.iter_mut().find(|t| t.id == m.id) else {
            out.push(m.clone());
            continue;
        };
        if t.credential != m.credential {
            return Err(MergeConflict::RecordDiffers { id: m.id.clone() });
        }
        let b = base.iter().find(|b| b.id == m.id);
        // Revocation is permanent: the earliest note of either side.
        t.revoked = match (&m.revoked, &t.revoked) {
            (Some(x), Some(y)) => Some(if x.at <= y.at { x } else { y }.clone()),
            (x, y) => x.clone().or_else(|| y.clone()),
        };
        let base_suspended = b.and_then(|b| b.suspended.clone());
        if m.suspended != base_suspended {
            t.suspended = m.suspended.clone();
        }
        // Anything else this tab changed on the record (a receipt attached).
        if t.receipt.is_none() {
            t.receipt = m.receipt.clone();
        }
    }
    Ok(out)
}

/// The credential ids that hold `index` in the list of `purpose`.
fn holders(records: &[IssuedRecord], purpose: StatusPurpose, index: u64) -> Vec<&str> {
    records
        .iter()
        .filter(|r| match purpose {
            StatusPurpose::Revocation => r.revocation_index == Some(index),
            StatusPurpose::Suspension => r.suspension_index == Some(index),
        })
        .map(|r| r.id.as_str())
        .collect()
}

type Slots<'a> = (
    &'a Option<StatusListState>,
    &'a Option<StatusListState>,
    &'a Option<StatusListState>,
);

fn merge_list(
    purpose: StatusPurpose,
    (base, mine, theirs): Slots<'_>,
    (mine_issued, theirs_issued): (&[IssuedRecord], &[IssuedRecord]),
    resign: &mut Vec<StatusPurpose>,
) -> Result<Option<StatusListState>, MergeConflict> {
    let (m, t) = match (mine, theirs) {
        (None, t) => return Ok(t.clone()),
        (m, None) => return Ok(m.clone()),
        (Some(m), Some(t)) => (m, t),
    };
    if m.id != t.id {
        return Err(MergeConflict::StatusListMoved { purpose });
    }
    // A list both sides started since the base merges against an empty one.
    let empty;
    let base_list = match base {
        Some(b) if b.id == m.id => &b.list,
        _ => {
            empty = StatusList::new(purpose, m.list.len())
                .map_err(|_| MergeConflict::StatusListMoved { purpose })?;
            &empty
        }
    };
    let merged = StatusList::merge(base_list, &m.list, &t.list)
        .map_err(|_| MergeConflict::StatusListMoved { purpose })?;
    for &index in &merged.allocated_twice {
        let (a, b) = (
            holders(mine_issued, purpose, index),
            holders(theirs_issued, purpose, index),
        );
        // The same certificate on both sides is one allocation, not two.
        if a != b {
            return Err(MergeConflict::StatusIndexTaken { purpose, index });
        }
    }
    let signed = if merged.list == t.list && t.signed.is_some() {
        t.signed.clone()
    } else if merged.list == m.list && m.signed.is_some() {
        m.signed.clone()
    } else {
        resign.push(purpose);
        None
    };
    Ok(Some(StatusListState {
        id: t.id.clone(),
        list: merged.list,
        signed,
    }))
}

/// Two ledgers that both grew: the longer, when the other is its prefix.
fn merge_ledgers(m: &str, t: &str) -> Result<Option<String>, MergeConflict> {
    let blocks = |text: &str| -> Option<Vec<Value>> {
        let v: Value = serde_json::from_str(text).ok()?;
        v.get("blocks").and_then(Value::as_array).cloned()
    };
    let (Some(mb), Some(tb)) = (blocks(m), blocks(t)) else {
        return Err(MergeConflict::LedgerDiverged);
    };
    let (short, long, longer) = if mb.len() <= tb.len() {
        (&mb, &tb, t)
    } else {
        (&tb, &mb, m)
    };
    if long.iter().zip(short).all(|(a, b)| a == b) {
        Ok(Some(longer.to_owned()))
    } else {
        Err(MergeConflict::LedgerDiverged)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::state::teach::{IssuerSetup, StatusNote};
    use credentials::status_list::MIN_ENTRIES;
    use credentials::SecretKey;
    use serde_json::json;

    fn key(seed: u8) -> String {
        SecretKey::from_bytes(&[seed; 32]).to_multibase()
    }

    fn with_key(seed: u8) -> Desk {
        Desk {
            issuer: Some(IssuerSetup {
                secret_key_multibase: key(seed),
                name_en: "Harbour View".into(),
                ..Default::default()
            }),
            ..Desk::default()
        }
    }

    fn template(key: &str, name: &str) -> CustomTemplate {
        CustomTemplate {
            key: key.into(),
            name_en: name.into(),
            ..Default::default()
        }
    }

    const LIST: &str = "https://school.example/chainclass/status/revocation-abcd.json";

    /// Issues a record holding `index` on the revocation list.
    fn issue(desk: &mut Desk, id: &str, index: u64) {
        let state = desk
            .status_lists
            .revocation
            .get_or_insert_with(|| StatusListState {
                id: LIST.into(),
                list: StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap(),
                signed: None,
            });
        state.list.mark_allocated(index).unwrap();
        state.signed = Some(json!({"signed": state.list.allocated()}));
        desk.issued.push(IssuedRecord {
            id: id.into(),
            issued_at: "2026-12-05T09:00:00Z".into(),
            template: "stem-internship".into(),
            student: id.into(),
            batch: None,
            credential: json!({"id": id}),
            receipt: None,
            revocation_index: Some(index),
            suspension_index: None,
            revoked: None,
            suspended: None,
        });
    }

    fn revoke(desk: &mut Desk, id: &str) {
        let r = desk.issued.iter_mut().find(|r| r.id == id).unwrap();
        let index = r.revocation_index.unwrap();
        r.revoked = Some(StatusNote {
            at: "2026-12-05T10:00:00Z".into(),
            reason: "issued by mistake".into(),
        });
        let state = desk.status_lists.revocation.as_mut().unwrap();
        state.list.set(index).unwrap();
        state.signed = Some(json!({"revoked": index}));
    }

    #[test]
    fn a_key_made_in_one_tab_survives_a_template_saved_in_another() {
        let base = Desk::default();
        let theirs = with_key(7);
        let mut mine = base.clone();
        mine.templates
            .push(template("custom-1", "Robotics Club Award"));
        let merged = merge(&base, &mine, &theirs).unwrap();
        assert_eq!(merged.desk.issuer, theirs.issuer);
        assert_eq!(merged.desk.templates, mine.templates);
        assert!(merged.resign.is_empty());
    }

    #[test]
    fn a_revocation_is_not_undone_by_a_certificate_issued_from_an_older_copy() {
        let mut base = with_key(7);
        issue(&mut base, "urn:x", 100);
        let mut theirs = base.clone();
        revoke(&mut theirs, "urn:x");
        let mut mine = base.clone();
        issue(&mut mine, "urn:y", 200);
        let merged = merge(&base, &mine, &theirs).unwrap().clone();
        let desk = &merged.desk;
        let list = &desk.status_lists.revocation.as_ref().unwrap().list;
        assert!(list.get(100).unwrap(), "still revoked");
        assert!(list.is_allocated(200).unwrap(), "y's position is kept");
        assert_eq!(desk.issued.len(), 2);
        assert!(desk
            .issued
            .iter()
            .find(|r| r.id == "urn:x")
            .unwrap()
            .revoked
            .is_some());
        // Neither side's signed list has these bits: it must be re-signed.
        assert_eq!(merged.resign, vec![StatusPurpose::Revocation]);
        assert_eq!(desk.status_lists.revocation.as_ref().unwrap().signed, None);
        // The same the other way round: an old copy that "un-revokes".
        let merged = merge(&theirs, &base, &theirs).unwrap();
        assert!(merged
            .desk
            .status_lists
            .revocation
            .unwrap()
            .list
            .get(100)
            .unwrap());
    }

    #[test]
    fn a_record_revoked_here_stays_revoked_whatever_the_other_side_holds() {
        let mut base = with_key(7);
        issue(&mut base, "urn:x", 100);
        let mut mine = base.clone();
        revoke(&mut mine, "urn:x");
        let mut theirs = base.clone();
        theirs.issued[0].receipt = Some(json!({"receipt": 1}));
        let merged = merge(&base, &mine, &theirs).unwrap();
        let x = &merged.desk.issued[0];
        assert!(x.revoked.is_some());
        assert!(merged
            .desk
            .status_lists
            .revocation
            .unwrap()
            .list
            .get(100)
            .unwrap());
    }

    #[test]
    fn one_status_position_given_to_two_certificates_is_a_conflict() {
        let mut base = with_key(7);
        issue(&mut base, "urn:x", 100);
        let (mut mine, mut theirs) = (base.clone(), base.clone());
        issue(&mut mine, "urn:y", 300);
        issue(&mut theirs, "urn:z", 300);
        assert_eq!(
            merge(&base, &mine, &theirs),
            Err(MergeConflict::StatusIndexTaken {
                purpose: StatusPurpose::Revocation,
                index: 300
            })
        );
        // The same certificate on both sides (a save that raced itself) is fine.
        let mut again = base.clone();
        issue(&mut again, "urn:y", 300);
        assert!(merge(&base, &mine, &again).is_ok());
    }

    #[test]
    fn two_different_keys_conflict_and_a_key_never_disappears() {
        let base = Desk::default();
        assert_eq!(
            merge(&base, &with_key(7), &with_key(8)),
            Err(MergeConflict::KeyChanged)
        );
        let keyed = with_key(7);
        let merged = merge(&keyed, &Desk::default(), &keyed).unwrap();
        assert_eq!(
            merged.desk.issuer, keyed.issuer,
            "an old copy without a key"
        );
        // A profile edit here and the key there: both.
        let mut mine = keyed.clone();
        mine.issuer.as_mut().unwrap().name_en = "Harbour View Secondary".into();
        let merged = merge(&keyed, &mine, &keyed).unwrap();
        assert_eq!(
            merged.desk.issuer.unwrap().name_en,
            "Harbour View Secondary"
        );
    }

    #[test]
    fn a_suspension_lifted_here_is_kept() {
        let mut base = with_key(7);
        base.status_lists.suspension = Some(StatusListState {
            id: "s".into(),
            list: StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap(),
            signed: None,
        });
        base.status_lists
            .suspension
            .as_mut()
            .unwrap()
            .list
            .set(9)
            .unwrap();
        let mut mine = base.clone();
        mine.status_lists
            .suspension
            .as_mut()
            .unwrap()
            .list
            .clear(9)
            .unwrap();
        let mut theirs = base.clone();
        theirs.templates.push(template("custom-2", "Debate"));
        let merged = merge(&base, &mine, &theirs).unwrap();
        assert!(!merged
            .desk
            .status_lists
            .suspension
            .unwrap()
            .list
            .get(9)
            .unwrap());
        assert_eq!(merged.desk.templates.len(), 1);
    }

    #[test]
    fn templates_are_a_union_and_deletions_hold() {
        let base = Desk {
            templates: vec![template("a", "A"), template("b", "B")],
            ..Desk::default()
        };
        let mut mine = base.clone();
        mine.templates.retain(|t| t.key != "a");
        mine.templates.push(template("c", "C"));
        let mut theirs = base.clone();
        theirs.templates[1].name_en = "B2".into();
        theirs.templates.push(template("d", "D"));
        let merged = merge(&base, &mine, &theirs).unwrap();
        let names: Vec<&str> = merged
            .desk
            .templates
            .iter()
            .map(|t| t.name_en.as_str())
            .collect();
        assert_eq!(names, ["B2", "D", "C"]);
    }

    #[test]
    fn ledgers_merge_only_along_one_chain() {
        let ledger = |blocks: &[u32]| Some(json!({"blocks": blocks}).to_string());
        let base = Desk {
            ledger: ledger(&[1]),
            ..Desk::default()
        };
        let (mut mine, mut theirs) = (base.clone(), base.clone());
        mine.ledger = ledger(&[1, 2]);
        theirs.ledger = ledger(&[1, 2, 3]);
        assert_eq!(
            merge(&base, &mine, &theirs).unwrap().desk.ledger,
            theirs.ledger
        );
        theirs.ledger = ledger(&[1, 4]);
        assert_eq!(
            merge(&base, &mine, &theirs),
            Err(MergeConflict::LedgerDiverged)
        );
    }

    #[test]
    fn two_lists_of_131_072_entries_merge_quickly() {
        let mut base = with_key(7);
        issue(&mut base, "urn:x", 1);
        let (mut mine, mut theirs) = (base.clone(), base.clone());
        for i in 0..500 {
            issue(&mut mine, &format!("urn:m{i}"), 1_000 + i);
            issue(&mut theirs, &format!("urn:t{i}"), 2_000 + i);
        }
        #[cfg(not(target_arch = "wasm32"))]
        let started = std::time::Instant::now();
        let merged = merge(&base, &mine, &theirs).unwrap();
        #[cfg(not(target_arch = "wasm32"))]
        assert!(
            started.elapsed().as_millis() < 500,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(merged.desk.issued.len(), 1_001);
        assert_eq!(
            merged
                .desk
                .status_lists
                .revocation
                .unwrap()
                .list
                .allocated(),
            1_001
        );
    }
}
