//! Reading a policy directory's files, and why it can fail: each failure a kind with its path,
//! worded in one place in both languages, so every front end says the same thing.

use crate::diag::Lang;
use crate::syntax::span::SourceMap;
use std::path::{Path, PathBuf};

/// Why a policy directory could not be read (before any of it is compiled). Each kind carries its
/// path; [`PolicyError::message`] words it in either language, naming the path once, and says
/// what to do.
#[derive(Debug)]
#[non_exhaustive]
pub enum PolicyError {
    /// Nothing is at this path.
    Missing(PathBuf),
    /// A file is at this path where a policy directory was expected.
    NotADirectory(PathBuf),
    /// The directory holds no `.jf` file. `below` holds a few directories under it that do (as
    /// paths to give instead: the directory given, joined with the way down), nearest first.
    NoPolicyFiles {
        /// The directory given.
        dir: PathBuf,
        /// Policy directories found below it, at most [`PolicyError::SUGGESTED`].
        below: Vec<PathBuf>,
    },
    /// A policy file is not UTF-8 text (a file saved as GBK, say).
    NotUtf8 {
        /// The file.
        file: PathBuf,
        /// The first byte (1-based) that cannot be decoded.
        at: usize,
    },
    /// Any other failure to read the directory or one of its files (permissions, a disk error).
    Io {
        /// The directory or file that could not be read.
        path: PathBuf,
        /// The system's error.
        error: std::io::Error,
    },
}

/// How far below a directory without `.jf` files policy directories are looked for.
const SEARCH_DEPTH: usize = 4;

/// How many directories the search for policy directories below one looks into, at most.
const SEARCH_LIMIT: usize = 256;

impl PolicyError {
    /// How many policy directories below an empty one are suggested, at most.
    pub const SUGGESTED: usize = 3;

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            PolicyError::Missing(p) | PolicyError::NotADirectory(p) => p,
            PolicyError::NoPolicyFiles { dir, .. } => dir,
            PolicyError::NotUtf8 { file, .. } => file,
            PolicyError::Io { path, .. } => path,
        }
    }

    /// The error in `lang`, the path named once, with what to do.
    pub fn message(&self, lang: Lang) -> String {
        let p = self.path().display();
        match (self, lang) {
            (PolicyError::Missing(_), Lang::Zh) => format!("找不到政策目录：{p}"),
            (PolicyError::Missing(_), Lang::En) => format!("no such policy directory: {p}"),
            (PolicyError::NotADirectory(path), Lang::Zh) => match policy_file_dir(path) {
                Some(d) => format!("{p} 是政策文件，不是政策目录；请给出它所在的目录 {}", d.display()),
                None => format!("{p} 是文件，不是政策目录（政策是放 .jf 文件的目录）"),
            },
            (PolicyError::NotADirectory(path), Lang::En) => match policy_file_dir(path) {
                Some(d) => format!("{p} is a policy file, not a policy directory; give its directory {}", d.display()),
                None => format!("{p} is a file, not a policy directory (a policy is a directory of .jf files)"),
            },
            (PolicyError::NoPolicyFiles { below, .. }, Lang::Zh) => match shown(below, "、", " 或 ") {
                Some(list) => format!("{p} 中没有 .jf 政策文件；是不是 {list}？"),
                None => format!("{p} 中没有 .jf 政策文件（其下也没有）"),
            },
            (PolicyError::NoPolicyFiles { below, .. }, Lang::En) => match shown(below, ", ", " or ") {
                Some(list) => format!("{p} holds no .jf policy files; did you mean {list}?"),
                None => format!("{p} holds no .jf policy files (nor does any directory below it)"),
            },
            (PolicyError::NotUtf8 { at, .. }, Lang::Zh) => format!(
                "{p}：不是 UTF-8 文本（第 {at} 字节起无法解码）；政策文件须为 UTF-8，可用 iconv -f GBK -t UTF-8 原文件 > 新文件 转换"
            ),
            (PolicyError::NotUtf8 { at, .. }, Lang::En) => format!(
                "{p}: not UTF-8 text (undecodable from byte {at} on); policy files must be UTF-8: convert it with \
                 iconv -f GBK -t UTF-8 old-file > new-file"
            ),
            (PolicyError::Io { error, .. }, Lang::Zh) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                format!("{p}：没有读取权限")
            }
            (PolicyError::Io { error, .. }, Lang::En) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                format!("{p}: permission denied")
            }
            (PolicyError::Io { error, .. }, Lang::Zh) => format!("{p}：读取失败：{error}"),
            (PolicyError::Io { error, .. }, Lang::En) => format!("{p}: cannot read: {error}"),
        }
    }
}

/// The directory of a `.jf` file given where its directory was expected.
fn policy_file_dir(path: &Path) -> Option<&Path> {
    if path.extension().is_some_and(|x| x == "jf") {
        // A file named alone (`a.jf`) is in the current directory.
        Some(path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")))
    } else {
        None
    }
}

/// Paths as a list in a sentence (`a、b 或 c`); `None` when there are none.
fn shown(paths: &[PathBuf], sep: &str, last: &str) -> Option<String> {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    match names.split_last() {
        None => None,
        Some((only, [])) => Some(only.clone()),
        Some((end, rest)) => Some(format!("{}{last}{end}", rest.join(sep))),
    }
}

/// The Chinese message, the command line's default language.
impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::Zh))
    }
}

impl std::error::Error for PolicyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PolicyError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

fn jf_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jf") && p.is_file())
        .collect())
}

/// Directories below `dir` that hold `.jf` files, nearest first and in name order, at most
/// [`PolicyError::SUGGESTED`]; the search is bounded in depth and in directories looked into, and
/// skips hidden ones.
fn policy_dirs_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut level = vec![dir.to_path_buf()];
    let mut looked = 0usize;
    for _ in 0..SEARCH_DEPTH {
        let mut next = Vec::new();
        for d in &level {
            let Ok(entries) = std::fs::read_dir(d) else { continue };
            let mut subdirs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            subdirs.sort();
            next.extend(subdirs);
        }
        for d in &next {
            looked += 1;
            if looked > SEARCH_LIMIT || found.len() == PolicyError::SUGGESTED {
                return found;
            }
            if jf_files(d).is_ok_and(|files| !files.is_empty()) {
                found.push(d.clone());
            }
        }
        level = next;
    }
    found
}

/// Read every `.jf` file of a policy directory, in file-name order. A missing path, a file, a
/// directory without `.jf` files (with the policy directories below it, to suggest), a file that
/// is not UTF-8 and any other failure to read are each a kind of [`PolicyError`].
pub fn read_policy_dir(dir: &Path) -> Result<SourceMap, PolicyError> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(PolicyError::Missing(dir.to_path_buf())),
        Err(error) => return Err(PolicyError::Io { path: dir.to_path_buf(), error }),
        Ok(m) if !m.is_dir() => return Err(PolicyError::NotADirectory(dir.to_path_buf())),
        Ok(_) => {}
    }
    let mut paths = jf_files(dir).map_err(|error| PolicyError::Io { path: dir.to_path_buf(), error })?;
    paths.sort();
    if paths.is_empty() {
        return Err(PolicyError::NoPolicyFiles { dir: dir.to_path_buf(), below: policy_dirs_below(dir) });
    }
    let mut sources = SourceMap::default();
    for p in paths {
        let bytes = std::fs::read(&p).map_err(|error| PolicyError::Io { path: p.clone(), error })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| PolicyError::NotUtf8 { file: p.clone(), at: e.utf8_error().valid_up_to() + 1 })?;
        // A byte-order mark some editors write is not part of the policy's text; without one the
        // text is kept as read.
        let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
        sources.add(p.display().to_string(), text);
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_worded_in_both_languages_with_the_path_once() {
        let p = PathBuf::from("pg/政策.jf");
        let errors = [
            PolicyError::Missing(p.clone()),
            PolicyError::NotADirectory(p.clone()),
            PolicyError::NoPolicyFiles { dir: p.clone(), below: vec!["pg/a".into(), "pg/b".into()] },
            PolicyError::NoPolicyFiles { dir: p.clone(), below: Vec::new() },
            PolicyError::NotUtf8 { file: p.clone(), at: 7 },
            PolicyError::Io { path: p.clone(), error: std::io::Error::other("disk") },
        ];
        for e in errors {
            for lang in [Lang::Zh, Lang::En] {
                let m = e.message(lang);
                assert_eq!(m.matches("pg/政策.jf").count(), 1, "{m}");
                let rest = m.replace("pg/政策.jf", "");
                assert_eq!(lang == Lang::En, rest.is_ascii(), "{m}");
            }
        }
    }

    #[test]
    fn several_suggestions_read_as_a_list() {
        let e = PolicyError::NoPolicyFiles { dir: "p".into(), below: vec!["p/a".into(), "p/b".into(), "p/c".into()] };
        assert_eq!(e.message(Lang::Zh), "p 中没有 .jf 政策文件；是不是 p/a、p/b 或 p/c？");
        assert_eq!(e.message(Lang::En), "p holds no .jf policy files; did you mean p/a, p/b or p/c?");
    }
}
