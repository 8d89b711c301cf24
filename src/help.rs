//! The command line's help in the user's language: Chinese by default, English with `--lang en`.
//! Every command and option says what it does, every command shows an example, and every page
//! ends with the exit codes. The parser's definition (main.rs) stays the single source of the
//! flags; this table only words them.

use clap::{Arg, ArgAction, Command};
use jifen::diag::Lang;

/// The exit codes, on every page.
const EXIT_CODES: (&str, &str) = (
    "退出码：0 成功；1 发现政策或数据错误（诊断、无法读取或评估的记录、未通过的测试）；2 用法或读写错误。",
    "Exit codes: 0 ok; 1 policy or data errors found (diagnostics, records that cannot be read or \
     evaluated, failed tests); 2 usage or I/O error.",
);

/// One command: what it does, an example, and each argument's help, in both languages.
struct Page {
    name: &'static str,
    about: (&'static str, &'static str),
    example: &'static str,
    args: &'static [(&'static str, &'static str, &'static str)],
}

const POLICY: (&str, &str, &str) = ("policy", "政策目录（其中的 .jf 文件）", "the policy directory (its .jf files)");
const INPUT: (&str, &str, &str) = (
    "input",
    "申请人记录：文件，或 - 表示标准输入；一个 JSON 对象、JSON 数组或 JSON Lines，按内容判断",
    "applicant records: a file, or - for stdin; one JSON object, a JSON array or JSON Lines, judged by content",
);
const AS_OF: (&str, &str, &str) = (
    "as_of",
    "评估日（YYYY-MM-DD），代替每条记录自己的评估日",
    "the evaluation date (YYYY-MM-DD), instead of each record's own",
);
const JOBS: (&str, &str, &str) =
    ("jobs", "处理 JSON Lines 的线程数（默认：每个核一个）", "worker threads for JSON Lines (default: one per core)");

const EXPECT_HASH: (&str, &str, &str) = (
    "expect_hash",
    "政策哈希（sha256:…，取自以前的结果）：当前政策的哈希不同则不评估，退出码为 1",
    "a policy hash (sha256:…, from an earlier result): refuse to evaluate, exit 1, if the policy's hash differs",
);

const PAGES: &[Page] = &[
    Page {
        name: "check",
        about: ("检查政策目录，报告全部诊断（错误与警告）", "Check a policy directory and report every diagnostic"),
        example: "jifen check 政策目录\njifen check 政策目录 --format json --lang en",
        args: &[
            POLICY,
            ("format", "text 给人看；json 给编辑器与 CI（代码、级别、文件、行、列、说明、改法）", "text for people; json for editors and CI (code, severity, file, line, column, message, fix)"),
        ],
    },
    Page {
        name: "test",
        about: ("运行政策文件中的测试（测试），逐条报告；有未通过的则退出码为 1", "Run the policy's own tests (测试) and report each; exit 1 if any fails"),
        example: "jifen test 政策目录",
        args: &[POLICY],
    },
    Page {
        name: "explain-code",
        about: ("显示诊断代码的说明：含义、为何重要、示例与改法", "Show the page of a diagnostic code: what it means, why it matters, an example, the fix"),
        example: "jifen explain-code E0004\njifen explain-code W0402 --lang en",
        args: &[("code", "诊断代码，如 E0004、W0402", "a code such as E0004 or W0402")],
    },
    Page {
        name: "fmt",
        about: ("就地格式化政策文件（目录：其下各级的每个 .jf 文件）", "Format policy files in place (directories: every .jf file below them)"),
        example: "jifen fmt 政策目录\njifen fmt --check 政策目录/某文件.jf",
        args: &[
            ("paths", "政策文件或政策目录", "policy files or directories"),
            ("check", "不改文件：打印将要改动的差异，有改动则退出码为 1", "change nothing; print the diff of what would change and exit 1 if anything would"),
        ],
    },
    Page {
        name: "compile",
        about: ("编译政策并打印其中间表示（IR，JSON）", "Compile a policy and print its IR (JSON)"),
        example: "jifen compile 政策目录 > 政策.ir.json",
        args: &[POLICY, ("emit", "输出什么：ir（带版本号的中间表示）", "what to print: ir (the versioned intermediate representation)")],
    },
    Page {
        name: "eval",
        about: ("评估申请人：每个分项、每个用途与途径", "Evaluate applicants: every item, purpose and route"),
        example: "jifen eval --policy 政策目录 --input 申请人.json\njifen eval --policy 政策目录 --input 申请人.jsonl --format jsonl > 结果.jsonl\ncat 申请人.jsonl | jifen eval --policy 政策目录 --input - --format jsonl --as-of 2021-05-10",
        args: &[
            POLICY,
            INPUT,
            AS_OF,
            ("format", "text 为表格；json 为一个文档；jsonl 每行输入一行结果（JSON Lines 输入时流式处理）", "text is a table; json one document; jsonl one answer line per input line (streamed over JSON Lines)"),
            JOBS,
            EXPECT_HASH,
            ("quiet", "标准错误上不显示进度条与结束时的汇总", "no progress bar and no closing summary on stderr"),
        ],
    },
    Page {
        name: "diff",
        about: ("比较政策的两个版本：逐条文说明改了什么；加 --impact 时说明每处改动影响了谁", "Compare two versions of a policy, article by article; with --impact, whom each change moves"),
        example: "jifen diff 旧政策目录 新政策目录\njifen diff 旧政策目录 新政策目录 --impact 申请人.jsonl --format md > 备忘录.md",
        args: &[
            ("old", "旧版本的政策目录", "the old version's policy directory"),
            ("new", "新版本的政策目录", "the new version's policy directory"),
            ("format", "text 给终端；md 为备忘录；json 给程序", "text for a terminal, md for a memo, json for programs"),
            ("impact", "在两个版本下评估这些申请人（文件或 -）：谁的结果变了、因为哪处改动", "applicants to evaluate under both versions (a file or -): who moves, and because of which change"),
            ("as_of", "与 --impact 同用：所有人按此评估日评估", "with --impact: evaluate everyone on this date"),
        ],
    },
    Page {
        name: "rank",
        about: ("按政策的排序规则，在指标数内对某一用途的符合条件者排序", "Rank the eligible applicants of a purpose under quotas, as the policy's 排序 declares"),
        example: "jifen rank --policy 政策目录 --input 申请人.jsonl --purpose 用途名 --quotas 指标.json --format md",
        args: &[
            POLICY,
            INPUT,
            ("purpose", "参加排序的用途（政策的 排序 所指的用途）", "the purpose ranked (one the policy's 排序 names)"),
            ("quotas", "各分组的指标数，JSON 对象：{\"某地\": 120, …}；未列出的为 0", "each group's quota as a JSON object: {\"某地\": 120, …}; a value left out has 0"),
            ("format", "jsonl 每人一行；csv；md 为可贴进公告的表格", "jsonl a line each; csv; md a table to paste into a notice"),
            AS_OF,
            JOBS,
            EXPECT_HASH,
        ],
    },
    Page {
        name: "explain",
        about: ("逐项说明申请人的评估：用到的事实、算式与依据条文", "Explain an applicant's evaluation item by item: the facts used, the arithmetic and the articles"),
        example: "jifen explain --policy 政策目录 --input 申请人.jsonl --applicant A0001\njifen explain --policy 政策目录 --input 申请人.json --format json\njifen explain --policy 旧政策目录 --compare 新政策目录 --input 申请人.jsonl --applicant A0001",
        args: &[
            POLICY,
            INPUT,
            ("applicant", "只说明这一位申请人（按编号）", "only this applicant (by id)"),
            AS_OF,
            ("source", "在每一步旁显示产生它的政策原文行", "show the policy line behind each step"),
            ("format", "text 给人看；json 给程序：每个分项、步骤、事实、条款与依据，各带政策原文位置（一位申请人为一个对象，多位为数组）", "text for people; json for programs: every item, step, fact, clause and citation, each with its source span (one applicant: an object; several: an array)"),
            ("compare", "另一版本的政策目录：两个版本下的说明并排对照（需要 --applicant）", "another version's policy directory: the explanations under both, side by side (needs --applicant)"),
            EXPECT_HASH,
        ],
    },
    Page {
        name: "completions",
        about: ("打印 shell 补全脚本", "Print a completion script for a shell"),
        example: "source <(jifen completions bash)\njifen completions zsh > ~/.zfunc/_jifen",
        args: &[("shell", "bash、zsh、fish、elvish 或 powershell", "bash, zsh, fish, elvish or powershell")],
    },
];

/// `--lang en` (or `--lang=en`) anywhere on the command line: the help is worded before parsing.
pub fn lang_of_args(args: &[std::ffi::OsString]) -> Lang {
    let words: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let english = words.windows(2).any(|w| w == ["--lang", "en"]) || words.contains(&"--lang=en");
    if english {
        Lang::En
    } else {
        Lang::Zh
    }
}

fn pick(lang: Lang, (zh, en): (&'static str, &'static str)) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn after(lang: Lang, example: &str) -> String {
    match lang {
        Lang::Zh => format!("示例：\n{}\n\n{}", indent(example), EXIT_CODES.0),
        Lang::En => format!("Examples:\n{}\n\n{}", indent(example), EXIT_CODES.1),
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

/// Chinese pages head their sections in Chinese; clap's own headings are English.
fn framed(cmd: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => cmd,
        Lang::Zh => cmd
            .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("命令"),
    }
}

/// Chinese headings for the arguments, and their defaults and choices said in Chinese (clap says
/// them in English).
fn chinese_arguments(cmd: Command) -> Command {
    // Re-headed arguments keep the order they are declared in.
    let mut order = 0usize;
    cmd.mut_args(|a| {
        order += 1;
        let heading = if a.is_positional() { "参数" } else { "选项" };
        let mut notes = Vec::new();
        let defaults: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() {
            notes.push(format!("默认：{}", defaults.join("、")));
        }
        if a.get_action().takes_values() {
            let choices: Vec<String> =
                a.get_possible_values().iter().filter(|p| !p.is_hide_set()).map(|p| p.get_name().to_string()).collect();
            if !choices.is_empty() {
                notes.push(format!("可选：{}", choices.join("、")));
            }
        }
        // An argument without help text gets only its notes.
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        let help = if notes.is_empty() { help } else { format!("{help}（{}）", notes.join("；")) };
        let a = a.help_heading(heading).display_order(order).help(help);
        // Only an argument that takes a value has a default or choices to hide (clap checks this).
        if a.get_action().takes_values() {
            a.hide_default_value(true).hide_possible_values(true)
        } else {
            a
        }
    })
}

/// The parser's command, worded in `lang`.
pub fn localized(cmd: Command, lang: Lang) -> Command {
    let top_about =
        pick(lang, ("积分 — 积分制政策的政策即代码工具", "积分 — policy-as-code for points-based residency rules"));
    let top_example = "jifen check 政策目录\njifen eval --policy 政策目录 --input 申请人.jsonl --format jsonl\njifen explain --policy 政策目录 --input 申请人.jsonl --applicant A0001";
    let mut cmd = framed(cmd, lang)
        .about(top_about)
        .after_help(after(lang, top_example))
        .mut_arg("lang", |a| a.help(pick(lang, ("说明与诊断的语言", "language of help and diagnostics"))))
        .mut_arg("color", |a| {
            a.help(pick(
                lang,
                (
                    "诊断着色：auto 在终端且未设 NO_COLOR 时着色",
                    "colour diagnostics: auto colours on a terminal unless NO_COLOR is set",
                ),
            ))
        });
    // clap's own -h and -V, worded like the rest (`jifen help CMD` is `jifen CMD --help`).
    cmd = cmd
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .global(true)
                .action(ArgAction::Help)
                .help(pick(lang, ("显示帮助", "print help"))),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(pick(lang, ("显示版本", "print the version"))),
        );
    if matches!(lang, Lang::Zh) {
        cmd = chinese_arguments(cmd);
    }
    for page in PAGES {
        cmd = cmd.mut_subcommand(page.name, |sub| {
            let mut sub = framed(sub, lang).about(pick(lang, page.about)).after_help(after(lang, page.example));
            for (id, zh, en) in page.args {
                sub = sub.mut_arg(*id, |a| a.help(pick(lang, (zh, en))));
            }
            match lang {
                Lang::Zh => chinese_arguments(sub),
                Lang::En => sub,
            }
        });
    }
    cmd
}
