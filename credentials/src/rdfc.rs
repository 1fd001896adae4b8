//! RDF Dataset Canonicalization (W3C RDFC-1.0) with SHA-256, and the
//! canonical N-Quads it produces: the transformation step of the
//! `eddsa-rdfc-2022` cryptosuite (issue #17; the JSON-LD to RDF step that
//! feeds it is separate).
//!
//! Canonicalization is bounded before the work is spent: a dataset with more
//! than [`Budget::quads`] quads, or whose blank nodes need more than
//! [`Budget::steps`] steps of the N-degree hashing (the "poison graphs" of
//! RDFC-1.0 §4.4 and §7), is refused with [`RdfcError::TooComplex`] instead
//! of running for minutes in a student's browser.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// `xsd:string`, the datatype a plain literal has.
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// `rdf:langString`, the datatype of a language-tagged literal.
pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// An RDF term.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// An IRI.
    Iri(String),
    /// A blank node, by its label (without `_:`).
    Blank(String),
    /// A literal.
    Literal {
        /// The lexical form.
        value: String,
        /// The datatype IRI ([`XSD_STRING`] for a plain string,
        /// [`RDF_LANG_STRING`] with a language).
        datatype: String,
        /// The language tag, if any.
        language: Option<String>,
    },
}

impl Term {
    fn blank(&self) -> Option<&str> {
        match self {
            Term::Blank(b) => Some(b),
            _ => None,
        }
    }
}

/// A quad; `graph` `None` is the default graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    /// Subject (IRI or blank node).
    pub subject: Term,
    /// Predicate IRI.
    pub predicate: String,
    /// Object.
    pub object: Term,
    /// Graph name (IRI or blank node), `None` for the default graph.
    pub graph: Option<Term>,
}

/// Why a dataset was not canonicalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RdfcError {
    /// More quads, or more hashing work, than the budget allows.
    TooComplex {
        /// What ran out: `"quads"` or `"steps"`.
        limit: &'static str,
    },
    /// N-Quads text that is not a quad per line (for [`parse_nquads`]).
    Syntax {
        /// The 1-based line.
        line: usize,
    },
}

/// Bounds on the work of one canonicalization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Most quads accepted.
    pub quads: usize,
    /// Most steps of N-degree hashing (each related blank node visited in a
    /// permutation, and each recursion, counts one).
    pub steps: u64,
}

impl Default for Budget {
    /// Far above any certificate (a few dozen quads, a handful of blank
    /// nodes, a few hundred steps); a poison graph exhausts it in
    /// milliseconds.
    fn default() -> Self {
        Budget {
            quads: 10_000,
            steps: 100_000,
        }
    }
}

fn escape_literal(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

fn write_term(t: &Term, out: &mut String, blank: &dyn Fn(&str) -> String) {
    match t {
        Term::Iri(i) => {
            out.push('<');
            out.push_str(i);
            out.push('>');
        }
        Term::Blank(b) => {
            out.push_str("_:");
            out.push_str(&blank(b));
        }
        Term::Literal {
            value,
            datatype,
            language,
        } => {
            out.push('"');
            escape_literal(value, out);
            out.push('"');
            match language {
                Some(lang) => {
                    out.push('@');
                    out.push_str(lang);
                }
                None if datatype != XSD_STRING => {
                    out.push_str("^^<");
                    out.push_str(datatype);
                    out.push('>');
                }
                None => {}
            }
        }
    }
}

/// One quad as a canonical N-Quads line (with its `\n`), blank node labels
/// mapped by `blank`.
fn line(q: &Quad, blank: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    write_term(&q.subject, &mut out, blank);
    out.push_str(" <");
    out.push_str(&q.predicate);
    out.push_str("> ");
    write_term(&q.object, &mut out, blank);
    if let Some(g) = &q.graph {
        out.push(' ');
        write_term(g, &mut out, blank);
    }
    out.push_str(" .\n");
    out
}

fn hex_sha256(data: &str) -> String {
    Sha256::digest(data.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Issues identifiers (`c14n0`, `c14n1`, … or `b0`, …) in order.
#[derive(Debug, Clone, Default)]
struct Issuer {
    prefix: &'static str,
    issued: HashMap<String, String>,
    order: Vec<String>,
}

impl Issuer {
    fn new(prefix: &'static str) -> Self {
        Issuer {
            prefix,
            ..Issuer::default()
        }
    }

    fn issue(&mut self, existing: &str) -> String {
        if let Some(id) = self.issued.get(existing) {
            return id.clone();
        }
        let id = format!("{}{}", self.prefix, self.order.len());
        self.issued.insert(existing.to_owned(), id.clone());
        self.order.push(existing.to_owned());
        id
    }

    fn get(&self, existing: &str) -> Option<&String> {
        self.issued.get(existing)
    }
}

struct State<'a> {
    quads_of: HashMap<&'a str, Vec<&'a Quad>>,
    canonical: Issuer,
    first_degree: HashMap<&'a str, String>,
    steps: u64,
    budget: Budget,
}

impl<'a> State<'a> {
    fn spend(&mut self) -> Result<(), RdfcError> {
        self.steps += 1;
        if self.steps > self.budget.steps {
            Err(RdfcError::TooComplex { limit: "steps" })
        } else {
            Ok(())
        }
    }

    /// RDFC-1.0 §4.6: Hash First Degree Quads.
    fn hash_first_degree(&mut self, node: &'a str) -> String {
        if let Some(h) = self.first_degree.get(node) {
            return h.clone();
        }
        let mut lines: Vec<String> = self
            .quads_of
            .get(node)
            .into_iter()
            .flatten()
            .map(|q| {
                line(q, &|b| {
                    if b == node {
                        "a".to_owned()
                    } else {
                        "z".to_owned()
                    }
                })
            })
            .collect();
        lines.sort();
        let h = hex_sha256(&lines.concat());
        self.first_degree.insert(node, h.clone());
        h
    }

    /// RDFC-1.0 §4.7: Hash Related Blank Node.
    fn hash_related(
        &mut self,
        related: &'a str,
        quad: &Quad,
        issuer: &Issuer,
        position: &str,
    ) -> String {
        let id = match self.canonical.get(related).or_else(|| issuer.get(related)) {
            Some(id) => format!("_:{id}"),
            None => self.hash_first_degree(related),
        };
        let mut input = position.to_owned();
        if position != "g" {
            input.push('<');
            input.push_str(&quad.predicate);
            input.push('>');
        }
        input.push_str(&id);
        hex_sha256(&input)
    }

    /// RDFC-1.0 §4.8: Hash N-Degree Quads.
    fn hash_n_degree(
        &mut self,
        node: &'a str,
        mut issuer: Issuer,
    ) -> Result<(String, Issuer), RdfcError> {
        self.spend()?;
        let mut related_by_hash: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
        let quads: Vec<&'a Quad> = self.quads_of.get(node).cloned().unwrap_or_default();
        for q in quads {
            for (term, position) in [
                (Some(&q.subject), "s"),
                (Some(&q.object), "o"),
                (q.graph.as_ref(), "g"),
            ] {
                let Some(related) = term.and_then(Term::blank) else {
                    continue;
                };
                if related == node {
                    continue;
                }
                let h = self.hash_related(related, q, &issuer, position);
                let list = related_by_hash.entry(h).or_default();
                if !list.contains(&related) {
                    list.push(related);
                }
            }
        }
        let mut data = String::new();
        for (hash, related) in related_by_hash {
            data.push_str(&hash);
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer> = None;
            let mut order: Vec<&'a str> = related;
            order.sort_unstable();
            let mut first = true;
            // Every permutation of the related nodes, in lexicographic order
            // from the sorted one.
            while first || next_permutation(&mut order) {
                first = false;
                let mut copy = issuer.clone();
                let mut path = String::new();
                let mut recursion: Vec<&'a str> = Vec::new();
                let mut skip = false;
                for &r in &order {
                    self.spend()?;
                    match self.canonical.get(r) {
                        Some(id) => {
                            path.push_str("_:");
                            path.push_str(id);
                        }
                        None => {
                            if copy.get(r).is_none() {
                                recursion.push(r);
                            }
                            path.push_str("_:");
                            path.push_str(&copy.issue(r));
                        }
                    }
                    if worse(&path, &chosen_path) {
                        skip = true;
                        break;
                    }
                }
                if skip {
                    continue;
                }
                for r in recursion {
                    let (result_hash, result_issuer) = self.hash_n_degree(r, copy.clone())?;
                    path.push_str("_:");
                    path.push_str(&copy.issue(r));
                    path.push('<');
                    path.push_str(&result_hash);
                    path.push('>');
                    copy = result_issuer;
                    if worse(&path, &chosen_path) {
                        skip = true;
                        break;
                    }
                }
                if skip {
                    continue;
                }
                if chosen_path.is_empty() || path < chosen_path {
                    chosen_path = path;
                    chosen_issuer = Some(copy);
                }
            }
            data.push_str(&chosen_path);
            if let Some(i) = chosen_issuer {
                issuer = i;
            }
        }
        Ok((hex_sha256(&data), issuer))
    }
}

/// RDFC-1.0 §4.8.3 steps 5.4.4.3 and 5.4.5.5: a path that can no longer
/// beat the chosen one (longer or as long, and greater).
fn worse(path: &str, chosen: &str) -> bool {
    !chosen.is_empty() && path.len() >= chosen.len() && path > chosen
}

/// The next permutation in lexicographic order; false after the last.
fn next_permutation<T: Ord>(v: &mut [T]) -> bool {
    let Some(i) = v.windows(2).rposition(|w| matches!(w, [a, b] if a < b)) else {
        return false;
    };
    let Some(j) = v.get(i).and_then(|pivot| v.iter().rposition(|x| x > pivot)) else {
        return false;
    };
    v.swap(i, j);
    if let Some(tail) = v.get_mut(i + 1..) {
        tail.reverse();
    }
    true
}

/// The canonical N-Quads of `quads` (RDFC-1.0 with SHA-256): every blank
/// node relabelled `c14n<n>`, one line per distinct quad, sorted, each
/// ending in `\n`.
pub fn canonicalize(quads: &[Quad], budget: Budget) -> Result<String, RdfcError> {
    if quads.len() > budget.quads {
        return Err(RdfcError::TooComplex { limit: "quads" });
    }
    let mut state = State {
        quads_of: HashMap::new(),
        canonical: Issuer::new("c14n"),
        first_degree: HashMap::new(),
        steps: 0,
        budget,
    };
    // The input is a dataset, a set: a quad given twice (JSON-LD's
    // `"name": ["A", "A"]`) counts once, also in the blank nodes' hashes.
    let mut seen = HashSet::with_capacity(quads.len());
    let quads: Vec<&Quad> = quads.iter().filter(|q| seen.insert(*q)).collect();
    for q in quads.iter().copied() {
        for term in [Some(&q.subject), Some(&q.object), q.graph.as_ref()]
            .into_iter()
            .flatten()
        {
            if let Some(b) = term.blank() {
                let list = state.quads_of.entry(b).or_default();
                // A quad naming `b` twice (subject and object) is listed
                // once; its terms are visited one after the other.
                if !list.last().is_some_and(|x| std::ptr::eq(*x, q)) {
                    list.push(q);
                }
            }
        }
    }
    // §4.4 steps 3–5: hash first degree quads, issue unique hashes.
    let mut nodes: Vec<&str> = state.quads_of.keys().copied().collect();
    nodes.sort_unstable();
    let mut by_hash: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in nodes {
        let h = state.hash_first_degree(n);
        by_hash.entry(h).or_default().push(n);
    }
    let mut shared: Vec<Vec<&str>> = Vec::new();
    for (_, list) in by_hash {
        if list.len() == 1 {
            for n in list {
                state.canonical.issue(n);
            }
        } else {
            shared.push(list);
        }
    }
    // Step 6: blank nodes sharing a first-degree hash, by N-degree hash.
    for list in shared {
        let mut results: Vec<(String, Issuer)> = Vec::new();
        for n in list {
            if state.canonical.get(n).is_some() {
                continue;
            }
            let mut temporary = Issuer::new("b");
            temporary.issue(n);
            results.push(state.hash_n_degree(n, temporary)?);
        }
        results.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, issuer) in results {
            for existing in issuer.order {
                state.canonical.issue(&existing);
            }
        }
    }
    let canonical = &state.canonical;
    let mut lines: Vec<String> = quads
        .iter()
        .map(|q| {
            line(q, &|b| {
                canonical.get(b).cloned().unwrap_or_else(|| b.to_owned())
            })
        })
        .collect();
    lines.sort();
    lines.dedup();
    Ok(lines.concat())
}

/// Parses N-Quads (one quad per line; IRIs, blank nodes, literals with
/// escapes, datatypes and language tags), for tests and vectors.
pub fn parse_nquads(text: &str) -> Result<Vec<Quad>, RdfcError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let bad = || RdfcError::Syntax { line: i + 1 };
        let mut p = Parser { s: l, i: 0 };
        let subject = p.term().ok_or_else(bad)?;
        let Term::Iri(predicate) = p.term().ok_or_else(bad)? else {
            return Err(bad());
        };
        let object = p.term().ok_or_else(bad)?;
        p.space();
        let graph = if p.rest().starts_with('.') {
            None
        } else {
            Some(p.term().ok_or_else(bad)?)
        };
        p.space();
        if p.rest() != "." {
            return Err(bad());
        }
        out.push(Quad {
            subject,
            predicate,
            object,
            graph,
        });
    }
    Ok(out)
}

/// An IRI's `\uXXXX` and `\UXXXXXXXX` escapes decoded.
fn unescape_iri(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let n = match chars.next()? {
            'u' => 4,
            'U' => 8,
            _ => return None,
        };
        let hex: String = chars.by_ref().take(n).collect();
        if hex.len() != n {
            return None;
        }
        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
    }
    Some(out)
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.s.get(self.i..).unwrap_or("")
    }

    fn space(&mut self) {
        let r = self.rest();
        self.i += r.len() - r.trim_start().len();
    }

    fn term(&mut self) -> Option<Term> {
        self.space();
        let r = self.rest();
        if let Some(body) = r.strip_prefix('<') {
            let end = body.find('>')?;
            self.i += end + 2;
            return Some(Term::Iri(unescape_iri(body.get(..end)?)?));
        }
        if let Some(body) = r.strip_prefix("_:") {
            let end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
            self.i += end + 2;
            return Some(Term::Blank(body.get(..end)?.to_owned()));
        }
        let body = r.strip_prefix('"')?;
        let mut value = String::new();
        let mut chars = body.char_indices();
        let end = loop {
            let (at, c) = chars.next()?;
            match c {
                '"' => break at,
                '\\' => {
                    let (_, e) = chars.next()?;
                    match e {
                        't' => value.push('\t'),
                        'b' => value.push('\u{8}'),
                        'n' => value.push('\n'),
                        'r' => value.push('\r'),
                        'f' => value.push('\u{c}'),
                        '"' => value.push('"'),
                        '\'' => value.push('\''),
                        '\\' => value.push('\\'),
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let hex: String =
                                (0..n).filter_map(|_| chars.next().map(|x| x.1)).collect();
                            value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        _ => return None,
                    }
                }
                c => value.push(c),
            }
        };
        self.i += end + 2;
        let r = self.rest();
        if let Some(tail) = r.strip_prefix("^^<") {
            let close = tail.find('>')?;
            self.i += close + 4;
            return Some(Term::Literal {
                value,
                datatype: unescape_iri(tail.get(..close)?)?,
                language: None,
            });
        }
        if let Some(tail) = r.strip_prefix('@') {
            let end = tail.find(|c: char| c.is_whitespace()).unwrap_or(tail.len());
            self.i += end + 1;
            return Some(Term::Literal {
                value,
                datatype: RDF_LANG_STRING.to_owned(),
                language: Some(tail.get(..end)?.to_owned()),
            });
        }
        Some(Term::Literal {
            value,
            datatype: XSD_STRING.to_owned(),
            language: None,
        })
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    /// Relabels every blank node and reverses the order: canonicalization
    /// must not depend on either.
    fn scrambled(quads: &[Quad]) -> Vec<Quad> {
        let relabel = |t: &Term| match t {
            Term::Blank(b) => Term::Blank(format!(
                "x{}y",
                b.len() * 7 + b.bytes().map(usize::from).sum::<usize>()
            )),
            other => other.clone(),
        };
        quads
            .iter()
            .rev()
            .map(|q| Quad {
                subject: relabel(&q.subject),
                predicate: q.predicate.clone(),
                object: relabel(&q.object),
                graph: q.graph.as_ref().map(relabel),
            })
            .collect()
    }

    #[test]
    fn a_quad_given_twice_counts_once() {
        // Two blank nodes told apart only by their first-degree hashes: a
        // duplicate quad must not change those hashes, so not the labels.
        for i in 0..16 {
            let once = parse_nquads(&format!(
                "_:a <http://ex/p> \"v{i}\" .\n_:b <http://ex/p> \"w{i}\" .\n_:a <http://ex/q> _:b .\n"
            ))
            .unwrap();
            let mut twice = once.clone();
            twice.push(once[0].clone());
            assert_eq!(
                canonicalize(&twice, Budget::default()).unwrap(),
                canonicalize(&once, Budget::default()).unwrap(),
                "{i}"
            );
        }
    }

    #[test]
    fn the_published_canonical_forms_are_reproduced() {
        // W3C vc-di-eddsa (no blank nodes) and the 1EdTech Open Badges 3.0
        // vector (blank nodes for the achievement, criteria, subject, …).
        for text in [
            include_str!("../tests/data/eddsa-rdfc-2022/canonDocDataInt.txt"),
            include_str!("../tests/data/openbadges3/1edtech-eddsa-rdfc-2022/document-canon.txt"),
            include_str!("../tests/data/openbadges3/1edtech-eddsa-rdfc-2022/proof-canon.txt"),
            include_str!("../tests/data/eddsa-rdfc-2022/proofCanonDataInt.txt"),
        ] {
            let quads = parse_nquads(text).unwrap();
            assert!(!quads.is_empty());
            let expected = format!("{}\n", text.trim_end());
            assert_eq!(canonicalize(&quads, Budget::default()).unwrap(), expected);
            assert_eq!(
                canonicalize(&scrambled(&quads), Budget::default()).unwrap(),
                expected
            );
        }
    }

    #[test]
    fn blank_nodes_that_look_alike_are_told_apart_by_their_neighbours() {
        // A cycle of three nodes (RDFC-1.0 example: every first-degree hash
        // is the same; the N-degree hashes decide).
        let text = "_:e0 <http://example.org/vocab#next> _:e1 _:g .\n\
                    _:e0 <http://example.org/vocab#prev> _:e2 _:g .\n\
                    _:e1 <http://example.org/vocab#next> _:e2 _:g .\n\
                    _:e1 <http://example.org/vocab#prev> _:e0 _:g .\n\
                    _:e2 <http://example.org/vocab#next> _:e0 _:g .\n\
                    _:e2 <http://example.org/vocab#prev> _:e1 _:g .\n\
                    <urn:ex:s> <urn:ex:p> \"\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u0022\\u005c\\u007f\" _:g .\n";
        let quads = parse_nquads(text).unwrap();
        let out = canonicalize(&quads, Budget::default()).unwrap();
        assert!(out.contains(
            "<urn:ex:s> <urn:ex:p> \"\\b\\t\\n\\u000B\\f\\r\\\"\\\\\\u007F\" _:c14n0 .\n"
        ));
        assert_eq!(out.lines().count(), 7);
        assert_eq!(
            out,
            canonicalize(&scrambled(&quads), Budget::default()).unwrap()
        );
    }

    #[test]
    fn a_poison_graph_is_refused_quickly() {
        // Ten blank nodes, every one linked to every other with the same
        // predicate: all first-degree hashes equal and the permutations
        // explode (10! per level).
        let mut text = String::new();
        for a in 0..10 {
            for b in 0..10 {
                if a != b {
                    text.push_str(&format!("_:n{a} <urn:p> _:n{b} .\n"));
                }
            }
        }
        let quads = parse_nquads(&text).unwrap();
        // Refused once the step budget is spent (about 0.1 s natively; the
        // W3C rdf-canon suite's 10-node clique, test074, likewise).
        assert_eq!(
            canonicalize(&quads, Budget::default()),
            Err(RdfcError::TooComplex { limit: "steps" })
        );
        let many: Vec<Quad> = (0..20_000)
            .map(|i| Quad {
                subject: Term::Iri(format!("urn:s{i}")),
                predicate: "urn:p".into(),
                object: Term::Iri("urn:o".into()),
                graph: None,
            })
            .collect();
        assert_eq!(
            canonicalize(&many, Budget::default()),
            Err(RdfcError::TooComplex { limit: "quads" })
        );
    }
}
