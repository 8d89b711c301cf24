//! Rendering every way, shared by the property tests (`tests/common`) and the fuzz laws
//! (`tests/support/fuzz_laws.rs`), which cannot use `tests/common` (it needs the test binary).

use jifen::diag::{render_all, Lang, RenderOptions};
use jifen::Loaded;

/// Render a compilation's diagnostics in both languages, with colour and without, as every
/// property test that produces diagnostics must: the renderer has to cope with every span the
/// compiler makes (labels in other files, after multi-byte text). Returns the plain Chinese text.
pub fn render_every_way(loaded: &Loaded) -> String {
    let mut plain = String::new();
    for lang in [Lang::Zh, Lang::En] {
        for color in [false, true] {
            let text = render_all(&loaded.diagnostics.0, &loaded.sources, RenderOptions { lang, color });
            assert!(
                loaded.diagnostics.0.is_empty() || text.lines().count() > loaded.diagnostics.0.len(),
                "{} diagnostics rendered as:\n{text}",
                loaded.diagnostics.0.len()
            );
            if lang == Lang::Zh && !color {
                plain = text;
            }
        }
    }
    plain
}
