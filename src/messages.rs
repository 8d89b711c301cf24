//! The catalogue of what jifen's front ends say to a person outside diagnostics and record
//! faults: usage errors, files that cannot be read, refusals, summaries and warnings. Each message
//! is a value with the facts it names; [`Message::text`] words it in Chinese or English, so one
//! place holds both languages of every sentence the command line (and any later front end)
//! prints, and a test can ask every message for both.
//!
//! Data a message quotes (paths, ids, values, names from the policy) is put in as it is; the words
//! around it are the catalogue's.

use crate::diag::{Lang, Msg};
use std::path::Path;

/// A message for a person, with the facts it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    // --- the command line itself ---
    /// An option or argument the command does not have.
    UnknownArgument { argument: String, suggestion: Option<String> },
    /// A command jifen does not have.
    UnknownCommand { command: String, suggestion: Option<String> },
    /// Required arguments left out.
    MissingArguments { arguments: Vec<String> },
    /// `jifen` alone, or a command without its subcommand.
    MissingCommand,
    /// A value that is not one of the choices.
    InvalidChoice { argument: String, value: String, choices: Vec<String> },
    /// A value refused by its parser (a date, a hash), with the parser's reason.
    InvalidValue { argument: String, value: String, reason: String },
    /// Two options that cannot be used together.
    Conflict { argument: String, other: String },
    /// An option given a value it does not take, given twice, or without its value.
    WrongValues { argument: String },
    /// An argument that is not UTF-8.
    NotUnicode,
    /// Any other usage error clap reports (its kind, for the record).
    Usage { detail: String },
    /// Where to read more: `jifen help COMMAND`.
    SeeHelp { command: Option<String> },
    /// `jifen help X` for an X that is not a command.
    UnknownHelpTopic { topic: String, commands: Vec<String> },
    /// A date flag that is not a date.
    NotADate { value: String },
    /// A hash flag that is not a policy hash.
    NotAHash { value: String },

    // --- files ---
    /// A path that does not exist.
    NotFound { path: String },
    /// A directory where a file was expected.
    IsADirectory { path: String },
    /// A file where a directory was expected.
    NotADirectory { path: String },
    /// A path jifen may not read or write.
    PermissionDenied { path: String },
    /// A file that is not UTF-8 text, from the byte given on.
    NotUtf8 { path: String, byte: usize },
    /// Any other failure to read or write a path (the system's words, as a last resort).
    Io { path: String, detail: String },
    /// Standard output could not be written.
    WriteFailed { detail: String },
    /// A temporary file could not be made or written.
    TempFile { detail: String },

    // --- policies ---
    /// The policy's hash is not the one an earlier result names.
    HashMismatch { policy: String, expected: String, found: String },
    /// `check`: a policy without a single diagnostic.
    CheckPassed { files: usize, items: usize },
    /// The hash a compiled policy's results carry.
    PolicyHash { hash: String },
    /// `explain-code` for a code that does not exist.
    UnknownCode { code: String, codes: Vec<String> },
    /// `fmt` rewrote a file.
    Formatted { file: String },
    /// `fmt` left a file alone because it does not parse.
    NotFormattedSyntax { file: String },
    /// `fmt`: a file named that is not a policy file (formatting it could only mangle it).
    NotPolicyFile { path: String },
    /// `fmt`: a directory with no `.jf` file anywhere below it.
    NoPolicyFilesBelow { path: String },
    /// `fmt --check`: a file that formatting would change.
    WouldReformat { file: String },
    /// `fmt --check`: how many files would change.
    WouldReformatCount { files: usize },

    // --- records ---
    /// No applicant with this id in the input.
    NoSuchApplicant { id: String },
    /// An input with no record in it.
    NoRecords,
    /// A record that could not be read or evaluated, named by its line (and id when known).
    RecordFault { line: usize, applicant: Option<String>, detail: Msg },
    /// A record that could not be read, for a command that explains records.
    RecordUnreadable { line: usize, applicant: Option<String>, detail: Msg },
    /// A record that could not be evaluated (named by its id).
    RecordUnevaluable { applicant: String, detail: Msg },
    /// A record left out of a ranking.
    RecordNotRanked { line: usize, applicant: Option<String>, detail: Msg },
    /// `explain --compare`: a version could not read the applicant's record.
    CompareUnreadable { applicant: String, version: String, detail: Msg },
    /// `explain --compare`: a version could not evaluate the applicant.
    CompareUnevaluable { applicant: String, version: String, detail: Msg },
    /// A line whose id an earlier line already had.
    SameId { again: usize, first: usize },
    /// More lines with repeated ids than were listed.
    SameIdMore { more: usize },
    /// Ids are checked for repeats only up to a limit.
    SameIdUnchecked { line: usize, limit: usize },
    /// The closing line of a batch.
    BatchSummary { records: usize, ok: usize, errors: usize, seconds: String, rate: String, jobs: usize },
    /// The progress bar's running count.
    Progress { records: usize, rate: String },

    // --- flags that do not go together with a format ---
    /// `explain --format json` with `--source`.
    JsonHasSpans,
    /// `explain --format json` with `--compare`.
    CompareIsText,
    /// `explain --format json` with `--brief` or `--full`.
    JsonIsWhole,
    /// `explain --format md|html` with a text-only flag.
    PageIsWhole,

    /// A fault of jifen itself.
    Internal { detail: String },
    /// A message a library type words in both languages itself (a ranking request's fault, a
    /// policy directory that cannot be loaded): carried here so it is printed the same way.
    Worded { zh: String, en: String },
}

fn list(items: &[String], lang: Lang) -> String {
    match lang {
        Lang::Zh => items.join("、"),
        Lang::En => items.join(", "),
    }
}

/// `（A0001）` / ` (A0001)` when a record's id is known.
fn who(applicant: &Option<String>, lang: Lang) -> String {
    match (applicant, lang) {
        (None, _) => String::new(),
        (Some(a), Lang::Zh) => format!("（{a}）"),
        (Some(a), Lang::En) => format!(" ({a})"),
    }
}

impl Message {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let (zh, en) = self.both();
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The message in both languages, Chinese first.
    pub fn both(&self) -> (String, String) {
        use Message as M;
        let l = |items: &[String]| (list(items, Lang::Zh), list(items, Lang::En));
        match self {
            M::UnknownArgument { argument, suggestion } => (
                format!(
                    "没有选项「{argument}」{}",
                    suggestion.as_ref().map(|s| format!("；是不是「{s}」？")).unwrap_or_default()
                ),
                format!(
                    "unknown option '{argument}'{}",
                    suggestion.as_ref().map(|s| format!("; did you mean '{s}'?")).unwrap_or_default()
                ),
            ),
            M::UnknownCommand { command, suggestion } => (
                format!(
                    "没有命令「{command}」{}",
                    suggestion.as_ref().map(|s| format!("；是不是「{s}」？")).unwrap_or_default()
                ),
                format!(
                    "unknown command '{command}'{}",
                    suggestion.as_ref().map(|s| format!("; did you mean '{s}'?")).unwrap_or_default()
                ),
            ),
            M::MissingArguments { arguments } => {
                let (zh, en) = l(arguments);
                (format!("缺少必需的参数：{zh}"), format!("missing required arguments: {en}"))
            }
            M::MissingCommand => ("缺少命令".into(), "a command is needed".into()),
            M::InvalidChoice { argument, value, choices } => {
                let (zh, en) = l(choices);
                (
                    format!("{argument} 不能取「{value}」；可选：{zh}"),
                    format!("'{value}' is not a value of {argument}; the choices are: {en}"),
                )
            }
            M::InvalidValue { argument, value, reason } => (
                format!("{argument} 的值「{value}」无效：{reason}"),
                format!("invalid value '{value}' for {argument}: {reason}"),
            ),
            M::Conflict { argument, other } => (
                format!("{argument} 不能与 {other} 同用"),
                format!("{argument} cannot be used with {other}"),
            ),
            M::WrongValues { argument } => (
                format!("{argument} 的值个数不对（缺少值、多给了值，或给了两次）"),
                format!("{argument} has the wrong number of values (missing, extra, or given twice)"),
            ),
            M::NotUnicode => ("参数不是有效的 UTF-8 文本".into(), "an argument is not valid UTF-8".into()),
            M::Usage { detail } => (format!("用法错误（{detail}）"), format!("usage error ({detail})")),
            M::SeeHelp { command } => match command {
                Some(c) => (format!("更多信息：jifen help {c}"), format!("for more information: jifen help {c}")),
                None => ("更多信息：jifen help".into(), "for more information: jifen help".into()),
            },
            M::UnknownHelpTopic { topic, commands } => {
                let (zh, en) = l(commands);
                (
                    format!("没有命令「{topic}」；命令有：{zh}"),
                    format!("no command '{topic}'; the commands are: {en}"),
                )
            }
            M::NotADate { value } => (
                format!("「{value}」不是有效日期（应为 YYYY-MM-DD）"),
                format!("'{value}' is not a valid date (YYYY-MM-DD)"),
            ),
            M::NotAHash { value } => (
                format!("「{value}」不是政策哈希（应为 sha256: 加 64 位十六进制数字）"),
                format!("'{value}' is not a policy hash (sha256: and 64 hex digits)"),
            ),
            M::NotFound { path } => (format!("找不到文件或目录：{path}"), format!("no such file or directory: {path}")),
            M::IsADirectory { path } => {
                (format!("{path} 是目录，应为文件"), format!("{path} is a directory; a file is expected here"))
            }
            M::NotADirectory { path } => {
                (format!("{path} 不是目录，应为目录"), format!("{path} is not a directory; a directory is expected here"))
            }
            M::PermissionDenied { path } => {
                (format!("没有权限读写：{path}"), format!("permission denied: {path}"))
            }
            M::NotUtf8 { path, byte } => (
                format!("{path}：不是 UTF-8 文本（第 {byte} 个字节起无法解码）；可用 iconv -f GBK -t UTF-8 转换"),
                format!(
                    "{path}: not UTF-8 text (cannot be decoded from byte {byte} on); convert it, e.g. iconv -f GBK -t UTF-8"
                ),
            ),
            M::Io { path, detail } => (format!("无法读写 {path}：{detail}"), format!("cannot read or write {path}: {detail}")),
            M::WriteFailed { detail } => {
                (format!("无法写入标准输出：{detail}"), format!("cannot write to standard output: {detail}"))
            }
            M::TempFile { detail } => {
                (format!("无法使用临时文件：{detail}"), format!("cannot use a temporary file: {detail}"))
            }
            M::HashMismatch { policy, expected, found } => (
                format!(
                    "{policy}：政策哈希不符：期望 {expected}，实际 {found}。政策已改动（或不是同一政策），结果不能与原结果对照"
                ),
                format!(
                    "{policy}: the policy hash differs: expected {expected}, found {found}. The policy has changed (or is \
                     another policy); its results cannot stand for the earlier ones"
                ),
            ),
            M::CheckPassed { files, items } => (
                format!("通过：{files} 个文件，{items} 个分项，没有问题"),
                format!("ok: {files} files, {items} items, no problems"),
            ),
            M::PolicyHash { hash } => (format!("政策哈希：{hash}"), format!("policy hash: {hash}")),
            M::UnknownCode { code, codes } => (
                format!("没有代码「{code}」；已有的代码：{}", codes.join(" ")),
                format!("no code '{code}'; the codes are: {}", codes.join(" ")),
            ),
            M::Formatted { file } => (format!("已格式化 {file}"), format!("formatted {file}")),
            M::NotFormattedSyntax { file } => {
                (format!("未格式化 {file}：先改正语法错误"), format!("not formatted {file}: fix the syntax errors first"))
            }
            M::NotPolicyFile { path } => (
                format!("{path}：不是 .jf 政策文件，不予格式化"),
                format!("{path}: not a .jf policy file, not formatted"),
            ),
            M::NoPolicyFilesBelow { path } => (
                format!("{path} 及其下各级目录中没有 .jf 政策文件"),
                format!("no .jf policy file in {path} or below it"),
            ),
            M::WouldReformat { file } => (format!("未格式化：{file}"), format!("would reformat: {file}")),
            M::WouldReformatCount { files } => (
                format!("{files} 个文件需要格式化（运行 jifen fmt 改正）"),
                format!("{files} file(s) would be reformatted (run jifen fmt to fix)"),
            ),
            M::NoSuchApplicant { id } => {
                (format!("输入中没有标识为「{id}」的申请人"), format!("no applicant with id '{id}' in the input"))
            }
            M::NoRecords => ("输入中没有记录".into(), "the input holds no record".into()),
            M::RecordFault { line, applicant, detail } => {
                let (dz, de) = (&detail.zh, &detail.en);
                (
                format!("第 {line} 行{}：{dz}", who(applicant, Lang::Zh)),
                format!("line {line}{}: {de}", who(applicant, Lang::En)),
            )
            }
            M::RecordUnreadable { line, applicant, detail } => {
                let (dz, de) = (&detail.zh, &detail.en);
                (
                format!("第 {line} 条记录{}无法读取：{dz}", who(applicant, Lang::Zh)),
                format!("record {line}{} cannot be read: {de}", who(applicant, Lang::En)),
            )
            }
            M::RecordUnevaluable { applicant, detail } => {
                let (dz, de) = (&detail.zh, &detail.en);
                (format!("{applicant}：无法评估：{dz}"), format!("{applicant}: cannot be evaluated: {de}"))
            }
            M::RecordNotRanked { line, applicant, detail } => {
                let (dz, de) = (&detail.zh, &detail.en);
                (
                format!("第 {line} 条记录{}未参加排序：{dz}", who(applicant, Lang::Zh)),
                format!("record {line}{} is not ranked: {de}", who(applicant, Lang::En)),
            )
            }
            M::CompareUnreadable { applicant, version, detail } => {
                let (dz, de) = (&detail.zh, &detail.en);
                (
                format!("{applicant}：按 {version} 版无法读取：{dz}"),
                format!("{applicant}: cannot be read under version {version}: {de}"),
            )
            }
            M::CompareUnevaluable { applicant, version, detail } => {
                let (dz, de) = (&detail.zh, &detail.en);
                (
                format!("{applicant}：按 {version} 版无法评估：{dz}"),
                format!("{applicant}: cannot be evaluated under version {version}: {de}"),
            )
            }
            M::SameId { again, first } => (
                format!("警告：第 {again} 行的编号与第 {first} 行相同（同一申请人提交了两次？）"),
                format!("warning: line {again} has the same id as line {first} (the same applicant sent twice?)"),
            ),
            M::SameIdMore { more } => (
                format!("警告：另有 {more} 行的编号与前面的行相同"),
                format!("warning: {more} more lines have an id an earlier line has"),
            ),
            M::SameIdUnchecked { line, limit } => (
                format!("警告：第 {line} 行起未检查编号是否重复（一批最多检查 {limit} 条）"),
                format!("warning: ids are not checked for repeats from line {line} on (at most {limit} a batch)"),
            ),
            M::BatchSummary { records, ok, errors, seconds, rate, jobs } => (
                format!(
                    "{records} 条记录：成功 {ok}，错误 {errors}；用时 {seconds} 秒，每秒 {rate} 条（{jobs} 个线程）"
                ),
                format!(
                    "{records} records: {ok} ok, {errors} errors; {seconds} s, {rate} records a second ({jobs} threads)"
                ),
            ),
            M::Progress { records, rate } => {
                (format!("{records} 条（每秒 {rate} 条）"), format!("{records} records ({rate} a second)"))
            }
            M::JsonHasSpans => (
                "--format json 已含每一步的政策原文位置，不与 --source 同用".into(),
                "--format json already carries the policy source of every step; it does not take --source".into(),
            ),
            M::CompareIsText => (
                "--compare 只有文本形式；--format json 请对每个版本各运行一次".into(),
                "--compare is text only; for --format json run each version once".into(),
            ),
            M::JsonIsWhole => (
                "--brief 与 --full 只用于文本说明；--format json 总是给出全部内容".into(),
                "--brief and --full are for the text explanation; --format json always gives everything".into(),
            ),
            M::PageIsWhole => (
                "--brief、--full 与 --source 只用于文本说明；md 与 html 是交给申请人的完整说明页（含所引条文）".into(),
                "--brief, --full and --source are for the text explanation; md and html are the whole page handed to \
                 the applicant (with the articles cited)"
                    .into(),
            ),
            M::Worded { zh, en } => (zh.clone(), en.clone()),
            M::Internal { detail } => (
                format!("内部错误：{detail}；请报告此问题"),
                format!("internal error: {detail}; please report it"),
            ),
        }
    }

    /// The message for a failure to read or write `path`, in jifen's words: the kinds a person can
    /// act on are named (missing, a directory, no permission), with the path once. (Text that is
    /// not UTF-8 is found where the bytes are decoded, and said with [`Message::NotUtf8`].)
    pub fn io(path: &Path, error: &std::io::Error) -> Message {
        use std::io::ErrorKind as K;
        let path = path.display().to_string();
        match error.kind() {
            K::NotFound => Message::NotFound { path },
            K::IsADirectory => Message::IsADirectory { path },
            K::NotADirectory => Message::NotADirectory { path },
            K::PermissionDenied => Message::PermissionDenied { path },
            _ => Message::Io { path, detail: error.to_string() },
        }
    }

    /// One instance of every message, for the tests that ask each for both languages.
    pub fn samples() -> Vec<Message> {
        use Message as M;
        let s = |t: &str| t.to_string();
        let samples = vec![
            M::UnknownArgument { argument: s("--polcy"), suggestion: Some(s("--policy")) },
            M::UnknownCommand { command: s("evl"), suggestion: Some(s("eval")) },
            M::MissingArguments { arguments: vec![s("--policy <POLICY>"), s("--input <INPUT>")] },
            M::MissingCommand,
            M::InvalidChoice { argument: s("--format"), value: s("xml"), choices: vec![s("text"), s("json")] },
            M::InvalidValue { argument: s("--as-of"), value: s("2021-13-01"), reason: s("x") },
            M::Conflict { argument: s("--brief"), other: s("--full") },
            M::WrongValues { argument: s("--policy") },
            M::NotUnicode,
            M::Usage { detail: s("ArgumentConflict") },
            M::SeeHelp { command: Some(s("eval")) },
            M::SeeHelp { command: None },
            M::UnknownHelpTopic { topic: s("evl"), commands: vec![s("eval"), s("check")] },
            M::NotADate { value: s("2021-02-30") },
            M::NotAHash { value: s("abc") },
            M::NotFound { path: s("x.json") },
            M::IsADirectory { path: s("examples") },
            M::NotADirectory { path: s("README.md") },
            M::PermissionDenied { path: s("/root/x") },
            M::NotUtf8 { path: s("a.jf"), byte: 3 },
            M::Io { path: s("x"), detail: s("disk full") },
            M::WriteFailed { detail: s("disk full") },
            M::TempFile { detail: s("disk full") },
            M::HashMismatch { policy: s("p"), expected: s("sha256:00"), found: s("sha256:11") },
            M::CheckPassed { files: 3, items: 20 },
            M::PolicyHash { hash: s("sha256:00") },
            M::UnknownCode { code: s("E9999"), codes: vec![s("E0001")] },
            M::Formatted { file: s("a.jf") },
            M::NotFormattedSyntax { file: s("a.jf") },
            M::NotPolicyFile { path: s("a.json") },
            M::NoPolicyFilesBelow { path: s("notes") },
            M::WouldReformat { file: s("a.jf") },
            M::WouldReformatCount { files: 2 },
            M::NoSuchApplicant { id: s("A9") },
            M::NoRecords,
            M::RecordFault { line: 3, applicant: Some(s("A1")), detail: Msg::new("原因", "why") },
            M::RecordUnreadable { line: 2, applicant: None, detail: Msg::new("原因", "why") },
            M::RecordUnevaluable { applicant: s("A1"), detail: Msg::new("原因", "why") },
            M::RecordNotRanked { line: 3, applicant: None, detail: Msg::new("原因", "why") },
            M::CompareUnreadable { applicant: s("A1"), version: s("2015"), detail: Msg::new("原因", "why") },
            M::CompareUnevaluable { applicant: s("A1"), version: s("2015"), detail: Msg::new("原因", "why") },
            M::SameId { again: 5, first: 2 },
            M::SameIdMore { more: 7 },
            M::SameIdUnchecked { line: 100, limit: 99 },
            M::BatchSummary { records: 3, ok: 2, errors: 1, seconds: s("0.10"), rate: s("30"), jobs: 2 },
            M::Progress { records: 3, rate: s("30") },
            M::JsonHasSpans,
            M::CompareIsText,
            M::JsonIsWhole,
            M::PageIsWhole,
            M::Internal { detail: s("x") },
            M::Worded { zh: s("政策没有用途「x」"), en: s("the policy has no purpose 'x'") },
        ];
        // Every variant is listed above: this match has no wildcard, so a new message that is
        // not added to the samples fails to compile here.
        for m in &samples {
            match m {
                M::UnknownArgument { .. }
                | M::UnknownCommand { .. }
                | M::MissingArguments { .. }
                | M::MissingCommand
                | M::InvalidChoice { .. }
                | M::InvalidValue { .. }
                | M::Conflict { .. }
                | M::WrongValues { .. }
                | M::NotUnicode
                | M::Usage { .. }
                | M::SeeHelp { .. }
                | M::UnknownHelpTopic { .. }
                | M::NotADate { .. }
                | M::NotAHash { .. }
                | M::NotFound { .. }
                | M::IsADirectory { .. }
                | M::NotADirectory { .. }
                | M::PermissionDenied { .. }
                | M::NotUtf8 { .. }
                | M::Io { .. }
                | M::WriteFailed { .. }
                | M::TempFile { .. }
                | M::HashMismatch { .. }
                | M::CheckPassed { .. }
                | M::PolicyHash { .. }
                | M::UnknownCode { .. }
                | M::Formatted { .. }
                | M::NotFormattedSyntax { .. }
                | M::NotPolicyFile { .. }
                | M::NoPolicyFilesBelow { .. }
                | M::WouldReformat { .. }
                | M::WouldReformatCount { .. }
                | M::NoSuchApplicant { .. }
                | M::NoRecords
                | M::RecordFault { .. }
                | M::RecordUnreadable { .. }
                | M::RecordUnevaluable { .. }
                | M::RecordNotRanked { .. }
                | M::CompareUnreadable { .. }
                | M::CompareUnevaluable { .. }
                | M::SameId { .. }
                | M::SameIdMore { .. }
                | M::SameIdUnchecked { .. }
                | M::BatchSummary { .. }
                | M::Progress { .. }
                | M::JsonHasSpans
                | M::CompareIsText
                | M::JsonIsWhole
                | M::PageIsWhole
                | M::Internal { .. }
                | M::Worded { .. } => {}
            }
        }
        samples
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(text: &str) -> bool {
        text.chars().any(|c| matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF00..=0xFFEF))
    }

    #[test]
    fn every_message_has_both_languages() {
        for m in Message::samples() {
            let (zh, en) = m.both();
            assert!(!zh.is_empty() && !en.is_empty(), "{m:?}");
            assert!(has_cjk(&zh), "the Chinese of {m:?} has no Chinese: {zh}");
            assert!(!has_cjk(&en), "the English of {m:?} has Chinese: {en}");
            assert_ne!(zh, en, "{m:?}");
        }
    }

    #[test]
    fn io_errors_are_worded_with_the_path_once() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let m = Message::io(Path::new("x.json"), &missing);
        assert_eq!(m.text(Lang::Zh), "找不到文件或目录：x.json");
        assert_eq!(m.text(Lang::En), "no such file or directory: x.json");
    }
}
