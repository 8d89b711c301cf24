//! Diagnostics whose labels are in two files, each with multi-byte text before the label, render
//! in both languages, with colour and without, and point at the right line and column of each file
//! (ariadne once panicked on such a pair: `byte index … is not a char boundary`).

#![allow(clippy::panic)] // tests fail by panicking

use jifen::diag::{render_all, Lang, RenderOptions};

#[test]
fn labels_in_two_files_after_cjk_text_render_at_their_own_places() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // The same enumeration declared twice, in two files, each after a line of Chinese and with
    // Chinese before the name on its own line.
    std::fs::write(dir.path().join("甲.jf"), "# 第一个文件：一段中文注释\n枚举 学历 依据 某办法 第一条：本科、硕士\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("乙.jf"),
        "# 第二个文件：另一段更长一些的中文注释\n\n  # 缩进的注释\n枚举 学历 依据 某办法 第二条：本科、博士\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let loaded = jifen::load_policy(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let twice: Vec<_> = loaded.diagnostics.0.iter().filter(|d| d.code.to_string().contains("E0110")).cloned().collect();
    assert_eq!(twice.len(), 1, "{:?}", loaded.diagnostics.0);
    for lang in [Lang::Zh, Lang::En] {
        for color in [false, true] {
            let rendered = render_all(&twice, &loaded.sources, RenderOptions { lang, color });
            assert_eq!(rendered.contains('\u{1b}'), color);
            let text = without_escapes(&rendered);
            // Line and column count characters, not bytes: `学历` is the 4th character of its line.
            assert!(text.contains("甲.jf:2:4"), "{text}");
            assert!(text.contains("乙.jf:4:4"), "{text}");
            assert!(text.contains("枚举 学历 依据 某办法 第一条") && text.contains("第二条：本科、博士"), "{text}");
        }
    }
}

/// The text without its colour codes (`ESC [ … m`).
fn without_escapes(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
