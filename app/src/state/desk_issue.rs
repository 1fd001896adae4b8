//! Issuing at the teacher's desk, as functions of the desk, the time and
//! fresh randomness (all parameters: the pages read the clock and the
//! browser's random source and only dispatch the result): drafting one
//! student's certificate, signing it with a status entry ([`issue_one`]),
//! and a whole class from a roster in chunks the page can yield between
//! ([`ClassRun`]), with the batch's Merkle root anchored in the class
//! ledger. A browser that gives no randomness gets nothing signed: there
//! is no fallback.

use crate::state::teach::{
    Desk, DeskError, IssuedRecord, IssuerSetup, Refusal, StatusChoice, TemplateChoice,
};
use credentials::batch::{
    issue_batch_with, merkle_tree_of, uuid_urn, BatchTemplate, BlockAnchor, IssuedCredential,
    RowInputs,
};
use credentials::ob3::{
    CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile, LanguageMode, Recipient,
};
use credentials::roster::{Roster, RowError, Student};
use credentials::{sign_with, DidKey, Instant, ProofOptions, RdfcHasher, SecretKey};
use serde_json::{json, Value};
use std::rc::Rc;

/// How the student is identified in the credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IdentifyBy {
    /// Salted hash of the e-mail (default: private).
    #[default]
    Email,
    /// Salted hash of the student number.
    StudentId,
    /// The student's wallet did:key.
    Did,
}

/// One student to issue to.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StudentInput {
    /// Name as printed.
    pub name: String,
    /// Put the name in the credential (unhashed `IdentityObject` of type `name`).
    pub show_name: bool,
    /// How to identify.
    pub by: IdentifyBy,
    /// E-mail, student number or did:key, per `by`.
    pub identifier: String,
}

/// Why one credential could not be issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueProblem {
    /// No school identity yet.
    NoIssuer,
    /// The school key is sealed and not unlocked in this tab.
    Locked,
    /// No such template.
    NoTemplate,
    /// No student name.
    NoName,
    /// Not an e-mail address.
    BadEmail,
    /// Empty student number.
    NoStudentId,
    /// Not a did:key.
    BadDid,
    /// Dates are not valid.
    BadDates,
    /// The browser gave no randomness.
    NoRandomness,
    /// A status-list or ledger step failed.
    Desk(DeskError),
    /// The credentials crate refused (the technical detail).
    Refused(Refusal),
}

impl From<DeskError> for IssueProblem {
    fn from(e: DeskError) -> Self {
        match e {
            DeskError::NoIssuer => IssueProblem::NoIssuer,
            DeskError::Locked => IssueProblem::Locked,
            DeskError::NoRandomness => IssueProblem::NoRandomness,
            DeskError::Refused(r) => IssueProblem::Refused(r),
            other => IssueProblem::Desk(other),
        }
    }
}

/// A plausible e-mail address (something@something.something, no spaces).
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// Fresh randomness for one certificate: the first 16 bytes make its
/// `urn:uuid:` id, the last 16 the salt of its hashed identifier.
pub type Seed = [u8; 32];

fn salt_of(seed: &Seed) -> String {
    seed.iter().skip(16).map(|x| format!("{x:02x}")).collect()
}

/// The `urn:uuid:` (version 4) of `seed`'s first 16 bytes.
pub fn id_of(seed: &Seed) -> String {
    let mut id = [0u8; 16];
    id.copy_from_slice(seed.get(..16).unwrap_or(&[0; 16]));
    uuid_urn(id)
}

/// Builds the unsigned credential for one student (checks the input first),
/// its id and salt from `seed`.
pub fn draft(
    issuer: &IssuerSetup,
    template: &TemplateChoice,
    student: &StudentInput,
    valid_from: &str,
    valid_until: Option<&str>,
    credential_status: Option<Value>,
    seed: &Seed,
) -> Result<Value, IssueProblem> {
    let did = issuer.did().ok_or(IssueProblem::NoIssuer)?;
    if student.name.trim().is_empty() {
        return Err(IssueProblem::NoName);
    }
    let ident = student.identifier.trim();
    let hashed = |kind: IdentityType| -> Result<Recipient, IssueProblem> {
        Ok(Recipient {
            did: None,
            identifiers: vec![HashedIdentifier::new(kind, ident, &salt_of(seed))
                .map_err(|e| IssueProblem::Refused(Refusal::Draft(e)))?],
        })
    };
    let recipient = match student.by {
        IdentifyBy::Email if !looks_like_email(ident) => return Err(IssueProblem::BadEmail),
        IdentifyBy::Email => hashed(IdentityType::EmailAddress)?,
        IdentifyBy::StudentId if ident.is_empty() => return Err(IssueProblem::NoStudentId),
        IdentifyBy::StudentId => hashed(IdentityType::StudentId)?,
        IdentifyBy::Did => {
            DidKey::parse(ident).map_err(|_| IssueProblem::BadDid)?;
            Recipient {
                did: Some(ident.to_owned()),
                identifiers: Vec::new(),
            }
        }
    };
    let draft = CredentialDraft {
        id: id_of(seed),
        issuer: issuer_profile(issuer, &did),
        achievement: template.achievement.clone(),
        recipient,
        valid_from: valid_from.to_owned(),
        valid_until: valid_until.map(str::to_owned),
        awarded_date: Some(valid_from.to_owned()),
        language: LanguageMode::Bilingual,
        credential_status,
    };
    let mut unsigned = draft.to_unsigned().map_err(|e| match e {
        credentials::ob3::Ob3Error::ValidFromAfterValidUntil => IssueProblem::BadDates,
        other => IssueProblem::Refused(Refusal::Draft(other)),
    })?;
    if student.show_name {
        if let Some(subject) = unsigned.get_mut("credentialSubject") {
            let name = json!({
                "type": "IdentityObject",
                "identityHash": student.name.trim(),
                "identityType": "name",
                "hashed": false
            });
            match subject.get_mut("identifier").and_then(Value::as_array_mut) {
                Some(list) => list.insert(0, name),
                None => {
                    if let Some(obj) = subject.as_object_mut() {
                        obj.insert("identifier".into(), Value::Array(vec![name]));
                    }
                }
            }
        }
    }
    Ok(unsigned)
}

/// The options of the school's proofs, dated `at`, with the desk's
/// cryptosuite.
fn proof_options(issuer: &IssuerSetup, did: &DidKey, at: Instant) -> ProofOptions {
    ProofOptions {
        cryptosuite: issuer.cryptosuite(),
        ..ProofOptions::assertion(did.verification_method_id())
            .with_created(at.to_rfc3339_seconds())
    }
}

/// Certificates in one file, as the wallet and the verifier read them:
/// `{"format": "chainclass-batch", "version": 1, "batch", "credentials":
/// [{"credential", "receipt"}]}`.
pub fn batch_bundle(batch: &str, credentials: Vec<Value>) -> Value {
    json!({ "format": "chainclass-batch", "version": 1, "batch": batch, "credentials": credentials })
}

/// Signs an unsigned credential with the school's key, dated `at`;
/// `rdfc` hashes an eddsa-rdfc-2022 proof (see `state::signing`).
pub fn sign_credential(
    issuer: &IssuerSetup,
    unsigned: &Value,
    at: Instant,
    rdfc: &mut dyn RdfcHasher,
) -> Result<Value, IssueProblem> {
    let key = issuer.signing_key()?;
    let did = DidKey::from_public_key(key.public_key());
    sign_with(unsigned, &key, &proof_options(issuer, &did, at), rdfc)
        .map_err(|e| IssueProblem::Refused(Refusal::Sign(format!("{e:?}"))))
}

/// Signs one previewed credential at `at`, with a fresh status entry of
/// `choice` (its position drawn from `seed`), and records it (with the
/// student's name and, for the mail merge, e-mail); returns the
/// new desk (for `DeskAction::Replace`) and the signed credential. A new
/// status list is left for the page to sign ([`Desk::lists_to_sign`]).
#[allow(clippy::too_many_arguments)]
pub fn issue_one(
    desk: &Desk,
    unsigned: &Value,
    choice: StatusChoice,
    template: &str,
    student: &str,
    email: Option<&str>,
    at: Instant,
    seed: u64,
    rdfc: &mut dyn RdfcHasher,
) -> Result<(Desk, Value), IssueProblem> {
    let mut d = desk.clone();
    let issuer = d.issuer.clone().ok_or(IssueProblem::NoIssuer)?;
    let status = d.allocate_status(choice, seed)?;
    let mut unsigned = unsigned.clone();
    if let (Some((entry, _)), Some(obj)) = (&status, unsigned.as_object_mut()) {
        obj.insert("credentialStatus".into(), entry.clone());
    }
    let vc = sign_credential(&issuer, &unsigned, at, rdfc)?;
    let index = status.map(|(_, i)| i);
    d.issued.push(IssuedRecord {
        id: vc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        issued_at: at.to_rfc3339_seconds(),
        template: template.to_owned(),
        student: student.trim().to_owned(),
        email: email
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned),
        batch: None,
        credential: vc.clone(),
        receipt: None,
        revocation_index: index.filter(|_| choice == StatusChoice::Revocation),
        suspension_index: index.filter(|_| choice == StatusChoice::Suspension),
        revoked: None,
        suspended: None,
        reinstated: None,
    });
    Ok((d, vc))
}

/// `YYYY-MM-DD` from a date input as the start (`T00:00:00Z`) or the end
/// (`T23:59:59Z`) of that day; `None` if it is not such a date.
pub fn day_to_stamp(day: &str, end_of_day: bool) -> Option<String> {
    let day = day.trim();
    let ok = day.len() == 10
        && day.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    ok.then(|| {
        format!(
            "{day}T{}Z",
            if end_of_day { "23:59:59" } else { "00:00:00" }
        )
    })
}

/// The issuer profile the certificates name (the school's did:key, names
/// and web site).
pub fn issuer_profile(issuer: &IssuerSetup, did: &DidKey) -> IssuerProfile {
    IssuerProfile {
        id: did.as_str().to_owned(),
        name: issuer.name(),
        url: Some(issuer.url.trim().to_owned()).filter(|u| !u.is_empty()),
        email: None,
        image: None,
    }
}

/// What the teacher chose for a class.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassRequest {
    /// Template key.
    pub template: String,
    /// First valid day (`YYYY-MM-DD`).
    pub from: String,
    /// Last valid day, or empty.
    pub until: String,
    /// Put each student's name in the certificate.
    pub include_name: bool,
    /// Anchor the batch's Merkle root in the class ledger.
    pub anchor: bool,
    /// The status entry every certificate gets.
    pub status: StatusChoice,
    /// The ledger label (empty: the programme's name and the batch id).
    pub label: String,
}

/// Why a class could not be issued (nothing of it is recorded).
#[derive(Clone, Debug, PartialEq)]
pub enum ClassProblem {
    /// Like issuing one (no issuer, locked key, no template, bad dates,
    /// no randomness, a status list or ledger step).
    Issue(IssueProblem),
    /// A roster row the crates refused while signing.
    Row(RowError),
}

impl From<IssueProblem> for ClassProblem {
    fn from(p: IssueProblem) -> Self {
        ClassProblem::Issue(p)
    }
}

impl From<DeskError> for ClassProblem {
    fn from(e: DeskError) -> Self {
        ClassProblem::Issue(e.into())
    }
}

/// A class batch that was signed and recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDone {
    /// The batch id.
    pub batch: String,
    /// How many certificates.
    pub count: usize,
    /// Where the batch's root was anchored, if it was.
    pub anchor: Option<BlockAnchor>,
    /// Merkle tree level sizes, leaves first.
    pub levels: Vec<usize>,
    /// The Merkle root (hex), if any certificate was signed.
    pub root: Option<String>,
    /// The batch bundle to download (every credential with its receipt).
    pub bundle: Rc<String>,
}

/// Issuing a class, a chunk at a time: [`ClassRun::start`] checks the
/// request, [`ClassRun::take_next`] and [`ClassRun::sign_pending`] sign the
/// next rows (the page yields to the browser in between, for the progress
/// bar, and has the worker hash eddsa-rdfc-2022 proofs), and
/// [`ClassRun::finish`] anchors and records every certificate in the desk
/// the page then dispatches (`DeskAction::Replace`).
pub struct ClassRun {
    desk: Desk,
    request: ClassRequest,
    template: BatchTemplate,
    key: SecretKey,
    students: Vec<Student>,
    programme: String,
    issued: Vec<IssuedCredential>,
    indexes: Vec<Option<u64>>,
    /// Rows taken and not signed yet: the student, the row's inputs, the
    /// status position.
    pending: Vec<(Student, RowInputs, Option<u64>)>,
}

impl ClassRun {
    /// Checks the request against the desk (issuer, unlocked key, template,
    /// dates) and prepares the batch, dated `at`.
    pub fn start(
        desk: &Desk,
        roster: &Roster,
        request: ClassRequest,
        at: Instant,
    ) -> Result<ClassRun, ClassProblem> {
        let issuer = desk.issuer.clone().ok_or(IssueProblem::NoIssuer)?;
        let key = issuer.signing_key().map_err(IssueProblem::from)?;
        let did = issuer.did().ok_or(IssueProblem::NoIssuer)?;
        let tpl = desk
            .template(&request.template)
            .ok_or(IssueProblem::NoTemplate)?;
        let valid_from = day_to_stamp(&request.from, false).ok_or(IssueProblem::BadDates)?;
        let valid_until = if request.until.trim().is_empty() {
            None
        } else {
            Some(day_to_stamp(&request.until, true).ok_or(IssueProblem::BadDates)?)
        };
        let proof = proof_options(&issuer, &did, at);
        let template = BatchTemplate {
            issuer: issuer_profile(&issuer, &did),
            achievement: tpl.achievement.clone(),
            valid_from: valid_from.clone(),
            valid_until,
            awarded_date: Some(valid_from),
            language: LanguageMode::Bilingual,
            proof,
            include_name: request.include_name,
        };
        Ok(ClassRun {
            desk: desk.clone(),
            template,
            key,
            students: roster.students.clone(),
            programme: tpl.name_en,
            issued: Vec::with_capacity(roster.students.len()),
            indexes: Vec::with_capacity(roster.students.len()),
            pending: Vec::new(),
            request,
        })
    }

    /// Rows signed so far, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.issued.len(), self.students.len())
    }

    /// Whether every row is signed.
    pub fn is_signed(&self) -> bool {
        self.issued.len() >= self.students.len()
    }

    /// Takes up to `n` more rows to sign: draws their randomness (every
    /// row's draws are taken before any of them is signed, and a `None`
    /// refuses the chunk, [`IssueProblem::NoRandomness`]) and their status
    /// positions. [`ClassRun::sign_pending`] signs them.
    pub fn take_next(
        &mut self,
        n: usize,
        draw: &mut dyn FnMut() -> Option<Seed>,
    ) -> Result<(), ClassProblem> {
        if !self.pending.is_empty() {
            return Ok(());
        }
        let start = self.issued.len();
        let chunk: Vec<Student> = self.students.iter().skip(start).take(n).cloned().collect();
        let mut draws = Vec::with_capacity(chunk.len());
        for _ in &chunk {
            let seed = draw().ok_or(IssueProblem::NoRandomness)?;
            let status = if self.request.status.purpose().is_some() {
                let more = draw().ok_or(IssueProblem::NoRandomness)?;
                let mut r = [0u8; 8];
                r.copy_from_slice(more.get(..8).unwrap_or(&[0; 8]));
                Some(u64::from_le_bytes(r))
            } else {
                None
            };
            draws.push((seed, status));
        }
        let mut pending = Vec::with_capacity(chunk.len());
        for ((seed, status_seed), student) in draws.iter().zip(chunk) {
            let entry = match status_seed {
                Some(s) => self.desk.allocate_status(self.request.status, *s)?,
                None => None,
            };
            let index = entry.as_ref().map(|(_, i)| *i);
            let inputs = RowInputs {
                id: id_of(seed),
                salt: salt_of(seed),
                credential_status: entry.map(|(v, _)| v),
            };
            pending.push((student, inputs, index));
        }
        self.pending = pending;
        Ok(())
    }

    /// Signs the rows [`ClassRun::take_next`] took; `rdfc` hashes
    /// eddsa-rdfc-2022 proofs. If it is missing a hash the rows stay
    /// pending, unchanged, to be signed again once it has them.
    pub fn sign_pending(&mut self, rdfc: &mut dyn RdfcHasher) -> Result<(), ClassProblem> {
        let part = Roster {
            students: self.pending.iter().map(|(s, _, _)| s.clone()).collect(),
            errors: Vec::new(),
        };
        let mut inputs = self.pending.iter().map(|(_, i, _)| i.clone());
        let result = issue_batch_with(
            &self.template,
            &part,
            &self.key,
            &mut |_student| {
                // One input per row, taken above.
                inputs.next().unwrap_or(RowInputs {
                    id: String::new(),
                    salt: String::new(),
                    credential_status: None,
                })
            },
            rdfc,
        )
        .map_err(|e| IssueProblem::Refused(Refusal::Batch(format!("{e:?}"))))?;
        if let Some(e) = result.errors.first() {
            return Err(ClassProblem::Row(e.clone()));
        }
        self.indexes
            .extend(self.pending.drain(..).map(|(_, _, index)| index));
        self.issued.extend(result.issued);
        Ok(())
    }

    /// [`ClassRun::take_next`] then [`ClassRun::sign_pending`], with a
    /// hasher that has every hash (or eddsa-jcs-2022).
    pub fn sign_next(
        &mut self,
        n: usize,
        draw: &mut dyn FnMut() -> Option<Seed>,
        rdfc: &mut dyn RdfcHasher,
    ) -> Result<(), ClassProblem> {
        self.take_next(n, draw)?;
        self.sign_pending(rdfc)
    }

    /// Anchors the batch (if asked) and records every certificate, at `at`;
    /// returns the new desk and the summary. A new status list is left for
    /// the page to sign ([`Desk::lists_to_sign`]).
    pub fn finish(mut self, at: Instant) -> Result<(Desk, ClassDone), ClassProblem> {
        let stamp = at.to_rfc3339_seconds();
        let batch_id = format!(
            "batch-{}",
            stamp.replace([':', '-'], "").get(..15).unwrap_or("x")
        );
        let label = if self.request.label.trim().is_empty() {
            format!("{} {}", self.programme, &batch_id)
        } else {
            self.request.label.trim().to_owned()
        };
        let label: String = label.chars().take(60).collect();
        let block = if self.request.anchor {
            Some(self.desk.anchor(&mut self.issued, &label, at)?)
        } else {
            None
        };
        let tree = merkle_tree_of(&self.issued);
        let levels = tree.levels().iter().map(|l| l.len()).collect();
        let mut bundle = Vec::with_capacity(self.issued.len());
        let status = self.request.status;
        for (c, index) in self.issued.iter().zip(&self.indexes) {
            let receipt = c
                .receipt
                .as_ref()
                .and_then(|r| serde_json::to_value(r).ok());
            bundle.push(json!({ "credential": c.credential, "receipt": receipt }));
            let student = match &c.student.name_zh {
                Some(zh) if !zh.is_empty() => format!("{} {}", c.student.name, zh),
                _ => c.student.name.clone(),
            };
            self.desk.issued.push(IssuedRecord {
                id: c
                    .credential
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                issued_at: stamp.clone(),
                template: self.request.template.clone(),
                email: c.student.email.clone(),
                student,
                batch: Some(batch_id.clone()),
                credential: c.credential.clone(),
                receipt,
                revocation_index: index.filter(|_| status == StatusChoice::Revocation),
                suspension_index: index.filter(|_| status == StatusChoice::Suspension),
                revoked: None,
                suspended: None,
                reinstated: None,
            });
        }
        let bundle = batch_bundle(&batch_id, bundle);
        let done = ClassDone {
            batch: batch_id,
            count: self.issued.len(),
            anchor: block,
            levels,
            root: (!self.issued.is_empty()).then(|| tree.root().to_string()),
            bundle: Rc::new(serde_json::to_string_pretty(&bundle).unwrap_or_default()),
        };
        Ok((self.desk, done))
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::state::signing::{self, Hashes};
    use crate::state::teach::{StatusChange, StatusNote};
    use credentials::di::LocalRdfc;
    use credentials::report::{CheckId, CheckStatus};
    use credentials::roster::{parse_csv, validate, ColumnMap, RosterLimits};
    use credentials::{verify_credential_value, StatusPurpose, VerifyOptions};

    #[test]
    fn email_check_accepts_addresses_and_refuses_the_rest() {
        for ok in ["a@b.hk", "chan.tai.man@student.school.edu.hk"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.hk", "a b@c.hk", "a@.hk", "a@b.", "a@b@c.hk",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    fn at(s: &str) -> Instant {
        Instant::parse_date_time_stamp(s).unwrap()
    }

    fn desk() -> Desk {
        Desk {
            issuer: Some(IssuerSetup {
                secret_key_multibase: SecretKey::from_bytes(&[7; 32]).to_multibase(),
                name_en: "Example Secondary School".into(),
                status_base_url: "https://school.example/chainclass/".into(),
                ..Default::default()
            }),
            ..Desk::default()
        }
    }

    fn student() -> StudentInput {
        StudentInput {
            name: "Chan Tai Man".into(),
            show_name: true,
            by: IdentifyBy::Email,
            identifier: "chan@student.school.edu.hk".into(),
        }
    }

    /// A verifier's view of `vc` at `now`, with the desk's published lists.
    fn check(vc: &Value, desk: &Desk, now: Instant) -> (bool, Option<CheckStatus>) {
        let mut opts = VerifyOptions::at(now);
        opts.status.status_list_credentials = desk.status_lists.signed();
        let report = verify_credential_value(vc, &opts);
        (report.verified, report.status(CheckId::Status))
    }

    #[test]
    fn one_certificate_is_a_function_of_the_desk_the_time_and_the_randomness() {
        let d = desk();
        let t = d.template("it-innovation-lab").unwrap();
        let issuer = d.issuer.clone().unwrap();
        let seed = [9u8; 32];
        let unsigned = draft(
            &issuer,
            &t,
            &student(),
            "2027-01-15T00:00:00Z",
            None,
            None,
            &seed,
        )
        .unwrap();
        assert_eq!(unsigned["id"], id_of(&seed));
        let now = at("2027-01-15T08:00:00Z");
        let issue = |rdfc: &mut dyn RdfcHasher| {
            issue_one(
                &d,
                &unsigned,
                StatusChoice::Revocation,
                &t.key,
                "Chan Tai Man",
                Some("chan.taiman@student.example.edu.hk"),
                now,
                0x9e37_79b9_7f4a_7c15,
                rdfc,
            )
        };
        let (desk1, vc1) = issue(&mut LocalRdfc).unwrap();
        let (desk2, vc2) = issue(&mut LocalRdfc).unwrap();
        assert_eq!(
            (&desk1, &vc1),
            (&desk2, &vc2),
            "same inputs, same certificate"
        );
        // As the page does it: a first run learns what the worker must
        // hash, the second signs exactly what signing in place gives.
        let mut hashes = Hashes::new();
        assert!(issue(&mut hashes).is_err());
        hashes
            .learn(&signing::hash_answer(&hashes.request(), &mut LocalRdfc))
            .unwrap();
        assert_eq!(issue(&mut hashes).unwrap(), (desk1.clone(), vc1.clone()));
        assert_eq!(vc1["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        assert_eq!(vc1["proof"]["created"], "2027-01-15T08:00:00Z");
        assert_eq!(desk1.issued.len(), 1);
        assert_eq!(desk1.issued[0].issued_at, "2027-01-15T08:00:00Z");
        // Its new revocation list is due for signing; signed, it says "not revoked".
        assert_eq!(desk1.lists_to_sign(), vec![StatusPurpose::Revocation]);
        let desk1 = desk1.with_lists_signed(now, &mut LocalRdfc).unwrap();
        assert!(desk1.lists_to_sign().is_empty());
        assert_eq!(check(&vc1, &desk1, now), (true, Some(CheckStatus::Pass)));
        // Revoked (at a later time): the list is due again, and re-signed says so.
        let mut revoked = desk1.clone();
        revoked
            .set_status(0, StatusChange::Revoke, "left", at("2027-02-01T08:00:00Z"))
            .unwrap();
        assert_eq!(revoked.lists_to_sign(), vec![StatusPurpose::Revocation]);
        let revoked = revoked
            .with_lists_signed(at("2027-02-01T08:00:00Z"), &mut LocalRdfc)
            .unwrap();
        assert_eq!(
            revoked.issued[0].revoked,
            Some(StatusNote {
                at: "2027-02-01T08:00:00Z".into(),
                reason: "left".into()
            })
        );
        assert_eq!(
            check(&vc1, &revoked, at("2027-02-02T08:00:00Z")),
            (true, Some(CheckStatus::Fail))
        );
        // Another seed gives another position in the list.
        let (desk3, _) = issue_one(
            &d,
            &unsigned,
            StatusChoice::Revocation,
            &t.key,
            "x",
            None,
            now,
            0x1234_5678_9abc_def0,
            &mut LocalRdfc,
        )
        .unwrap();
        // A desk set to eddsa-jcs-2022 signs with it, without any hasher.
        let mut jcs = d.clone();
        if let Some(i) = jcs.issuer.as_mut() {
            i.sign_jcs = true;
        }
        let (_, vc) = issue_one(
            &jcs,
            &unsigned,
            StatusChoice::None,
            &t.key,
            "x",
            None,
            now,
            1,
            &mut credentials::NoRdfc,
        )
        .unwrap();
        assert_eq!(vc["proof"]["cryptosuite"], "eddsa-jcs-2022");
        assert_ne!(
            desk3.issued[0].revocation_index,
            desk1.issued[0].revocation_index
        );
    }

    #[test]
    fn a_locked_or_missing_key_issues_nothing() {
        let mut d = desk();
        let t = d.template("it-innovation-lab").unwrap();
        let issuer = d.issuer.clone().unwrap();
        let unsigned = draft(
            &issuer,
            &t,
            &student(),
            "2027-01-15T00:00:00Z",
            None,
            None,
            &[1; 32],
        )
        .unwrap();
        d.issuer = Some(IssuerSetup {
            secret_key_multibase: String::new(),
            sealed_key: Some(crate::state::key_lock::placeholder_sealed(7)),
            ..issuer
        });
        let now = at("2027-01-15T08:00:00Z");
        assert_eq!(
            issue_one(
                &d,
                &unsigned,
                StatusChoice::Revocation,
                &t.key,
                "x",
                None,
                now,
                1,
                &mut LocalRdfc
            ),
            Err(IssueProblem::Locked)
        );
        let roster = roster(&["Amy,amy@s.edu.hk"]);
        assert!(matches!(
            ClassRun::start(&d, &roster, request(StatusChoice::None), now),
            Err(ClassProblem::Issue(IssueProblem::Locked))
        ));
    }

    /// Fresh "randomness" 1, 2, 3, … (every byte the same), the same on
    /// every call of this function.
    fn counting_draw() -> impl FnMut() -> Option<Seed> {
        let mut n = 0u8;
        move || {
            n = n.wrapping_add(1);
            Some([n; 32])
        }
    }

    fn roster(rows: &[&str]) -> Roster {
        let text = format!("name,email\n{}\n", rows.join("\n"));
        let csv = parse_csv(text.as_bytes(), &RosterLimits::default()).unwrap();
        validate(&csv, &ColumnMap::guess(&csv.header)).unwrap()
    }

    fn request(status: StatusChoice) -> ClassRequest {
        ClassRequest {
            template: "it-innovation-lab".into(),
            from: "2027-01-15".into(),
            until: String::new(),
            include_name: true,
            anchor: true,
            status,
            label: String::new(),
        }
    }

    #[test]
    fn a_class_is_signed_in_chunks_anchored_and_recorded_with_its_status_entries() {
        let d = desk();
        let roster = roster(&[
            "Amy,amy@s.edu.hk",
            "Ben,ben@s.edu.hk",
            "Chloe,chloe@s.edu.hk",
        ]);
        let now = at("2027-01-15T08:00:00Z");
        let mut run = ClassRun::start(&d, &roster, request(StatusChoice::Revocation), now).unwrap();
        let mut draw = counting_draw();
        let mut again =
            ClassRun::start(&d, &roster, request(StatusChoice::Revocation), now).unwrap();
        while !run.is_signed() {
            run.sign_next(2, &mut draw, &mut LocalRdfc).unwrap();
        }
        assert_eq!(run.progress(), (3, 3));
        // As the page does it: a chunk is taken once, and signed once the
        // worker has hashed what the first try asked for.
        let mut draw = counting_draw();
        let mut hashes = Hashes::new();
        while !again.is_signed() {
            again.take_next(2, &mut draw).unwrap();
            assert!(again.sign_pending(&mut hashes).is_err());
            assert!(hashes.has_missing());
            hashes
                .learn(&signing::hash_answer(&hashes.request(), &mut LocalRdfc))
                .unwrap();
            again.sign_pending(&mut hashes).unwrap();
        }
        assert_eq!(again.finish(now).unwrap().0, run.finish(now).unwrap().0);
        let mut run = ClassRun::start(&d, &roster, request(StatusChoice::Revocation), now).unwrap();
        let mut draw = counting_draw();
        while !run.is_signed() {
            run.sign_next(2, &mut draw, &mut LocalRdfc).unwrap();
        }
        let (after, done) = run.finish(now).unwrap();
        let after = after.with_lists_signed(now, &mut LocalRdfc).unwrap();
        assert_eq!(done.count, 3);
        assert!(done.anchor.is_some());
        assert_eq!(after.issued.len(), 3);
        let mut indexes: Vec<_> = after.issued.iter().map(|r| r.revocation_index).collect();
        indexes.dedup();
        assert_eq!(indexes.len(), 3, "each certificate has its own position");
        assert!(
            after.ledger.is_some(),
            "the batch root is in the class ledger"
        );
        for r in &after.issued {
            assert_eq!(r.batch.as_deref(), Some(done.batch.as_str()));
            assert_eq!(
                check(&r.credential, &after, now),
                (true, Some(CheckStatus::Pass))
            );
        }
        assert!(after
            .status_lists
            .revocation
            .as_ref()
            .unwrap()
            .signed
            .is_some());
        assert_eq!(
            after
                .status_lists
                .revocation
                .as_ref()
                .unwrap()
                .list
                .purpose(),
            StatusPurpose::Revocation
        );
    }

    #[test]
    fn a_browser_without_randomness_gets_nothing_signed() {
        let d = desk();
        let roster = roster(&["Amy,amy@s.edu.hk", "Ben,ben@s.edu.hk"]);
        let now = at("2027-01-15T08:00:00Z");
        let mut run = ClassRun::start(&d, &roster, request(StatusChoice::None), now).unwrap();
        // The second row's draw fails: the chunk is refused before signing.
        let mut calls = 0;
        let mut draw = || {
            calls += 1;
            (calls < 2).then_some([5u8; 32])
        };
        assert_eq!(
            run.sign_next(10, &mut draw, &mut LocalRdfc),
            Err(ClassProblem::Issue(IssueProblem::NoRandomness))
        );
        assert_eq!(run.progress(), (0, 2));
    }
}
