//! The one sanitizer: Markdown in, [`SafeHtml`] out. Raw HTML in the source is allowed
//! through pulldown-cmark and then cut down by ammonia to a small allow-list, so scripts,
//! event handlers, styles, frames and `javascript:` links never survive.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

use crate::domain::markup::SafeHtml;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .rm_tags(["img"]);
    builder
});

/// Renders `markdown` to HTML that is safe to put in a page.
pub fn render(markdown: &str) -> SafeHtml {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    SafeHtml::from_sanitizer(CLEANER.clean(&unsafe_html).to_string())
}

/// Script payloads of the kind found in real ITSM advisories, each setting `window.__xss`
/// if it ever runs. The tests put them into every text field the portal has.
pub const ATTACK_PAYLOADS: [&str; 11] = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<svg/onload=window.__xss=1>",
    "[click](javascript:window.__xss=1)",
    "<a href=\"javascript:window.__xss=1\">x</a>",
    "<iframe src=\"data:text/html,<script>window.__xss=1</script>\"></iframe>",
    "<p style=\"background:url(javascript:window.__xss=1)\" onclick=\"window.__xss=1\">x</p>",
    "\"><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "'><img src=x onerror=window.__xss=1>",
];

/// The tags in `html` through which text containing `marker` could run as script: an
/// event-handler attribute or an unquoted attribute carrying it, a `javascript:` URL, or a
/// script element whose code starts with it. Escaped text (`&lt;script&gt;`) is not a tag
/// and a quoted, escaped attribute value is only text, so neither counts. Used by the tests
/// that put attack payloads into every text field.
pub fn live_markup(html: &str, marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..=start + len];
        let after = &rest[start + len + 1..];
        let is_script = tag.to_ascii_lowercase().starts_with("<script");
        if tag_is_live(tag, marker) || (is_script && after.trim_start().starts_with(marker)) {
            found.push(tag.to_owned());
        }
        rest = after;
    }
    found
}

fn tag_is_live(tag: &str, marker: &str) -> bool {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace() && c != '/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return false;
        }
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let (value, quoted) = if let Some(after_eq) = rest.strip_prefix('=') {
            match after_eq.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &after_eq[1..];
                    let close = body.find(quote).unwrap_or(body.len());
                    rest = body.get(close + 1..).unwrap_or("");
                    (&body[..close], true)
                }
                _ => {
                    let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                    rest = &after_eq[end..];
                    (&after_eq[..end], false)
                }
            }
        } else {
            ("", true)
        };
        let carries = value.contains(marker) || name.contains(marker);
        let script_url = value.trim_start().to_ascii_lowercase().starts_with("javascript:");
        if (carries && (name.starts_with("on") || !quoted)) || script_url {
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = render("**Printer** on _floor 2_\n\n- jammed\n- [docs](https://example.com)");
        let html = html.as_str();
        assert!(html.contains("<strong>Printer</strong>"), "{html}");
        assert!(html.contains("<em>floor 2</em>"), "{html}");
        assert!(html.contains("<li>jammed</li>"), "{html}");
        assert!(html.contains(r#"href="https://example.com""#), "{html}");
        assert!(html.contains("noopener"), "{html}");
    }

    #[test]
    fn script_payloads_come_out_inert() {
        for payload in ATTACK_PAYLOADS {
            let html = render(payload);
            assert_eq!(live_markup(html.as_str(), "window.__xss"), Vec::<String>::new(), "{payload:?}");
            assert!(!html.as_str().contains("javascript:"), "{payload:?} → {html:?}");
        }
    }

    #[test]
    fn the_inspector_sees_live_payloads() {
        assert_eq!(live_markup("<p>hi</p><script>window.__xss=1</script>", "window.__xss"), ["<script>"]);
        assert_eq!(live_markup(r#"<img src=x onerror="window.__xss=1">"#, "window.__xss").len(), 1);
        assert!(live_markup("<p>&lt;script&gt;window.__xss=1</p>", "window.__xss").is_empty());
        assert!(
            live_markup(r#"<input value="&lt;b onclick=window.__xss=1&gt;">"#, "window.__xss").is_empty()
        );
        assert_eq!(live_markup(r#"<input value="" onfocus="window.__xss=1">"#, "window.__xss").len(), 1);
        assert_eq!(live_markup("<a href=javascript:void(0)>", "window.__xss").len(), 1);
    }

    #[test]
    fn only_the_prose_component_sets_raw_html() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut users = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if std::fs::read_to_string(&path).unwrap().contains(concat!("inner", "_html")) {
                    users.push(path.strip_prefix(&root).unwrap().display().to_string());
                }
            }
        }
        assert_eq!(users, vec!["components/prose.rs".to_owned()]);
    }
}
