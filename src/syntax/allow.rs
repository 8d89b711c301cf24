//! `# 允许 W0402：理由` — a drafter's decision, written in the policy, that a warning is expected.
//!
//! The comment silences that warning code in the declaration it stands in, or, written on the
//! lines just above a declaration, in that declaration. `# 允许 W0402（吴江区、昆山市）：理由`
//! silences it only for those names, so that a new value (a slip that runs two values together)
//! still warns. Errors are never silenced. English: `# allow W0402 (…): reason`.

use super::parser::declaration_pieces;
use super::span::{FileId, Span};

/// One allowance: a warning code, where it holds, and the names it is limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub code: String,
    pub within: Span,
    pub names: Option<Vec<String>>,
}

/// The allowances of a file.
pub fn allowances(file: FileId, text: &str) -> Vec<Allow> {
    let pieces = declaration_pieces(text);
    let mut out = Vec::new();
    for (i, (offset, piece)) in pieces.iter().enumerate() {
        let extent = |(o, p): &(usize, &str)| Span::new(file, *o, *o + p.len());
        let lines: Vec<&str> = piece.split_inclusive('\n').collect();
        // Comment lines after the declaration's last line of code lead into the next declaration.
        let last_code = lines.iter().rposition(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
        });
        for (n, line) in lines.iter().enumerate() {
            let Some((code, names)) = parse_allow(line) else { continue };
            // Comments before the first declaration lead into it too.
            let leads_on = last_code.is_none_or(|c| n > c) && (last_code.is_some() || i == 0);
            let target = if leads_on { pieces.get(i + 1) } else { Some(&(*offset, *piece)) };
            if let Some(t) = target {
                out.push(Allow { code, within: extent(t), names });
            }
        }
    }
    out
}

/// `# 允许 W0402（甲、乙）：理由` → ("W0402", Some([甲, 乙])).
fn parse_allow(line: &str) -> Option<(String, Option<Vec<String>>)> {
    let comment = line.trim().strip_prefix('#').or_else(|| line.trim().strip_prefix("//"))?.trim_start();
    let rest = comment.strip_prefix("允许").or_else(|| comment.strip_prefix("allow"))?.trim_start();
    let code: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect();
    if !(code.len() == 5 && code.starts_with('W')) {
        return None;
    }
    let after = rest.get(code.len()..)?.trim_start();
    let names = after.strip_prefix(['（', '(']).and_then(|inner| {
        let end = inner.find(['）', ')'])?;
        let list = inner.get(..end)?;
        Some(list.split(['、', '，', ',']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
    });
    Some((code, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowance_covers_the_declaration_below_it_or_around_it() {
        let text = "常量 甲 = 1\n\n# 允许 W0401：保留\n常量 乙 = 2\n  # 允许 W0402（子、丑）\n  乙\n";
        let a = allowances(FileId(0), text);
        assert_eq!(a.len(), 2);
        let second = text.find("常量 乙").expect("the second declaration");
        assert!(a.iter().all(|x| x.within.range().start == second));
        assert_eq!(a.get(1).and_then(|x| x.names.clone()), Some(vec!["子".to_string(), "丑".to_string()]));
        assert_eq!(parse_allow("# 允许 E0101"), None);
        let top = allowances(FileId(0), "# 文件说明\n# 允许 W0401\n常量 甲 = 1\n");
        assert_eq!(top.first().map(|a| a.within.range().start), Some("# 文件说明\n# 允许 W0401\n".len()));
    }
}
