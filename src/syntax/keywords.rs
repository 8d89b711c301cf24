//! The one table of keywords: each Chinese keyword and its English alias.
//! `grammar/jifen.pest` must spell exactly these (a test checks it).

pub use super::ast::DeclarationKind;

pub struct Keyword {
    pub zh: &'static str,
    pub en: &'static str,
}

macro_rules! keywords {
    ($($zh:literal $en:literal),* $(,)?) => { &[$(Keyword { zh: $zh, en: $en }),*] };
}

pub const KEYWORDS: &[Keyword] = keywords![
    "政策" "policy", "文件" "document", "版本" "version", "施行" "effective", "模拟取值" "modelled",
    "枚举" "enum", "记录" "record", "申请人" "applicant", "常量" "const", "表" "table",
    "分项" "item", "基础分" "base", "附加分" "bonus", "扣减分" "deduction", "依据" "per",
    "最高" "cap", "每满" "every", "计" "gives", "若有" "iflet", "若" "if", "则" "then",
    "否则" "else", "匹配" "match", "分段" "brackets", "满" "from", "未满" "below",
    "其他情形" "otherwise", "且" "and", "或" "or", "非" "not", "是" "is", "之一" "oneof",
    "属于" "in", "其中" "where", "介于" "between", "至" "to", "缺省" "default", "评估日" "asof",
    "真" "true", "假" "false", "设" "let", "标识" "id", "称谓" "label",
    "用途" "purpose", "途径" "route", "计入" "counts", "适用" "applies", "期间" "window",
    "条件" "condition", "不符合" "failing", "同" "sameas", "排序" "rank", "降序" "desc",
    "升序" "asc", "约束" "assert", "每个" "each", "总分" "total", "未列出" "missing", "待定" "undecided",
    "条文" "articles", "包括" "includes", "样例" "sample", "测试" "test", "基于" "basedon", "预期" "expect",
    "不超过" "atmost", "超过" "over", "不满" "under", "以上" "ormore", "以下" "orless", "在" "at",
    "条款组" "clausegroup", "沿用" "reuse", "分组" "groupby", "说明" "describe",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.zh == word || k.en == word)
}

/// The keywords that begin a declaration, and what they declare. Written at column 0, one of these
/// begins a declaration; nothing else does.
pub const DECLARATION_KEYWORDS: &[(&str, &str, DeclarationKind)] = &[
    ("政策", "policy", DeclarationKind::Policy),
    ("文件", "document", DeclarationKind::Document),
    ("条文", "articles", DeclarationKind::Articles),
    ("枚举", "enum", DeclarationKind::Enum),
    ("记录", "record", DeclarationKind::Record),
    ("申请人", "applicant", DeclarationKind::Applicant),
    ("常量", "const", DeclarationKind::Const),
    ("表", "table", DeclarationKind::Table),
    ("分项", "item", DeclarationKind::Item),
    ("用途", "purpose", DeclarationKind::Purpose),
    ("途径", "route", DeclarationKind::Route),
    ("排序", "rank", DeclarationKind::Rank),
    ("约束", "assert", DeclarationKind::Assert),
    ("样例", "sample", DeclarationKind::Sample),
    ("测试", "test", DeclarationKind::Test),
    ("条款组", "clausegroup", DeclarationKind::ClauseGroup),
];

pub fn declaration_kind(word: &str) -> Option<DeclarationKind> {
    DECLARATION_KEYWORDS.iter().find(|(zh, en, _)| *zh == word || *en == word).map(|(_, _, k)| *k)
}

/// Whether a line begins a declaration: at column 0, a declaration keyword standing alone — except
/// `申请人.…`, the applicant in an expression.
pub fn begins_declaration(line: &str) -> bool {
    let word: String = line.chars().take_while(|c| super::parser::is_word_char(*c)).collect();
    // `word` is the line's first characters: the cut is a character boundary inside it.
    let rest = line.get(word.len()..).unwrap_or("").trim_start_matches([' ', '\t', '\u{3000}']);
    declaration_kind(&word).is_some() && !rest.starts_with('.')
}

/// When a name is a keyword glued to a known word (`若申请人`), the drafter forgot a space.
/// Names that merely begin with a keyword's character (`设过渡期`, `表彰`) are left alone.
pub fn glued_keyword(name: &str, known: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    KEYWORDS.iter().map(|k| k.zh).filter(|k| name.strip_prefix(k).is_some_and(known)).max_by_key(|k| k.len())
}
