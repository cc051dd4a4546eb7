//! CIs and relations as CSV: the columns an export writes and an import reads, how a file
//! is split into rows and into batches, and what an import reports row by row.

use serde::{Deserialize, Serialize};

/// The fields every CI has, as the first columns of a CI file; attribute columns follow,
/// named by their keys.
pub const CI_COLUMNS: [&str; 7] =
    ["class", "name", "status", "criticality", "location", "owner", "support_group"];
/// The columns of a relations file; a class column is needed only when two CIs share a name.
pub const RELATION_COLUMNS: [&str; 5] = ["from_class", "from", "kind", "to_class", "to"];
/// How many rows the browser sends in one request; each batch is checked, and saved, whole.
pub const BATCH_ROWS: usize = 1_000;
/// The largest batch the server reads, in bytes.
pub const BATCH_BYTES_MAX: usize = 2 * 1024 * 1024;
/// The most problems one batch reports; the count of failed rows is always whole.
pub const PROBLEMS_MAX: usize = 200;

/// A CI as an export writes it: codes, the owner's e-mail address and the group's name, as
/// an import reads them back.
#[derive(Clone, Debug, PartialEq)]
pub struct CiExport {
    pub id: super::ids::CiId,
    pub class_code: String,
    pub name: String,
    pub status: super::cmdb::CiStatus,
    pub criticality: super::cmdb::Criticality,
    pub location: String,
    pub owner_email: Option<String>,
    pub support_group: Option<String>,
    pub attributes: super::form::Answers,
}

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Cis,
    Relations,
}

impl ImportKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "cis" => Some(ImportKind::Cis),
            "relations" => Some(ImportKind::Relations),
            _ => None,
        }
    }
}

/// What is wrong with one row: `row` counts the file's rows after its header, from 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// What an import found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed_rows: usize,
    pub problems: Vec<RowProblem>,
    /// The valid rows were written; otherwise this was a check and nothing changed.
    pub saved: bool,
}

impl ImportReport {
    /// Adds a later batch's figures to these.
    pub fn absorb(&mut self, batch: ImportReport) {
        self.rows += batch.rows;
        self.created += batch.created;
        self.updated += batch.updated;
        self.unchanged += batch.unchanged;
        self.failed_rows += batch.failed_rows;
        let room = (PROBLEMS_MAX * 5).saturating_sub(self.problems.len());
        self.problems.extend(batch.problems.into_iter().take(room));
        self.saved |= batch.saved;
    }
}

/// The file's records (its header first), each as its text: a line break inside quotes
/// stays in its record; blank lines are dropped.
pub fn records(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out.into_iter().map(|r| r.strip_suffix('\r').unwrap_or(r)).filter(|r| !r.trim().is_empty()).collect()
}

/// The file in batches of at most `rows` rows, each with the header first, and the number of
/// rows before each batch.
pub fn batches(text: &str, rows: usize) -> Vec<(usize, String)> {
    let all = records(text);
    let Some((header, body)) = all.split_first() else { return Vec::new() };
    body.chunks(rows.max(1))
        .enumerate()
        .map(|(n, chunk)| {
            let mut batch =
                String::with_capacity(header.len() + chunk.iter().map(|r| r.len() + 1).sum::<usize>());
            batch.push_str(header);
            for row in chunk {
                batch.push('\n');
                batch.push_str(row);
            }
            (n * rows.max(1), batch)
        })
        .collect()
}

/// One CSV cell: quoted when it holds a comma, quote or line break; defused with a leading
/// `'` when a spreadsheet would run it as a formula.
pub fn cell(text: &str) -> String {
    let text =
        if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// A cell's value as an import reads it: trimmed, with the defusing `'` of an export taken off.
pub fn uncell(text: &str) -> &str {
    let text = text.trim();
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_line_breaks_inside_quotes_and_drop_blank_lines() {
        let text = "\u{feff}class,name\r\nlaptop,\"LT-1\nsecond line\"\r\n\r\nserver,\"a \"\"b\"\"\"\n";
        assert_eq!(records(text), ["class,name", "laptop,\"LT-1\nsecond line\"", "server,\"a \"\"b\"\"\""]);
    }

    #[test]
    fn batches_repeat_the_header_and_count_the_rows_before_them() {
        let text = "h\n1\n2\n3\n4\n5";
        assert_eq!(
            batches(text, 2),
            [(0, "h\n1\n2".to_owned()), (2, "h\n3\n4".to_owned()), (4, "h\n5".to_owned())]
        );
        assert!(batches("h\n", 2).is_empty());
        assert!(batches("", 2).is_empty());
    }

    #[test]
    fn an_exported_cell_reads_back_as_it_was() {
        for value in ["plain", "a, b", "say \"hi\"", "=SUM(A1)", "-5", "'quoted'"] {
            let written = cell(value);
            let read = if written.starts_with('"') {
                written[1..written.len() - 1].replace("\"\"", "\"")
            } else {
                written.clone()
            };
            assert_eq!(uncell(&read), value, "{written}");
        }
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn later_batches_add_up() {
        let mut report = ImportReport { rows: 2, created: 2, ..ImportReport::default() };
        report.absorb(ImportReport {
            rows: 3,
            updated: 1,
            failed_rows: 2,
            problems: vec![RowProblem { row: 4, column: "name".into(), message: "x".into() }],
            ..ImportReport::default()
        });
        assert_eq!((report.rows, report.created, report.updated, report.failed_rows), (5, 2, 1, 2));
        assert_eq!(report.problems.len(), 1);
    }
}
