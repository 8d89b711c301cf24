//! Which files `jifen fmt` formats: a `.jf` file named on the command line, or every `.jf` file
//! below a directory, recursively, as `cargo fmt` and `ruff format` walk a tree. Hidden entries
//! (`.git`, an editor's `.#lock.jf`) and `target` directories are skipped, and so are symbolic
//! links to directories (a link cannot make the walk go round in circles). The order is stable:
//! sorted by path, component by component.
//!
//! Errors are facts (what went wrong, and where); the front ends word them.

use std::path::{Path, PathBuf};

/// Why a path named for formatting gives no files to format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesError {
    /// Nothing exists at this path.
    NotFound(PathBuf),
    /// A file that is not a `.jf` policy file: formatting it could only mangle it.
    NotPolicyFile(PathBuf),
    /// A directory with no `.jf` file anywhere below it.
    NoPolicyFiles(PathBuf),
    /// The path (or a directory below it) could not be read.
    Io { path: PathBuf, kind: std::io::ErrorKind },
}

impl FilesError {
    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FilesError::NotFound(p) | FilesError::NotPolicyFile(p) | FilesError::NoPolicyFiles(p) => p,
            FilesError::Io { path, .. } => path,
        }
    }
}

fn is_policy_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "jf")
}

/// Entries of a walked directory that are not looked into: hidden ones and build output.
fn skipped(name: &std::ffi::OsStr, is_dir: bool) -> bool {
    name.to_string_lossy().starts_with('.') || (is_dir && name == "target")
}

/// The `.jf` files `path` names: the path itself if it is a `.jf` file, or every `.jf` file below
/// it if it is a directory (an error if there is none), sorted.
pub fn policy_files(path: &Path) -> Result<Vec<PathBuf>, FilesError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FilesError::NotFound(path.to_path_buf()),
        kind => FilesError::Io { path: path.to_path_buf(), kind },
    })?;
    if !meta.is_dir() {
        return if is_policy_file(path) {
            Ok(vec![path.to_path_buf()])
        } else {
            Err(FilesError::NotPolicyFile(path.to_path_buf()))
        };
    }
    let mut files = Vec::new();
    // An explicit stack rather than recursion: a deep tree cannot exhaust the call stack.
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let io = |e: std::io::Error| FilesError::Io { path: dir.clone(), kind: e.kind() };
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            // The entry's own type: a symbolic link is not followed here.
            let kind = entry.file_type().map_err(io)?;
            let (name, entry_path) = (entry.file_name(), entry.path());
            if skipped(&name, kind.is_dir()) {
                continue;
            }
            if kind.is_dir() {
                dirs.push(entry_path);
            } else if is_policy_file(&entry_path) && entry_path.is_file() {
                // A file, or a link to one (a link to a directory is never walked).
                files.push(entry_path);
            }
        }
    }
    if files.is_empty() {
        return Err(FilesError::NoPolicyFiles(path.to_path_buf()));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(tag: &str, files: &[&str]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("jifen-fmt-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for f in files {
            let p = root.join(f);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("a temporary directory");
            }
            std::fs::write(&p, "").expect("a temporary file");
        }
        std::fs::create_dir_all(&root).expect("a temporary directory");
        root
    }

    fn relative(root: &Path, files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|f| f.strip_prefix(root).expect("below the root").to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn every_jf_file_below_in_sorted_order_skipping_hidden_and_target() {
        let root = tree(
            "walk",
            &[
                "b.jf",
                "a/z.jf",
                "a/b/c/deep.jf",
                "a/notes.md",
                "A.jf",
                ".git/x.jf",
                "a/.hidden/y.jf",
                "a/.#lock.jf",
                "target/debug/t.jf",
                "a/target/t.jf",
                "c/record.json",
            ],
        );
        let files = policy_files(&root).expect("a tree with .jf files");
        assert_eq!(relative(&root, &files), ["A.jf", "a/b/c/deep.jf", "a/z.jf", "b.jf"]);
        // The same order every time, and the same from a subdirectory.
        assert_eq!(policy_files(&root).expect("again"), files);
        assert_eq!(relative(&root, &policy_files(&root.join("a")).expect("a")), ["a/b/c/deep.jf", "a/z.jf"]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_hidden_directory_or_a_target_named_explicitly_is_walked() {
        let root = tree("explicit", &[".policies/x.jf", "target/y.jf"]);
        assert_eq!(relative(&root, &policy_files(&root.join(".policies")).expect("named")), [".policies/x.jf"]);
        assert_eq!(relative(&root, &policy_files(&root.join("target")).expect("named")), ["target/y.jf"]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_missing_path_a_foreign_file_and_an_empty_tree_are_errors_with_their_path() {
        let root = tree("errors", &["record.json", "a/b/notes.md", "p.jf"]);
        let missing = root.join("nonexist");
        assert_eq!(policy_files(&missing), Err(FilesError::NotFound(missing.clone())));
        let json = root.join("record.json");
        assert_eq!(policy_files(&json), Err(FilesError::NotPolicyFile(json.clone())));
        let empty = root.join("a");
        assert_eq!(policy_files(&empty), Err(FilesError::NoPolicyFiles(empty.clone())));
        assert_eq!(policy_files(&empty).err().map(|e| e.path().to_path_buf()), Some(empty));
        // A .jf file named explicitly is itself, whatever its name.
        assert_eq!(policy_files(&root.join("p.jf")), Ok(vec![root.join("p.jf")]));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_directory_is_not_followed() {
        let root = tree("links", &["real/x.jf"]);
        std::os::unix::fs::symlink(&root, root.join("real/loop")).expect("a link");
        std::os::unix::fs::symlink(root.join("real/x.jf"), root.join("real/y.jf")).expect("a link");
        assert_eq!(relative(&root, &policy_files(&root).expect("a tree")), ["real/x.jf", "real/y.jf"]);
        let _ = std::fs::remove_dir_all(&root);
    }
}
