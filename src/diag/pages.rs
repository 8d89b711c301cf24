//! The page of each diagnostic code (`docs/diagnostics.md`, compiled in): what it means, why it
//! matters, an example, the fix — for `jifen explain-code` and for editors.

use super::{Code, Lang};

const DOCS: &str = include_str!("../../docs/diagnostics.md");

/// The page of a code, in one language (the example is shared), or `None` for an unknown code.
pub fn page(code: &str, lang: Lang) -> Option<String> {
    let wanted = code.trim().to_ascii_uppercase();
    let heading = format!("## {wanted} ·");
    let start = DOCS.find(&heading)?;
    let rest = DOCS.get(start + 3..)?;
    // The last page runs to the end of the document.
    let section = rest.find("\n## ").and_then(|end| rest.get(..end)).unwrap_or(rest);
    let mut lines = section.lines();
    let title = lines.next()?;
    // `E0004 · 中文标题 · English title`
    let mut parts = title.split(" · ");
    let (id, zh, en) = (parts.next()?, parts.next()?, parts.next()?);
    let mut out = format!("{id} · {}\n", if lang == Lang::Zh { zh } else { en });
    let (mine, theirs): (&[&str], &[&str]) = match lang {
        Lang::Zh => (&["含义：", "为什么：", "示例：", "改正："], &["What: ", "Why: ", "Fix: "]),
        Lang::En => (&["What: ", "Why: ", "示例：", "Fix: "], &["含义：", "为什么：", "改正："]),
    };
    let mut in_example = false;
    for line in lines {
        if line.starts_with("```") {
            in_example = !in_example;
            if in_example {
                continue;
            }
            continue;
        }
        if in_example {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if theirs.iter().any(|p| line.starts_with(p)) || line.trim().is_empty() {
            continue;
        }
        if let Some(p) = mine.iter().find(|p| line.starts_with(**p)) {
            let label = match (*p, lang) {
                ("示例：", Lang::En) => "Example:",
                (p, _) => p.trim_end(),
            };
            // The line starts with `p` (found above): the rest is always there.
            let body = line.get(p.len()..).unwrap_or("");
            out.push('\n');
            out.push_str(label);
            if !body.is_empty() {
                out.push('\n');
                out.push_str("  ");
                out.push_str(body);
            }
            out.push('\n');
        }
    }
    Some(out)
}

/// Every code the documentation has a page for.
pub fn documented() -> Vec<&'static str> {
    DOCS.lines().filter_map(|l| l.strip_prefix("## ")).filter_map(|l| l.split(" · ").next()).collect()
}

/// The codes, for an error message that lists them.
pub fn all_codes() -> Vec<&'static str> {
    Code::ALL.iter().map(|c| c.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_page_in_both_languages() {
        let documented = documented();
        for code in Code::ALL {
            assert!(documented.contains(&code.as_str()), "docs/diagnostics.md has no page for {code}");
            for lang in [Lang::Zh, Lang::En] {
                let p = page(code.as_str(), lang).expect("a documented code has a page");
                assert!(p.lines().count() >= 8, "{code} ({lang:?}) page too short:\n{p}");
            }
        }
        for d in documented {
            assert!(Code::ALL.iter().any(|c| c.as_str() == d), "docs/diagnostics.md documents unknown code {d}");
        }
    }

    #[test]
    fn a_page_keeps_to_its_language() {
        let zh = page("e0004", Lang::Zh).expect("E0004 has a page");
        assert!(zh.contains("含义") && zh.contains("改正") && !zh.contains("What:"));
        let en = page("E0004", Lang::En).expect("E0004 has a page");
        assert!(en.contains("What:") && en.contains("Fix:") && !en.contains("含义"));
        assert_eq!(page("E9999", Lang::Zh), None);
    }
}
