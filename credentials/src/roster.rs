//! Class rosters: reading a CSV file (RFC 4180), mapping its columns to
//! student fields, and checking every row, with a typed error per bad row.
//!
//! # Reading
//!
//! [`parse_csv`] takes the file's bytes. UTF-8 with or without a byte-order
//! mark is read; UTF-16 and legacy encodings (Big5 and GBK, common for Hong
//! Kong spreadsheets, or a Western single-byte code page) are refused with a
//! [`CsvError`] that names the likely encoding, so the app can say "save as
//! CSV UTF-8". Fields follow RFC 4180: comma separated (a header with tabs
//! and no comma makes the file tab separated, as when cells are pasted from
//! a spreadsheet), `"`-quoted fields may hold commas, newlines and `""`;
//! lines end in CRLF or LF. The first line is the header. Size, rows,
//! columns and field length are bounded ([`RosterLimits`]). Every row keeps
//! its 1-based line number (the header is line 1).
//!
//! # Columns
//!
//! The app maps columns itself with a [`ColumnMap`]; [`ColumnMap::guess`]
//! proposes one from header names in English or Chinese (`name` / `姓名`,
//! `email` / `電郵`, `student_id` / `學生編號`, `did`, `name_zh` /
//! `中文姓名`). A student needs a name and at least one identifier: an
//! e-mail address, a student number or a holder DID.
//!
//! # Checking
//!
//! [`validate`] turns rows into [`Student`]s and reports every bad row as a
//! [`RowError`] (line, field, stable reason): missing name, no identifier,
//! bad e-mail address or DID, a student listed twice (same e-mail address,
//! student number or DID; the later row is the one reported), fields that
//! are too long or hold control characters, too many fields. Nothing is
//! dropped silently: a row is either a student or an error. Rows whose cells
//! are all empty are not data and are skipped.

use crate::did_key::DidKey;
use crate::iri::is_url;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Bounds for reading a roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterLimits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Most data rows.
    pub max_rows: usize,
    /// Most columns in a row.
    pub max_columns: usize,
    /// Longest field, in characters (before the per-field limits of
    /// [`validate`]).
    pub max_field_chars: usize,
}

impl Default for RosterLimits {
    fn default() -> Self {
        RosterLimits {
            max_bytes: 1024 * 1024,
            max_rows: 5000,
            max_columns: 64,
            max_field_chars: 1024,
        }
    }
}

/// The encoding a non-UTF-8 file most likely uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LikelyEncoding {
    /// Big5 (Traditional Chinese; Excel's default for Hong Kong).
    Big5,
    /// GBK / GB18030 (Simplified Chinese).
    Gbk,
    /// UTF-16 (a byte-order mark was found).
    Utf16,
    /// A Western single-byte code page (Windows-1252 / Latin-1).
    SingleByte,
    /// Not recognised.
    Unknown,
}

/// Why a file could not be read as a CSV roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum CsvError {
    /// Larger than [`RosterLimits::max_bytes`].
    TooLarge {
        /// Size in bytes.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Not UTF-8 text.
    NotUtf8 {
        /// The encoding it most likely is.
        likely_encoding: LikelyEncoding,
        /// Line of the first byte that is not UTF-8.
        line: usize,
    },
    /// A spreadsheet workbook, not CSV text: a ZIP file (`.xlsx`, `.ods`)
    /// or an OLE2 compound file (the older `.xls`), told by its first bytes.
    Workbook,
    /// No header line.
    Empty,
    /// A quoted field that never ends.
    UnterminatedQuote {
        /// Line where the field starts.
        line: usize,
    },
    /// Characters after a closing quote (e.g. `"a"b`).
    TextAfterQuote {
        /// Line of the field.
        line: usize,
    },
    /// More data rows than [`RosterLimits::max_rows`].
    TooManyRows {
        /// The limit.
        max: usize,
    },
    /// A row with more columns than [`RosterLimits::max_columns`].
    TooManyColumns {
        /// Line of the row.
        line: usize,
        /// The limit.
        max: usize,
    },
    /// A field longer than [`RosterLimits::max_field_chars`].
    FieldTooLong {
        /// Line of the field.
        line: usize,
        /// The limit.
        max: usize,
    },
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::TooLarge { bytes, max } => {
                write!(f, "the file is {bytes} bytes; at most {max}")
            }
            CsvError::NotUtf8 {
                likely_encoding,
                line,
            } => write!(
                f,
                "line {line} is not UTF-8 (likely {likely_encoding:?}); save the file as CSV UTF-8"
            ),
            CsvError::Workbook => f.write_str(
                "the file is a spreadsheet workbook (.xlsx, .xls or .ods), not CSV; save it as CSV UTF-8",
            ),
            CsvError::Empty => f.write_str("the file has no header line"),
            CsvError::UnterminatedQuote { line } => {
                write!(f, "the quoted field starting on line {line} never ends")
            }
            CsvError::TextAfterQuote { line } => {
                write!(f, "line {line}: text after a closing quote")
            }
            CsvError::TooManyRows { max } => write!(f, "more than {max} rows"),
            CsvError::TooManyColumns { line, max } => {
                write!(f, "line {line} has more than {max} columns")
            }
            CsvError::FieldTooLong { line, max } => {
                write!(f, "line {line} has a field longer than {max} characters")
            }
        }
    }
}

impl std::error::Error for CsvError {}

/// One data row: its line number and fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    /// 1-based line number where the row starts (the header is line 1).
    pub line: usize,
    /// The fields, unquoted.
    pub fields: Vec<String>,
}

/// A parsed CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csv {
    /// The header's fields (trimmed).
    pub header: Vec<String>,
    /// The data rows.
    pub rows: Vec<CsvRow>,
    /// `,` or `\t`.
    pub delimiter: char,
    /// Whether the file started with a UTF-8 byte-order mark.
    pub had_bom: bool,
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes
        .get(..offset)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
}

fn guess_encoding(bytes: &[u8]) -> LikelyEncoding {
    let (mut big5, mut gbk) = (true, true);
    let mut i = 0;
    let mut high_singles = true;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            i += 1;
            continue;
        }
        if !(0xa0..=0xff).contains(&b) {
            high_singles = false;
        }
        let lead_ok = (0x81..=0xfe).contains(&b);
        match bytes.get(i + 1) {
            Some(&t) if lead_ok => {
                if !matches!(t, 0x40..=0x7e | 0xa1..=0xfe) {
                    big5 = false;
                }
                if !matches!(t, 0x40..=0x7e | 0x80..=0xfe) {
                    gbk = false;
                }
                i += 2;
            }
            _ => {
                big5 = false;
                gbk = false;
                i += 1;
            }
        }
    }
    if big5 {
        LikelyEncoding::Big5
    } else if gbk {
        LikelyEncoding::Gbk
    } else if high_singles {
        LikelyEncoding::SingleByte
    } else {
        LikelyEncoding::Unknown
    }
}

fn decode_text(bytes: &[u8]) -> Result<(&str, bool), CsvError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(CsvError::NotUtf8 {
            likely_encoding: LikelyEncoding::Utf16,
            line: 1,
        });
    }
    let (body, bom) = match bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok((text, bom)),
        Err(e) => Err(CsvError::NotUtf8 {
            likely_encoding: guess_encoding(body),
            line: line_of(body, e.valid_up_to()),
        }),
    }
}

/// Splits `text` into records of fields (RFC 4180), with the line each
/// record starts on.
struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    delimiter: char,
    max_columns: usize,
    max_field_chars: usize,
}

impl Records<'_> {
    /// The next record, `None` at the end of the text.
    fn next_record(&mut self) -> Result<Option<CsvRow>, CsvError> {
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        let start = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut field_chars = 0usize;
        let mut quoted_field = false;
        loop {
            let Some(c) = self.chars.next() else {
                fields.push(field);
                break;
            };
            match c {
                '"' if field_chars == 0 && !quoted_field => {
                    quoted_field = true;
                    let quote_line = self.line;
                    loop {
                        match self.chars.next() {
                            None => return Err(CsvError::UnterminatedQuote { line: quote_line }),
                            Some('"') if self.chars.peek() == Some(&'"') => {
                                self.chars.next();
                                field.push('"');
                            }
                            Some('"') => break,
                            Some(ch) => {
                                if ch == '\n' {
                                    self.line += 1;
                                }
                                field.push(ch);
                            }
                        }
                        field_chars += 1;
                        if field_chars > self.max_field_chars {
                            return Err(CsvError::FieldTooLong {
                                line: start,
                                max: self.max_field_chars,
                            });
                        }
                    }
                    match self.chars.peek() {
                        None | Some('\n' | '\r') => {}
                        Some(&d) if d == self.delimiter => {}
                        Some(_) => return Err(CsvError::TextAfterQuote { line: self.line }),
                    }
                    // Mark the field as started even if it was `""`.
                    field_chars = field_chars.max(1);
                }
                c if c == self.delimiter => {
                    fields.push(std::mem::take(&mut field));
                    field_chars = 0;
                    quoted_field = false;
                    if fields.len() >= self.max_columns {
                        return Err(CsvError::TooManyColumns {
                            line: start,
                            max: self.max_columns,
                        });
                    }
                }
                '\r' if self.chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    self.line += 1;
                    fields.push(field);
                    break;
                }
                other => {
                    field.push(other);
                    field_chars += 1;
                    if field_chars > self.max_field_chars {
                        return Err(CsvError::FieldTooLong {
                            line: start,
                            max: self.max_field_chars,
                        });
                    }
                }
            }
        }
        Ok(Some(CsvRow {
            line: start,
            fields,
        }))
    }
}

/// Reads a CSV file (see the module docs). Rows whose fields are all blank
/// are skipped.
pub fn parse_csv(bytes: &[u8], limits: &RosterLimits) -> Result<Csv, CsvError> {
    if bytes.len() > limits.max_bytes {
        return Err(CsvError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    // ZIP ("PK\x03\x04": .xlsx, .ods) and OLE2 (.xls) files are told by
    // their first bytes, before they are taken for text in some encoding.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Err(CsvError::Workbook);
    }
    let (text, had_bom) = decode_text(bytes)?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains('\t') {
        '\t'
    } else {
        ','
    };
    let mut records = Records {
        chars: text.chars().peekable(),
        line: 1,
        delimiter,
        max_columns: limits.max_columns.max(1),
        max_field_chars: limits.max_field_chars,
    };
    let mut header = None;
    let mut rows = Vec::new();
    while let Some(record) = records.next_record()? {
        if record.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if header.is_none() {
            header = Some(record.fields.iter().map(|f| f.trim().to_owned()).collect());
            continue;
        }
        if rows.len() >= limits.max_rows {
            return Err(CsvError::TooManyRows {
                max: limits.max_rows,
            });
        }
        rows.push(record);
    }
    Ok(Csv {
        header: header.ok_or(CsvError::Empty)?,
        rows,
        delimiter,
        had_bom,
    })
}

/// A student field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The name (English, or the only name given).
    Name,
    /// The Chinese name.
    NameZh,
    /// E-mail address.
    Email,
    /// School student number.
    StudentId,
    /// Holder DID.
    Did,
    /// The row as a whole.
    Row,
}

/// Which CSV column (0-based) holds which field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ColumnMap {
    /// Name (required).
    pub name: Option<usize>,
    /// Chinese name.
    pub name_zh: Option<usize>,
    /// E-mail address.
    pub email: Option<usize>,
    /// Student number.
    pub student_id: Option<usize>,
    /// Holder DID.
    pub did: Option<usize>,
}

/// Why a [`ColumnMap`] cannot be used with a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum MapError {
    /// No column holds the name.
    NoNameColumn,
    /// No column holds an e-mail address, student number or DID.
    NoIdentifierColumn,
    /// A column number beyond the header.
    ColumnOutOfRange {
        /// The field.
        field: Field,
        /// The column.
        column: usize,
        /// Columns in the header.
        columns: usize,
    },
    /// One column is mapped to two fields.
    ColumnUsedTwice {
        /// The column.
        column: usize,
    },
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapError::NoNameColumn => f.write_str("no column holds the students' names"),
            MapError::NoIdentifierColumn => {
                f.write_str("no column holds an e-mail address, student number or DID")
            }
            MapError::ColumnOutOfRange {
                field,
                column,
                columns,
            } => write!(
                f,
                "{field:?} is mapped to column {column}, but the file has {columns}"
            ),
            MapError::ColumnUsedTwice { column } => {
                write!(f, "column {column} is mapped to two fields")
            }
        }
    }
}

impl std::error::Error for MapError {}

/// Lower-cases and drops spaces, `_`, `-`, `.`, `:` and brackets (ASCII and
/// full-width) so `Student No.`, `student_no` and `學生編號：` compare equal.
fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '_' | '-' | '.' | ':' | '(' | ')' | '（' | '）' | '：' | '/' | '#' | '*'
                )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

const NAME_HEADERS: &[&str] = &[
    "name",
    "fullname",
    "studentname",
    "englishname",
    "nameen",
    "nameinenglish",
    "英文姓名",
    "英文名",
    "學生姓名",
    "学生姓名",
];
const AMBIGUOUS_NAME_HEADERS: &[&str] = &["姓名", "名稱", "名字"];
const NAME_ZH_HEADERS: &[&str] = &[
    "namezh",
    "chinesename",
    "nameinchinese",
    "namezhhant",
    "中文姓名",
    "中文名",
    "中文名稱",
];
const EMAIL_HEADERS: &[&str] = &[
    "email",
    "emailaddress",
    "mail",
    "studentemail",
    "電郵",
    "電郵地址",
    "电邮",
    "電子郵件",
    "電子郵箱",
    "电子邮件",
    "邮箱",
];
const STUDENT_ID_HEADERS: &[&str] = &[
    "studentid",
    "studentno",
    "studentnumber",
    "sid",
    "id",
    "學生編號",
    "学生编号",
    "學號",
    "学号",
    "學生證號碼",
    "學生號碼",
    "編號",
];
const DID_HEADERS: &[&str] = &["did", "holderdid", "walletdid", "studentdid", "持有人did"];

impl ColumnMap {
    /// Guesses the map from header names (see the module docs). Unknown
    /// headers are ignored; the first matching column wins. `姓名` is the
    /// name, unless another column is explicitly the English name, when it
    /// is the Chinese name.
    pub fn guess(header: &[String]) -> ColumnMap {
        let norm: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
        let find = |names: &[&str]| norm.iter().position(|h| names.contains(&h.as_str()));
        let mut map = ColumnMap {
            name: find(NAME_HEADERS),
            name_zh: find(NAME_ZH_HEADERS),
            email: find(EMAIL_HEADERS),
            student_id: find(STUDENT_ID_HEADERS),
            did: find(DID_HEADERS),
        };
        if let Some(ambiguous) = find(AMBIGUOUS_NAME_HEADERS) {
            if map.name.is_none() {
                map.name = Some(ambiguous);
            } else if map.name_zh.is_none() {
                map.name_zh = Some(ambiguous);
            }
        }
        map
    }

    fn fields(&self) -> [(Field, Option<usize>); 5] {
        [
            (Field::Name, self.name),
            (Field::NameZh, self.name_zh),
            (Field::Email, self.email),
            (Field::StudentId, self.student_id),
            (Field::Did, self.did),
        ]
    }

    /// Checks the map against a header of `columns` columns.
    pub fn check(&self, columns: usize) -> Result<(), MapError> {
        if self.name.is_none() {
            return Err(MapError::NoNameColumn);
        }
        if self.email.is_none() && self.student_id.is_none() && self.did.is_none() {
            return Err(MapError::NoIdentifierColumn);
        }
        let mut used = Vec::new();
        for (field, column) in self.fields() {
            let Some(column) = column else { continue };
            if column >= columns {
                return Err(MapError::ColumnOutOfRange {
                    field,
                    column,
                    columns,
                });
            }
            if used.contains(&column) {
                return Err(MapError::ColumnUsedTwice { column });
            }
            used.push(column);
        }
        Ok(())
    }
}

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest Chinese name, in characters.
pub const MAX_NAME_ZH_CHARS: usize = 50;
/// Longest e-mail address, in characters (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest student number, in characters.
pub const MAX_STUDENT_ID_CHARS: usize = 32;
/// Longest DID, in characters.
pub const MAX_DID_CHARS: usize = 256;

/// A checked roster row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Student {
    /// Line number in the file.
    pub row: usize,
    /// Name, trimmed.
    pub name: String,
    /// Chinese name, if given.
    pub name_zh: Option<String>,
    /// E-mail address, trimmed (case kept; compared case-insensitively).
    pub email: Option<String>,
    /// Student number, trimmed.
    pub student_id: Option<String>,
    /// Holder DID.
    pub did: Option<String>,
}

/// What is wrong with a row (a stable `reason` plus data).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RowProblem {
    /// The name is empty.
    MissingName,
    /// No e-mail address, student number or DID.
    MissingIdentifier,
    /// Not an e-mail address.
    BadEmail {
        /// The value (at most 100 characters of it).
        value: String,
    },
    /// Not a DID (a `did:key` must be a valid Ed25519 did:key).
    BadDid {
        /// The value (at most 100 characters of it).
        value: String,
    },
    /// The same e-mail address is on an earlier row.
    DuplicateEmail {
        /// The earlier row's line.
        first_row: usize,
    },
    /// The same student number is on an earlier row.
    DuplicateStudentId {
        /// The earlier row's line.
        first_row: usize,
    },
    /// The same DID is on an earlier row.
    DuplicateDid {
        /// The earlier row's line.
        first_row: usize,
    },
    /// A field longer than its limit.
    TooLong {
        /// The limit, in characters.
        max: usize,
        /// The field's length, in characters.
        found: usize,
    },
    /// A field with a control character (tab, line break…).
    ControlCharacter,
    /// More non-empty fields than the header has columns.
    TooManyFields {
        /// Columns in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// The row's data could not be turned into a credential.
    CredentialNotBuilt {
        /// Why.
        error: crate::ob3::Ob3Error,
    },
    /// The credential was refused when signing.
    CredentialRefused {
        /// Why.
        error: crate::issue::IssueError,
    },
}

/// A bad row: its line, the field at fault (if one) and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// 1-based line number in the file.
    pub row: usize,
    /// The field at fault.
    pub field: Option<Field>,
    /// Why (serialised flat: `reason` plus its data).
    #[serde(flatten)]
    pub problem: RowProblem,
}

/// The students and the bad rows of a roster.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Roster {
    /// Good rows, in file order.
    pub students: Vec<Student>,
    /// Bad rows, in file order.
    pub errors: Vec<RowError>,
}

/// A plausible e-mail address: one `@`, a non-empty local part of printable
/// ASCII without spaces, and a domain of dot-separated letter/digit/hyphen
/// labels ending in a label of two or more letters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || local.len() > 64
        || domain.contains('@')
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return false;
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    local_ok
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

fn is_did(s: &str) -> bool {
    if s.starts_with("did:key:") {
        return DidKey::parse(s).is_ok();
    }
    let mut parts = s.splitn(3, ':');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some("did"), Some(method), Some(id))
            if !method.is_empty()
                && method.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && !id.is_empty()
    ) && is_url(s)
}

/// Checks every row against `map` (see the module docs).
pub fn validate(csv: &Csv, map: &ColumnMap) -> Result<Roster, MapError> {
    map.check(csv.header.len())?;
    let mut roster = Roster::default();
    let mut emails: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut dids: HashMap<String, usize> = HashMap::new();
    for row in &csv.rows {
        match check_row(row, map, csv.header.len()) {
            Err(e) => roster.errors.push(e),
            Ok(student) => {
                let err = |field, problem| RowError {
                    row: row.line,
                    field: Some(field),
                    problem,
                };
                let dup = [
                    (
                        student.email.as_ref().map(|e| e.to_lowercase()),
                        &mut emails,
                        Field::Email,
                    ),
                    (
                        student.student_id.as_ref().map(|s| s.to_lowercase()),
                        &mut ids,
                        Field::StudentId,
                    ),
                    (student.did.clone(), &mut dids, Field::Did),
                ]
                .into_iter()
                .find_map(|(key, seen, field)| {
                    let first = *seen.get(key.as_ref()?)?;
                    Some(err(
                        field,
                        match field {
                            Field::Email => RowProblem::DuplicateEmail { first_row: first },
                            Field::StudentId => RowProblem::DuplicateStudentId { first_row: first },
                            _ => RowProblem::DuplicateDid { first_row: first },
                        },
                    ))
                });
                if let Some(e) = dup {
                    roster.errors.push(e);
                    continue;
                }
                if let Some(e) = &student.email {
                    emails.insert(e.to_lowercase(), row.line);
                }
                if let Some(s) = &student.student_id {
                    ids.insert(s.to_lowercase(), row.line);
                }
                if let Some(d) = &student.did {
                    dids.insert(d.clone(), row.line);
                }
                roster.students.push(student);
            }
        }
    }
    Ok(roster)
}

fn check_row(row: &CsvRow, map: &ColumnMap, columns: usize) -> Result<Student, RowError> {
    let err = |field, problem| RowError {
        row: row.line,
        field,
        problem,
    };
    let extra = row
        .fields
        .iter()
        .skip(columns)
        .any(|f| !f.trim().is_empty());
    if extra {
        return Err(err(
            Some(Field::Row),
            RowProblem::TooManyFields {
                expected: columns,
                found: row.fields.len(),
            },
        ));
    }
    let get =
        |field: Field, column: Option<usize>, max: usize| -> Result<Option<String>, RowError> {
            let Some(value) = column.and_then(|c| row.fields.get(c)) else {
                return Ok(None);
            };
            let value = value.trim();
            if value.is_empty() {
                return Ok(None);
            }
            if value.chars().any(char::is_control) {
                return Err(err(Some(field), RowProblem::ControlCharacter));
            }
            let found = value.chars().count();
            if found > max {
                return Err(err(Some(field), RowProblem::TooLong { max, found }));
            }
            Ok(Some(value.to_owned()))
        };
    let name = get(Field::Name, map.name, MAX_NAME_CHARS)?;
    let name_zh = get(Field::NameZh, map.name_zh, MAX_NAME_ZH_CHARS)?;
    let email = get(Field::Email, map.email, MAX_EMAIL_CHARS)?;
    let student_id = get(Field::StudentId, map.student_id, MAX_STUDENT_ID_CHARS)?;
    let did = get(Field::Did, map.did, MAX_DID_CHARS)?;
    let Some(name) = name else {
        return Err(err(Some(Field::Name), RowProblem::MissingName));
    };
    if email.is_none() && student_id.is_none() && did.is_none() {
        return Err(err(None, RowProblem::MissingIdentifier));
    }
    let shown = |v: &str| v.chars().take(100).collect::<String>();
    if let Some(e) = email.as_deref().filter(|e| !is_email(e)) {
        return Err(err(
            Some(Field::Email),
            RowProblem::BadEmail { value: shown(e) },
        ));
    }
    if let Some(d) = did.as_deref().filter(|d| !is_did(d)) {
        return Err(err(
            Some(Field::Did),
            RowProblem::BadDid { value: shown(d) },
        ));
    }
    Ok(Student {
        row: row.line,
        name,
        name_zh,
        email,
        student_id,
        did,
    })
}

/// Why a roster file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RosterError {
    /// The file is not a readable CSV.
    Csv(CsvError),
    /// The columns do not give a name and an identifier.
    Map(MapError),
}

impl fmt::Display for RosterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterError::Csv(e) => e.fmt(f),
            RosterError::Map(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RosterError {}

/// [`parse_csv`], then [`validate`] with `map` (or [`ColumnMap::guess`]).
pub fn read(
    bytes: &[u8],
    map: Option<&ColumnMap>,
    limits: &RosterLimits,
) -> Result<Roster, RosterError> {
    let csv = parse_csv(bytes, limits).map_err(RosterError::Csv)?;
    let map = map
        .copied()
        .unwrap_or_else(|| ColumnMap::guess(&csv.header));
    validate(&csv, &map).map_err(RosterError::Map)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn csv(text: &str) -> Csv {
        parse_csv(text.as_bytes(), &RosterLimits::default()).unwrap()
    }

    #[test]
    fn rfc4180_quotes_and_line_numbers() {
        let c = csv("name,email\r\n\"Chan, Tai Man\",a@b.hk\r\n\"Line\nbreak\",\"q\"\"uote\"\r\n\r\nlast,x@y.hk");
        assert_eq!(c.header, ["name", "email"]);
        assert_eq!(c.rows[0].fields, ["Chan, Tai Man", "a@b.hk"]);
        assert_eq!(c.rows[0].line, 2);
        assert_eq!(c.rows[1].fields, ["Line\nbreak", "q\"uote"]);
        assert_eq!(c.rows[1].line, 3);
        assert_eq!(c.rows[2].line, 6);
        assert_eq!(c.rows.len(), 3);
    }

    #[test]
    fn bom_tabs_and_empty_quoted_fields() {
        let c = parse_csv(
            "\u{feff}姓名\t電郵\n陳大文\t\"\"\n".as_bytes(),
            &RosterLimits::default(),
        )
        .unwrap();
        assert!(c.had_bom);
        assert_eq!(c.delimiter, '\t');
        assert_eq!(c.rows[0].fields, ["陳大文", ""]);
    }

    #[test]
    fn structural_errors() {
        let lim = RosterLimits::default();
        assert_eq!(
            parse_csv(b"name\n\"open", &lim),
            Err(CsvError::UnterminatedQuote { line: 2 })
        );
        assert_eq!(
            parse_csv(b"name\n\"a\"b", &lim),
            Err(CsvError::TextAfterQuote { line: 2 })
        );
        assert_eq!(parse_csv(b"\n \n", &lim), Err(CsvError::Empty));
        let small = RosterLimits { max_rows: 1, ..lim };
        assert_eq!(
            parse_csv(b"n\na\nb\n", &small),
            Err(CsvError::TooManyRows { max: 1 })
        );
    }

    #[test]
    fn workbooks_are_told_from_text() {
        // The first bytes of an .xlsx (a ZIP file) and of an .xls (OLE2).
        for start in [
            &b"PK\x03\x04\x14\x00\x06\x00"[..],
            &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1][..],
        ] {
            assert_eq!(
                parse_csv(start, &RosterLimits::default()),
                Err(CsvError::Workbook)
            );
        }
        // A CSV that starts with the letters "PK" is still a CSV.
        assert!(parse_csv(
            b"PK,name
1,a
",
            &RosterLimits::default()
        )
        .is_ok());
    }

    #[test]
    fn legacy_encodings_are_named() {
        // 陳大文 in Big5: B3AF A46A A4E5.
        let big5 = b"name,email\n\xb3\xaf\xa4\x6a\xa4\xe5,a@b.hk\n";
        assert_eq!(
            parse_csv(big5, &RosterLimits::default()),
            Err(CsvError::NotUtf8 {
                likely_encoding: LikelyEncoding::Big5,
                line: 2
            })
        );
        assert!(matches!(
            parse_csv(b"\xff\xfen\x00", &RosterLimits::default()),
            Err(CsvError::NotUtf8 {
                likely_encoding: LikelyEncoding::Utf16,
                ..
            })
        ));
        assert!(matches!(
            parse_csv(b"name\nJos\xe9\n", &RosterLimits::default()),
            Err(CsvError::NotUtf8 {
                likely_encoding: LikelyEncoding::SingleByte,
                ..
            })
        ));
    }

    #[test]
    fn headers_in_english_and_chinese() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let m = ColumnMap::guess(&h(&["姓名", "電郵", "學生編號"]));
        assert_eq!(
            m,
            ColumnMap {
                name: Some(0),
                name_zh: None,
                email: Some(1),
                student_id: Some(2),
                did: None
            }
        );
        let m = ColumnMap::guess(&h(&[
            "English Name",
            "姓名",
            "E-mail Address",
            "Student No.",
            "DID",
        ]));
        assert_eq!(m.name, Some(0));
        assert_eq!(m.name_zh, Some(1));
        assert_eq!(m.email, Some(2));
        assert_eq!(m.student_id, Some(3));
        assert_eq!(m.did, Some(4));
        assert_eq!(
            ColumnMap::guess(&h(&["class", "email"])).check(2),
            Err(MapError::NoNameColumn)
        );
        assert_eq!(
            ColumnMap::guess(&h(&["name", "class"])).check(2),
            Err(MapError::NoIdentifierColumn)
        );
    }

    #[test]
    fn rows_are_checked_one_by_one() {
        let c = csv("name,email,student_id\n\
                     Chan Tai Man,chan@school.hk,S001\n\
                     ,x@school.hk,S002\n\
                     Wong,not-an-email,S003\n\
                     Lee,CHAN@school.hk,S004\n\
                     Ho,,s001\n\
                     Ng,,\n\
                     Yip,yip@school.hk,S007,extra\n\
                     Lam,lam@school.hk,S008,\n");
        let r = validate(&c, &ColumnMap::guess(&c.header)).unwrap();
        let names: Vec<&str> = r.students.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Chan Tai Man", "Lam"]);
        let reasons: Vec<(usize, RowProblem)> = r
            .errors
            .iter()
            .map(|e| (e.row, e.problem.clone()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (3, RowProblem::MissingName),
                (
                    4,
                    RowProblem::BadEmail {
                        value: "not-an-email".into()
                    }
                ),
                (5, RowProblem::DuplicateEmail { first_row: 2 }),
                (6, RowProblem::DuplicateStudentId { first_row: 2 }),
                (7, RowProblem::MissingIdentifier),
                (
                    8,
                    RowProblem::TooManyFields {
                        expected: 3,
                        found: 4
                    }
                ),
            ]
        );
        let json = serde_json::to_value(&r.errors[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"row": 3, "field": "name", "reason": "missing_name"})
        );
    }

    #[test]
    fn emails() {
        for ok in ["a@b.hk", "chan.tai-man+x@mail.school.edu.hk"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "a@b",
            "a@@b.hk",
            "@b.hk",
            "a b@c.hk",
            "a@-b.hk",
            "a@b.h1",
            "a..b@c.hk",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
