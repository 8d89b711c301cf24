//! One spelling of every mark and one rule for every space, so that two drafters' versions of the
//! same rule format alike (`昆山市→2021-12-31` and `昆山市   → 2021-12-31`).
//!
//! Punctuation takes the spelling the bundled policies use: full-width where Chinese text has it
//! (：，；（）？), ASCII where the legal text has none of its own (>= <= != = + and the list type's
//! < >), and the arithmetic signs × ÷ −. Square brackets keep their spelling: in 条文 the legal
//! text's 【title】 and an [id] are different things. Texts in quotes and comments are never touched.

use crate::syntax::lexer::TokenKind;

type Tok = (String, TokenKind);

/// The canonical spelling of a run of punctuation that is one mark (`->`, `>=`, `＞＝`).
fn spelling(mark: &str) -> Option<&'static str> {
    Some(match mark {
        "->" | "→" => "→",
        ">=" | "≥" | "＞＝" => ">=",
        "<=" | "≤" | "＜＝" => "<=",
        "!=" | "≠" | "！＝" => "!=",
        "=" | "＝" => "=",
        ">" | "＞" => ">",
        "<" | "＜" => "<",
        "+" | "＋" => "+",
        "-" | "－" | "−" => "−",
        "*" | "×" => "×",
        "/" | "÷" => "÷",
        "(" | "（" => "（",
        ")" | "）" => "）",
        // 【】 and [] are both kept: in 条文 a 【title】 and an [id] are different things.
        "[" => "[",
        "]" => "]",
        ":" | "：" => "：",
        "," | "，" => "，",
        ";" | "；" => "；",
        "?" | "？" => "？",
        "、" => "、",
        "." => ".",
        "|" => "|",
        "〈" => "<",
        "〉" => ">",
        _ => return None,
    })
}

/// Two-character marks, tried before single ones.
const PAIRS: &[&str] = &["->", ">=", "<=", "!=", "＞＝", "＜＝", "！＝"];

fn is_operator(s: &str) -> bool {
    matches!(s, "→" | ">=" | "<=" | "!=" | "=" | ">" | "<" | "+" | "−" | "×" | "÷")
}

fn is_atom(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Keyword
            | TokenKind::Ident
            | TokenKind::Number
            | TokenKind::Quantity
            | TokenKind::Date
            | TokenKind::String
    )
}

/// A line's tokens with punctuation spelt canonically and a whitespace token exactly where a space
/// belongs. `tokens` holds the line as written: whitespace tokens mark where the drafter put space.
pub fn canonical_line(tokens: &[Tok]) -> Vec<Tok> {
    // A 【title】 is the law's wording: it keeps its spelling and spacing, like a quoted text.
    let Some(open) = tokens.iter().position(|t| t.1 == TokenKind::Punct && t.0 == "【") else {
        return canonical_code(tokens);
    };
    let close = tokens
        .iter()
        .skip(open)
        .position(|t| t.1 == TokenKind::Punct && t.0 == "】")
        .map_or(tokens.len(), |i| open + i + 1);
    let (before, rest) = tokens.split_at(open);
    let (title, after) = rest.split_at(close - open);
    let mut out = canonical_code(before);
    let spaced_before = before.last().is_some_and(|t| t.1 == TokenKind::Whitespace);
    if spaced_before && !out.is_empty() {
        out.push((" ".into(), TokenKind::Whitespace));
    }
    // One token, verbatim: the renderer would otherwise put one space for each run of whitespace
    // in it, and the title (part of the IR) would change (the fuzzer found a tab in one).
    out.push((title.iter().map(|t| t.0.as_str()).collect(), TokenKind::String));
    let rest = canonical_line(after);
    out.extend(rest);
    out
}

/// A stretch of code (no title in it) in canonical form.
fn canonical_code(tokens: &[Tok]) -> Vec<Tok> {
    let marks = merge_marks(tokens);
    let mut out: Vec<Tok> = Vec::with_capacity(marks.len());
    // Inside `列表<…>` the angle brackets are a type's, not comparisons.
    let mut list_type_depth = 0usize;
    let mut prev: Option<(Tok, bool)> = None; // the last token and whether it was a list-type bracket
    let mut spaced = false;
    for tok in marks {
        if tok.1 == TokenKind::Whitespace {
            spaced = true;
            continue;
        }
        let mut type_bracket = false;
        if tok.1 == TokenKind::Punct {
            if tok.0 == "<" && prev.as_ref().is_some_and(|(p, _)| matches!(p.0.as_str(), "列表" | "list")) {
                list_type_depth += 1;
                type_bracket = true;
            } else if tok.0 == ">" && list_type_depth > 0 {
                list_type_depth -= 1;
                type_bracket = true;
            }
        }
        if let Some((p, p_type_bracket)) = &prev {
            if space_between(p, *p_type_bracket, &tok, type_bracket, spaced, &out) {
                out.push((" ".into(), TokenKind::Whitespace));
            }
        } else if spaced && tok.1 == TokenKind::Comment {
            // A whole-line comment keeps no leading space here (indentation is the caller's).
        }
        out.push(tok.clone());
        prev = Some((tok, type_bracket));
        spaced = false;
    }
    out
}

/// Whether a space goes between `a` and `b`; `spaced` says whether the drafter put one.
fn space_between(a: &Tok, a_type: bool, b: &Tok, b_type: bool, spaced: bool, before: &[Tok]) -> bool {
    let (x, y) = (a.0.as_str(), b.0.as_str());
    if b.1 == TokenKind::Comment {
        return true;
    }
    // `列表<类型>`: nothing around the brackets but what follows the closing one.
    if (a_type && x == "<") || b_type || x == "." || y == "." {
        return false;
    }
    if matches!(y, "，" | "、" | "：" | "；" | "）" | "]" | "？") || matches!(x, "（" | "[" | "，" | "、" | "：" | "；")
    {
        return false;
    }
    if a.1 == TokenKind::Punct && is_operator(x) {
        // A sign that negates (`（−1分`, `= −1分`) sticks to its operand.
        return !(x == "−" && is_prefix_position(before));
    }
    if b.1 == TokenKind::Punct && is_operator(y) {
        return true;
    }
    if is_atom(a.1) && is_atom(b.1) {
        // `第1条` (an article written with digits) is one citation: never split a word from a number.
        let word_number =
            matches!((a.1, b.1), (TokenKind::Ident, TokenKind::Number) | (TokenKind::Number, TokenKind::Ident));
        return spaced || !word_number;
    }
    spaced
}

/// Whether the last token of `before` (a `−`) is in prefix position: nothing, an operator, an
/// opening bracket, a separator or a keyword comes before it.
fn is_prefix_position(before: &[Tok]) -> bool {
    let mut it = before.iter().rev().filter(|t| t.1 != TokenKind::Whitespace);
    let _minus = it.next();
    match it.next() {
        None => true,
        Some((s, TokenKind::Punct)) => !matches!(s.as_str(), "）" | "]"),
        // 评估日, 总分, 真, 假 are values; any other keyword (若, 则, 计 …) leaves an operand to come.
        Some((s, TokenKind::Keyword)) => !matches!(
            s.as_str(),
            "评估日" | "asof" | "总分" | "total" | "真" | "true" | "假" | "false" | "申请人" | "applicant"
        ),
        Some(_) => false,
    }
}

/// Merge `-` `>` into `→` (and the other two-character marks), then spell every mark canonically.
fn merge_marks(tokens: &[Tok]) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    // `列表<类型>= []`: the `>` closes a list type and the `=` is a default, not `>=`.
    let mut list_type_depth = 0usize;
    while let Some(tok) = tokens.get(i) {
        if tok.1 == TokenKind::Punct {
            let after_list = out
                .iter()
                .rev()
                .find(|t| t.1 != TokenKind::Whitespace)
                .is_some_and(|t| matches!(t.0.as_str(), "列表" | "list"));
            if matches!(tok.0.as_str(), "<" | "〈") && after_list {
                list_type_depth += 1;
            } else if matches!(tok.0.as_str(), ">" | "〉") && list_type_depth > 0 {
                list_type_depth -= 1;
                out.push((">".to_string(), TokenKind::Punct));
                i += 1;
                continue;
            }
            if let Some(next) = tokens.get(i + 1).filter(|n| n.1 == TokenKind::Punct) {
                let pair = format!("{}{}", tok.0, next.0);
                if PAIRS.contains(&pair.as_str()) {
                    // Every pair in PAIRS has its spelling: the fallback is never used.
                    out.push((spelling(&pair).unwrap_or("→").to_string(), TokenKind::Punct));
                    i += 2;
                    continue;
                }
            }
            // Punctuation without a canonical spelling is kept as written.
            let spelt = spelling(&tok.0).map(str::to_string).unwrap_or_else(|| tok.0.clone());
            out.push((spelt, TokenKind::Punct));
        } else {
            out.push(tok.clone());
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lexer::tokenize;

    fn canon(text: &str) -> String {
        let tokens: Vec<Tok> = tokenize(text)
            .into_iter()
            .map(|t| (text.get(t.start..t.end).expect("a token of the text").to_string(), t.kind))
            .map(|(s, k)| if k == TokenKind::Whitespace { (" ".to_string(), k) } else { (s, k) })
            .collect();
        canonical_line(&tokens).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn arrows_commas_and_spaces_have_one_spelling() {
        assert_eq!(canon("某市->2021-12-31"), "某市 → 2021-12-31");
        assert_eq!(canon("某市   →   2021-12-31"), "某市 → 2021-12-31");
        assert_eq!(canon("每满1个月计0.5分 ,最高 60分"), "每满 1个月 计 0.5分，最高 60分");
        assert_eq!(canon("周岁(申请人.生日)≥18周岁"), "周岁（申请人.生日） >= 18周岁");
        assert_eq!(canon("a ＞＝ b"), "a >= b");
        assert_eq!(canon("取最低( -1分 , 2分 )"), "取最低（−1分，2分）");
        assert_eq!(canon("评估日 - 5年"), "评估日 − 5年");
        assert_eq!(canon("若 真 则 -1分"), "若 真 则 −1分");
        assert_eq!(canon("记录：列表<经历>= []"), "记录：列表<经历> = []");
        assert_eq!(canon("列表 < 经历 >"), "列表<经历>");
        assert_eq!(canon("依据 办法 第1条"), "依据 办法 第1条");
        assert_eq!(canon("第一条【2020年 修订（试行）】"), "第一条【2020年 修订（试行）】");
        assert_eq!(canon("第四条【甲途径】[甲途径]"), "第四条【甲途径】[甲途径]");
        // A title keeps its own spacing, tabs and runs of spaces included: it is the law's wording.
        assert_eq!(
            crate::fmt::format("条文 办法：\n  第一条【学\t历  → 甲】\n    “x”\n"),
            "条文 办法：\n  第一条【学\t历  → 甲】\n    “x”\n"
        );
    }
}
