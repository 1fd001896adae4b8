//! Handing certificates out to a class: which certificates (all, or one
//! batch), and the mail-merge CSV of name, e-mail and verify link. Pure:
//! the links are made by the caller (they depend on where the desk is
//! served), the download is the page's.

use crate::state::teach::IssuedRecord;

/// Which of the issued certificates to hand out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every certificate issued from this browser.
    All,
    /// One class batch (its id).
    Batch(String),
}

impl Selection {
    /// The route parameter for the print views (`all` or the batch id).
    pub fn param(&self) -> String {
        match self {
            Selection::All => "all".to_owned(),
            Selection::Batch(b) => b.clone(),
        }
    }

    /// The selection a print route names.
    pub fn from_param(p: &str) -> Selection {
        if p == "all" {
            Selection::All
        } else {
            Selection::Batch(p.to_owned())
        }
    }

    /// Whether `r` is in it.
    pub fn holds(&self, r: &IssuedRecord) -> bool {
        match self {
            Selection::All => true,
            Selection::Batch(b) => r.batch.as_deref() == Some(b.as_str()),
        }
    }
}

/// One CSV cell: quoted when it holds a comma, a quote or a line break,
/// and, when it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return, prefixed with `'` so that a spreadsheet shows it as text and
/// never runs it as a formula (CSV injection: OWASP's advice).
pub fn csv_cell(value: &str) -> String {
    let mut v = String::with_capacity(value.len() + 2);
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.push('\'');
    }
    v.push_str(value);
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The mail-merge file: a header row (`headers`, in the desk's language)
/// and one row per record (name, e-mail, programme, link), lines ended by
/// CRLF, with a byte-order mark so that Excel reads Chinese names as
/// UTF-8.
pub fn mail_merge_csv(headers: [&str; 4], rows: &[(String, String, String, String)]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: [&str; 4]| {
        cells
            .iter()
            .map(|c| csv_cell(c))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out.push_str(&line(headers));
    for (name, email, programme, link) in rows {
        out.push_str(&line([name, email, programme, link]));
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn formulas_are_shown_as_text_and_separators_quoted() {
        assert_eq!(csv_cell("Chan Tai Man"), "Chan Tai Man");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_cell("+852 1234"), "'+852 1234");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("Lee, Ka Yan"), "\"Lee, Ka Yan\"");
        assert_eq!(csv_cell("a\nb"), "\"a\nb\"");
        assert_eq!(csv_cell("陳大文"), "陳大文");
        // Not at the start: left alone.
        assert_eq!(csv_cell("a=b"), "a=b");
    }

    #[test]
    fn the_file_has_a_bom_a_header_and_crlf_rows() {
        let csv = mail_merge_csv(
            ["Name", "E-mail", "Programme", "Link"],
            &[(
                "陳大文".into(),
                "tai.man@student.example.edu.hk".into(),
                "STEM Internship Scheme".into(),
                "https://s.example/cc/#/verify?vc=C1.ABC".into(),
            )],
        );
        assert_eq!(
            csv,
            "\u{feff}Name,E-mail,Programme,Link\r\n陳大文,tai.man@student.example.edu.hk,STEM Internship Scheme,https://s.example/cc/#/verify?vc=C1.ABC\r\n"
        );
    }

    #[test]
    fn a_selection_names_its_records_and_round_trips_as_a_parameter() {
        for s in [
            Selection::All,
            Selection::Batch("batch-20261207T0123".into()),
        ] {
            assert_eq!(Selection::from_param(&s.param()), s);
        }
    }
}
