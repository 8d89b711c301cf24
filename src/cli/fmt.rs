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

/// The .jf files a path names: itself, or the .jf files of a directory, in name order.
fn policy_files(path: &Path) -> Result<Vec<PathBuf>, Message> {
    let meta = std::fs::metadata(path).map_err(|e| Message::io(path, &e))?;
    if !meta.is_dir() {
        // Formatting rewrites files: anything but a policy file (a JSON record named by mistake)
        // is refused rather than mangled.
        if path.extension().is_none_or(|x| x != "jf") {
            return Err(Message::Usage { detail: format!("{}: not a .jf policy file", path.display()) });
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| Message::io(path, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jf"))
        .collect();
    files.sort();
    Ok(files)
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let mut unformatted = 0usize;
    let mut broken = 0usize;
    for path in &args.paths {
        for file in policy_files(path)? {
            let text = std::fs::read_to_string(&file).map_err(|e| Message::io(&file, &e))?;
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
                    } else {
                        std::fs::write(&file, formatted).map_err(|e| Message::io(&file, &e))?;
                        print_out(&format!("{}\n", Message::Formatted { file: shown }.text(cx.lang)))?;
                    }
                }
            }
        }
    }
    Ok(Exit::found_if(broken > 0 || (args.check && unformatted > 0)))
}
