//! `jifen fmt [--check] PATH…`: format policy files in place.

use super::{print_out, Context, Exit, Outcome};
use jifen::diag::render_all;
use jifen::messages::Message;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Files or policy directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Change nothing; print the diff of what would change and exit 1 if anything would.
    #[arg(long)]
    check: bool,
}

/// The .jf files the paths name: each file itself, every .jf file below each directory
/// (`jifen::fmt::files`), all collected before any is formatted, so a missing path changes nothing.
/// Formatting rewrites files: anything but a policy file (a JSON record named by mistake) is
/// refused rather than mangled.
fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Message> {
    use jifen::fmt::files::FilesError;
    let mut files = Vec::new();
    for path in paths {
        let found = jifen::fmt::files::policy_files(path).map_err(|e| {
            let path = e.path().display().to_string();
            match e {
                FilesError::NotFound(_) => Message::NotFound { path },
                FilesError::NotPolicyFile(_) => Message::NotPolicyFile { path },
                FilesError::NoPolicyFiles(_) => Message::NoPolicyFilesBelow { path },
                FilesError::Io { kind, .. } => Message::io(Path::new(&path), &std::io::Error::from(kind)),
            }
        })?;
        for file in found {
            // A file named twice (or inside two directories named) is formatted once.
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let mut unformatted = 0usize;
    let mut broken = 0usize;
    for file in policy_files(&args.paths)? {
        let bytes = std::fs::read(&file).map_err(|e| Message::io(&file, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| Message::NotUtf8 {
            path: file.display().to_string(),
            byte: e.utf8_error().valid_up_to() + 1,
        })?;
        let shown = file.display().to_string();
        match jifen::fmt::format_file(&shown, &text) {
            jifen::fmt::Formatted::Unchanged => {}
            jifen::fmt::Formatted::SyntaxErrors(sources, errors) => {
                broken += 1;
                eprint!("{}", render_all(&errors, &sources, cx.render()));
                cx.say(&Message::NotFormattedSyntax { file: shown });
            }
            jifen::fmt::Formatted::Changed { text: formatted, diff } => {
                unformatted += 1;
                if args.check {
                    print_out(&diff)?;
                    cx.say(&Message::WouldReformat { file: shown });
                } else {
                    std::fs::write(&file, formatted).map_err(|e| Message::io(&file, &e))?;
                    print_out(&format!("{}\n", Message::Formatted { file: shown }.text(cx.lang)))?;
                }
            }
        }
    }
    if args.check && unformatted > 0 {
        cx.say(&Message::WouldReformatCount { files: unformatted });
    }
    Ok(Exit::found_if(broken > 0 || (args.check && unformatted > 0)))
}
