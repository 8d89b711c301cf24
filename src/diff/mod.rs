//! The semantic diff of two policy versions: declarations matched by stable id, each change
//! `added`, `removed` or `changed`, a changed one with the leaves that moved in the policy's own
//! words, and the citations (and article texts) of both sides.
//!
//! It compares IRs, never text: layout, comments, the order of declarations, a binder's name and
//! `>=` written as `满` are no change. [`impact`] evaluates a population under both versions and
//! attributes who moved to the changes found here. `report::diff` renders both for people.

pub mod clauses;
mod decls;
pub mod expr;
pub mod impact;

use crate::ir::{Origin, Policy};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn zh(self) -> &'static str {
        match self {
            ChangeKind::Added => "新增",
            ChangeKind::Removed => "删去",
            ChangeKind::Changed => "修改",
        }
    }
}

/// What a change is about: a declaration, or a part of one that has its own identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Policy,
    Document,
    Article,
    Purpose,
    Route,
    Clause,
    Ranking,
    Item,
    Constant,
    Table,
    TableRow,
    Assertion,
    Enum,
    EnumValue,
    Record,
    Field,
}

impl Subject {
    /// The declaration keyword (or its part) as the policy language names it.
    pub fn zh(self) -> &'static str {
        match self {
            Subject::Policy => "政策",
            Subject::Document => "文件",
            Subject::Article => "条文",
            Subject::Purpose => "用途",
            Subject::Route => "途径",
            Subject::Clause => "条款",
            Subject::Ranking => "排序",
            Subject::Item => "分项",
            Subject::Constant => "常量",
            Subject::Table => "表",
            Subject::TableRow => "表行",
            Subject::Assertion => "约束",
            Subject::Enum => "枚举",
            Subject::EnumValue => "枚举值",
            Subject::Record => "记录",
            Subject::Field => "字段",
        }
    }
}

/// One leaf that moved: under `aspect` (`计分`, `条件`, `不符合`, `依据`…), at a place inside it
/// (a match arm, a bracket, the quantity a step counts), from `old` to `new` (one side absent for
/// a part added or removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail {
    pub aspect: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Detail {
    pub fn changed(aspect: &str, at: Option<&str>, old: String, new: String) -> Self {
        Detail { aspect: aspect.into(), at: at.map(str::to_string), old: Some(old), new: Some(new) }
    }

    pub fn added(aspect: &str, at: Option<&str>, new: String) -> Self {
        Detail { aspect: aspect.into(), at: at.map(str::to_string), old: None, new: Some(new) }
    }

    pub fn removed(aspect: &str, at: Option<&str>, old: String) -> Self {
        Detail { aspect: aspect.into(), at: at.map(str::to_string), old: Some(old), new: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Sides {
    pub old: Vec<String>,
    pub new: Vec<String>,
}

/// The text of an article a change cites, as the version declaring it transcribes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleText {
    /// `old` or `new`.
    pub version: &'static str,
    pub cite: String,
    pub title: Option<String>,
    pub text: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub subject: Subject,
    /// The stable id: `社会保险`, `积分落户/第七条·2`, `过渡期截止日/张家港市`, `居住地.吴江区`.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where in the law the change belongs (its first citation, the new side's when both have one).
    pub document: Option<String>,
    pub article: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_title: Option<String>,
    pub cites: Sides,
    pub details: Vec<Detail>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub articles: Vec<ArticleText>,
    /// Its position in the law, for ordering: (document, article) indices of the version cited.
    #[serde(skip)]
    pub order: (usize, usize),
}

/// What changed between two versions of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The old version's name, version and hash.
    pub old: Origin,
    /// The new version's name, version and hash.
    pub new: Origin,
    /// The jifen that compared them.
    pub jifen: &'static str,
    /// Every change, in the order of the law (document, article).
    pub changes: Vec<Change>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compare two compiled policies declaration by declaration.
pub fn diff(old: &Policy, new: &Policy) -> Diff {
    let mut changes = decls::changes(old, new);
    changes.sort_by_key(|c| (c.order, c.subject));
    Diff { old: Origin::of(old), new: Origin::of(new), jifen: crate::VERSION, changes }
}
