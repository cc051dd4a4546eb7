//! Files on a record: which kinds are taken, how a file proves it is what its name says,
//! and the limit on size. The bytes are stored by their SHA-256 and always served as a
//! download with the type decided here, never the one the browser sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// 25 MB, unless the portal is started with another limit.
pub const DEFAULT_MAX_BYTES: u64 = 25 * 1024 * 1024;
pub const FILE_NAME_MAX: usize = 255;
/// At most this many files in one upload.
pub const FILES_PER_UPLOAD: usize = 10;

/// A kind of file the portal takes: its extensions, the type it is served as, and the
/// bytes it must start with (none for text, which must be UTF-8 instead).
struct Kind {
    extensions: &'static [&'static str],
    content_type: &'static str,
    magic: Option<&'static [&'static [u8]]>,
}

const ZIP: &[&[u8]] = &[b"PK\x03\x04", b"PK\x05\x06"];
const OLE: &[&[u8]] = &[b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"];

const KINDS: &[Kind] = &[
    Kind { extensions: &["png"], content_type: "image/png", magic: Some(&[b"\x89PNG\r\n\x1a\n"]) },
    Kind { extensions: &["jpg", "jpeg"], content_type: "image/jpeg", magic: Some(&[b"\xFF\xD8\xFF"]) },
    Kind { extensions: &["gif"], content_type: "image/gif", magic: Some(&[b"GIF87a", b"GIF89a"]) },
    Kind { extensions: &["webp"], content_type: "image/webp", magic: Some(&[b"RIFF"]) },
    Kind { extensions: &["pdf"], content_type: "application/pdf", magic: Some(&[b"%PDF-"]) },
    Kind { extensions: &["txt", "log", "md"], content_type: "text/plain; charset=utf-8", magic: None },
    Kind { extensions: &["csv"], content_type: "text/csv; charset=utf-8", magic: None },
    Kind { extensions: &["json"], content_type: "application/json", magic: None },
    Kind { extensions: &["eml"], content_type: "message/rfc822", magic: None },
    Kind { extensions: &["zip"], content_type: "application/zip", magic: Some(ZIP) },
    Kind {
        extensions: &["docx"],
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        magic: Some(ZIP),
    },
    Kind {
        extensions: &["xlsx"],
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        magic: Some(ZIP),
    },
    Kind {
        extensions: &["pptx"],
        content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        magic: Some(ZIP),
    },
    Kind { extensions: &["doc", "xls", "msg"], content_type: "application/octet-stream", magic: Some(OLE) },
];

/// The extensions the portal takes, for the form's `accept` and its hint.
pub fn accepted_extensions() -> Vec<&'static str> {
    KINDS.iter().flat_map(|k| k.extensions.iter().copied()).collect()
}

/// Why a file was refused, as its uploader reads it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("Choose a file to attach.")]
    Empty,
    #[error("{name} is larger than {limit}; attach a smaller file.")]
    TooLarge { name: String, limit: String },
    #[error("{name} is a kind of file the portal doesn't take. It takes {accepted}.")]
    Kind { name: String, accepted: String },
    #[error("{name} doesn't look like a .{extension} file; it may be damaged or renamed.")]
    Mismatch { name: String, extension: String },
    #[error("Give the file a shorter name (at most 255 characters).")]
    NameTooLong,
    #[error("Attach at most 10 files at a time.")]
    TooMany,
}

/// The name a file is kept under: its last path part (browsers on Windows may send the
/// whole path), without control characters or quotes.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars().filter(|c| !c.is_control() && *c != '"').collect::<String>().trim().to_owned()
}

/// Decides whether a file may be attached from its name, its size and its first bytes,
/// and the type it will be served as.
pub fn check_file(name: &str, size: u64, head: &[u8], max_bytes: u64) -> Result<&'static str, Refused> {
    if name.is_empty() || size == 0 {
        return Err(Refused::Empty);
    }
    if name.chars().count() > FILE_NAME_MAX {
        return Err(Refused::NameTooLong);
    }
    if size > max_bytes {
        return Err(Refused::TooLarge { name: name.to_owned(), limit: size_text(max_bytes) });
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let kind = KINDS
        .iter()
        .find(|k| k.extensions.contains(&extension.as_str()))
        .ok_or_else(|| Refused::Kind { name: name.to_owned(), accepted: accepted_extensions().join(", ") })?;
    let fits = match kind.magic {
        Some(prefixes) => prefixes.iter().any(|p| head.starts_with(p)),
        // Text: UTF-8, allowing a character cut off at the end of the sample.
        None => match std::str::from_utf8(head) {
            Ok(_) => true,
            Err(error) => error.error_len().is_none(),
        },
    };
    if !fits {
        return Err(Refused::Mismatch { name: name.to_owned(), extension });
    }
    Ok(kind.content_type)
}

/// "512 B", "1.4 MB": a size as people read it.
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        let mb = b / KB / KB;
        if mb < 10.0 { format!("{mb:.1} MB") } else { format!("{mb:.0} MB") }
    } else {
        format!("{:.1} GB", b / KB / KB / KB)
    }
}

/// A file on a record, as its page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub size: u64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

impl AttachmentView {
    /// Where it downloads from; the name is there for the browser's address bar only.
    pub fn href(&self) -> String {
        format!("/attachments/{}/{}", self.id, crate::fmt::query_value(&self.file_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    #[test]
    fn files_are_what_their_names_say() {
        assert_eq!(check_file("shot.PNG", 10, b"\x89PNG\r\n\x1a\n....", MB), Ok("image/png"));
        assert_eq!(check_file("notes.txt", 5, "héllo".as_bytes(), MB), Ok("text/plain; charset=utf-8"));
        assert_eq!(check_file("cut.log", 2, &"é".as_bytes()[..1], MB), Ok("text/plain; charset=utf-8"));
        assert!(matches!(check_file("shot.png", 10, b"MZ\x90\x00", MB), Err(Refused::Mismatch { .. })));
        assert!(matches!(check_file("notes.txt", 3, b"\xFF\xFE\x00", MB), Err(Refused::Mismatch { .. })));
        assert!(matches!(check_file("run.exe", 10, b"MZ", MB), Err(Refused::Kind { .. })));
        assert!(matches!(check_file("page.html", 10, b"<script>", MB), Err(Refused::Kind { .. })));
        assert!(matches!(check_file("image.svg", 10, b"<svg", MB), Err(Refused::Kind { .. })));
        assert!(matches!(check_file("README", 10, b"text", MB), Err(Refused::Kind { .. })));
    }

    #[test]
    fn the_limit_and_emptiness_are_checked_first() {
        let refused = check_file("big.pdf", 25 * MB + 1, b"%PDF-", DEFAULT_MAX_BYTES).unwrap_err();
        assert_eq!(refused.to_string(), "big.pdf is larger than 25 MB; attach a smaller file.");
        assert_eq!(check_file("exact.pdf", 25 * MB, b"%PDF-1.7", DEFAULT_MAX_BYTES), Ok("application/pdf"));
        assert_eq!(check_file("", 10, b"", MB), Err(Refused::Empty));
        assert_eq!(check_file("a.txt", 0, b"", MB), Err(Refused::Empty));
        assert_eq!(check_file(&format!("{}.txt", "a".repeat(300)), 1, b"a", MB), Err(Refused::NameTooLong));
    }

    #[test]
    fn names_lose_paths_and_quotes() {
        assert_eq!(clean_name("C:\\Users\\maya\\Desktop\\error.png"), "error.png");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b\r\n.txt"), "ab.txt");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(1536), "2 KB");
        assert_eq!(size_text(1_468_006), "1.4 MB");
        assert_eq!(size_text(25 * MB), "25 MB");
    }
}
