//! Ranking under quotas, as the policy declares it (`排序 … 分组 … ：键 降序，…`): the eligible
//! applicants of a purpose, one round per value of the group (each with its quota), ordered by the
//! declared keys — an absent key after every present one, two absent ones equal — with standard
//! competition ranking (1, 1, 3). An applicant is admitted when their rank is within the quota, so
//! everyone tied with the last place admitted is admitted too. Only the keys of the eligible are
//! kept: memory grows with them, not with the input.

use super::stream::{each, Options, Records, StreamError};
use crate::data::{Applicant, Read, RecordError};
use crate::diag::Msg;
use crate::eval::decide::Status;
use crate::eval::value::Value;
use crate::eval::{ranking_values, score_purpose, status_before_scoring};
use crate::ir::{ExprKind, Policy, RankingDef, Type};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Why a ranking cannot be made (the request, not a record, is at fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RankError {
    NoSuchPurpose {
        purpose: String,
        known: Vec<String>,
    },
    NotRanked {
        purpose: String,
        ranked: Vec<String>,
    },
    NoGroup {
        purpose: String,
    },
    /// The quotas file is at fault, in both languages.
    Quotas(crate::diag::Msg),
    /// A fault of jifen (the IR lacks what the ranking names).
    Internal(String),
}

impl RankError {
    /// Why, in `lang`.
    pub fn message(&self, lang: crate::diag::Lang) -> String {
        use crate::diag::Lang;
        let en = lang == Lang::En;
        let or_none = |v: &[String]| match (v.is_empty(), en) {
            (true, false) => "无".to_string(),
            (true, true) => "none".to_string(),
            (false, false) => v.join("、"),
            (false, true) => v.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", "),
        };
        match (self, en) {
            (RankError::NoSuchPurpose { purpose, known }, false) => {
                format!("政策没有用途「{purpose}」；有：{}", or_none(known))
            }
            (RankError::NoSuchPurpose { purpose, known }, true) => {
                format!("the policy has no purpose '{purpose}'; it has: {}", or_none(known))
            }
            (RankError::NotRanked { purpose, ranked }, false) => {
                format!("政策没有为用途「{purpose}」声明排序（排序 …）；声明了排序的用途：{}", or_none(ranked))
            }
            (RankError::NotRanked { purpose, ranked }, true) => format!(
                "the policy declares no ranking (排序 …) for the purpose '{purpose}'; purposes with a ranking: {}",
                or_none(ranked)
            ),
            (RankError::NoGroup { purpose }, false) => {
                format!("用途「{purpose}」的排序没有分组（排序 … 分组 申请人.…），无法按指标数准入")
            }
            (RankError::NoGroup { purpose }, true) => format!(
                "the ranking of the purpose '{purpose}' has no group (排序 … 分组 申请人.…): quotas cannot be applied"
            ),
            (RankError::Quotas(m), false) => format!("指标数文件：{}", m.zh),
            (RankError::Quotas(m), true) => format!("the quotas file: {}", m.en),
            (RankError::Internal(m), false) => format!("内部错误（{m}），请报告此问题"),
            (RankError::Internal(m), true) => format!("internal error ({m}); please report it"),
        }
    }
}

/// One ranked applicant.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub applicant: String,
    pub line: usize,
    /// The group's value (an index into `Ranking::group_values`).
    pub group: usize,
    pub rank: usize,
    pub total: Decimal,
    pub admitted: bool,
    /// Each key's value as a drafter reads it (`86个月`, `2014-03-01`, `无`), for notices.
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub value: String,
    pub quota: u64,
    pub eligible: usize,
    pub admitted: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordFault {
    pub line: usize,
    pub applicant: Option<String>,
    /// What is wrong with the record, in both languages.
    pub message: Msg,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The policy that ranked (its hash goes into every form of the ranking).
    pub policy: crate::ir::Origin,
    pub purpose: String,
    /// What the rounds are by, as the output names it (the field grouped by: `居住地`).
    pub group_name: String,
    pub group_values: Vec<String>,
    /// The keys as the policy writes them (`总分`, `社保累计月数`), in order.
    pub key_names: Vec<String>,
    /// In the group's order, then rank, then the applicant's id.
    pub rows: Vec<Ranked>,
    pub groups: Vec<GroupSummary>,
    pub records: usize,
    pub not_eligible: usize,
    pub faults: Vec<RecordFault>,
    /// Lines whose 编号 an earlier line already had: the same applicant could be ranked twice.
    pub repeats: crate::batch::same_id::Repeats,
}

/// The quota of each value of the group, from a JSON object (`{"姑苏区": 120, …}`); a value the
/// file leaves out has quota 0, a name the enumeration does not have is an error (a typo would
/// otherwise silently give a district no places).
pub fn parse_quotas(text: &str, values: &[String]) -> Result<Vec<u64>, RankError> {
    // Without a BOM the text is the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        RankError::Quotas(crate::diag::Msg::new(format!("不是有效的 JSON：{e}"), format!("not valid JSON: {e}")))
    })?;
    let Some(map) = json.as_object() else {
        return Err(RankError::Quotas(crate::diag::Msg::new(
            "应为一个对象，如 {\"某地\": 120}",
            "a JSON object is expected, e.g. {\"某地\": 120}",
        )));
    };
    let mut quotas = vec![0u64; values.len()];
    let mut faults = Vec::new();
    for (name, count) in map {
        let Some(i) = values.iter().position(|v| v == name) else {
            faults.push(crate::diag::Msg::new(
                format!("「{name}」不是分组的值（应为：{}）", values.join("、")),
                format!("'{name}' is not a value of the group (one of: {})", values.join(", ")),
            ));
            continue;
        };
        match count.as_u64() {
            Some(n) => {
                if let Some(q) = quotas.get_mut(i) {
                    *q = n;
                }
            }
            None => faults.push(crate::diag::Msg::new(
                format!("「{name}」的指标数 {count} 不是非负整数"),
                format!("the quota {count} of '{name}' is not a whole number of zero or more"),
            )),
        }
    }
    if faults.is_empty() {
        Ok(quotas)
    } else {
        let zh: Vec<&str> = faults.iter().map(|m| m.zh.as_str()).collect();
        let en: Vec<&str> = faults.iter().map(|m| m.en.as_str()).collect();
        Err(RankError::Quotas(crate::diag::Msg::new(zh.join("；"), en.join("; "))))
    }
}

/// The ranking a purpose declares, and what its rounds are by.
pub fn ranking_of<'p>(policy: &'p Policy, purpose: &str) -> Result<(u32, &'p RankingDef), RankError> {
    let index = policy.purposes.iter().position(|p| p.name == purpose).ok_or_else(|| RankError::NoSuchPurpose {
        purpose: purpose.into(),
        known: policy.purposes.iter().map(|p| p.name.clone()).collect(),
    })?;
    // Purposes are declarations, and the checker refuses more than a u32 numbers: it fits.
    let index = u32::try_from(index).unwrap_or(u32::MAX);
    let ranking = policy.rankings.iter().find(|r| r.purposes.contains(&index)).ok_or_else(|| RankError::NotRanked {
        purpose: purpose.into(),
        ranked: policy
            .rankings
            .iter()
            .flat_map(|r| r.purposes.iter())
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            .filter_map(|i| policy.purposes.get(*i as usize))
            .map(|p| p.name.clone())
            .collect(),
    })?;
    Ok((index, ranking))
}

/// The group's name and values: `居住地` and its enumeration's values, in order.
pub fn group_of(policy: &Policy, ranking: &RankingDef, purpose: &str) -> Result<(String, Vec<String>), RankError> {
    let Some(g) = &ranking.group else { return Err(RankError::NoGroup { purpose: purpose.into() }) };
    let Type::Enum(en) = &g.ty else { return Err(RankError::NoGroup { purpose: purpose.into() }) };
    // Without its enumeration the rounds would have no values and no quotas: nobody admitted, and
    // a blank group name.
    let Some(def) = policy.enum_def(*en) else {
        return Err(RankError::Internal(format!("用途「{purpose}」的分组所用的枚举不存在")));
    };
    let name = match &g.kind {
        ExprKind::Field { name, .. } => name.clone(),
        _ => def.name.clone(),
    };
    Ok((name, def.variants.clone()))
}

/// Keys compared as declared; an absent key comes after every present one whatever the direction.
fn compare(a: &[Value], b: &[Value], ranking: &RankingDef) -> Ordering {
    for ((x, y), k) in a.iter().zip(b).zip(&ranking.keys) {
        let o = match (x, y) {
            (Value::Absent, Value::Absent) => Ordering::Equal,
            (Value::Absent, _) => return Ordering::Greater,
            (_, Value::Absent) => return Ordering::Less,
            (Value::Num(p), Value::Num(q)) => p.cmp(q),
            (Value::Date(p), Value::Date(q)) => p.cmp(q),
            _ => Ordering::Equal,
        };
        let o = if k.descending { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// A ranking being made: what it ranks by and under which quotas. Applicants are considered one
/// at a time (in any order, on any thread); `finish` ranks what was kept.
pub struct Ranker<'p> {
    policy: &'p Policy,
    purpose: String,
    index: u32,
    ranking: &'p RankingDef,
    group_name: String,
    group_values: Vec<String>,
    quotas: Vec<u64>,
}

/// What one record contributes: the keys of an eligible applicant, or a count.
pub enum Considered {
    Entry(Entry),
    NotEligible,
    Fault(RecordFault),
}

/// What was considered, kept as it arrives: the eligible applicants' keys, the faults, and counts.
#[derive(Default)]
pub struct Tally {
    entries: Vec<Entry>,
    records: usize,
    not_eligible: usize,
    faults: Vec<RecordFault>,
}

impl Tally {
    pub fn add(&mut self, considered: Considered) {
        self.records += 1;
        match considered {
            Considered::Entry(e) => self.entries.push(e),
            Considered::NotEligible => self.not_eligible += 1,
            Considered::Fault(f) => self.faults.push(f),
        }
    }
}

/// What the ranking keeps of an eligible applicant.
pub struct Entry {
    applicant: String,
    line: usize,
    group: usize,
    total: Decimal,
    keys: Vec<Value>,
}

impl<'p> Ranker<'p> {
    pub fn new(policy: &'p Policy, purpose: &str, quotas_text: &str) -> Result<Ranker<'p>, RankError> {
        let (index, ranking) = ranking_of(policy, purpose)?;
        let (group_name, group_values) = group_of(policy, ranking, purpose)?;
        let quotas = parse_quotas(quotas_text, &group_values)?;
        Ok(Ranker { policy, purpose: purpose.into(), index, ranking, group_name, group_values, quotas })
    }

    /// Score one record (without a trace) and keep what the ranking compares, if it is eligible.
    pub fn consider(&self, line: usize, read: Result<Applicant, RecordError>, as_of: Option<NaiveDate>) -> Considered {
        let policy = self.policy;
        let applicant = match read {
            Ok(a) => a,
            Err(e) => return Considered::Fault(RecordFault { line, applicant: e.applicant, message: e.message }),
        };
        // The date given for the whole run, or else the record's own.
        let day = as_of.unwrap_or(applicant.as_of);
        let fault =
            |message: Msg| Considered::Fault(RecordFault { line, applicant: Some(applicant.id.clone()), message });
        // Most applicants fail a condition that does not need their points: they are counted
        // without scoring their items. (u32 → usize widens losslessly: lib.rs.)
        let index = self.index as usize;
        if status_before_scoring(policy, &applicant.value, day, index).is_some_and(|s| s != Status::Eligible) {
            return Considered::NotEligible;
        }
        let evaluation = match score_purpose(policy, &applicant.value, day, index) {
            Ok(e) => e,
            Err(e) => return fault(e.message),
        };
        // score_purpose decides the one purpose asked for, which ranking_of found: without it the
        // applicant would be counted as not eligible for no reason.
        let Some(result) = evaluation.purposes.first() else {
            return fault(Msg::new(
                format!("内部错误（用途「{}」未判定），请报告此问题", self.purpose),
                format!("internal error (the purpose `{}` was not decided); please report this", self.purpose),
            ));
        };
        if result.decision.status != Status::Eligible {
            return Considered::NotEligible;
        }
        match ranking_values(policy, self.ranking, &applicant.value, day, result.total) {
            // A group value is an index among the group's values (u32 → usize widens losslessly);
            // one beyond them would have no quota and never be admitted, so it is a fault here.
            Ok((Some(group), _)) if self.group_values.get(group as usize).is_none() => fault(Msg::new(
                format!("内部错误（分组的值 {group} 超出范围），请报告此问题"),
                format!("internal error (the group value {group} is out of range); please report this"),
            )),
            Ok((Some(group), keys)) => Considered::Entry(Entry {
                applicant: applicant.id.clone(),
                line,
                group: group as usize,
                total: result.total,
                keys,
            }),
            Ok((None, _)) => fault(Msg::new("没有分组的值", "no value to group by")),
            Err(e) => fault(e.message),
        }
    }

    /// Rank what was considered.
    /// The ranking of what was tallied; `repeats` are the lines whose id an earlier line had (an
    /// applicant sent twice would take two places).
    pub fn finish(self, tally: Tally, repeats: crate::batch::same_id::Repeats) -> Ranking {
        let Tally { mut entries, records: count, not_eligible, faults } = tally;
        let Ranker { policy, purpose, ranking, group_name, group_values, quotas, .. } = self;
        entries.sort_by(|a, b| {
            a.group
                .cmp(&b.group)
                .then_with(|| compare(&a.keys, &b.keys, ranking))
                .then_with(|| a.applicant.cmp(&b.applicant))
        });
        let mut rows = Vec::with_capacity(entries.len());
        let mut groups: Vec<GroupSummary> = group_values
            .iter()
            .zip(&quotas)
            .map(|(v, q)| GroupSummary { value: v.clone(), quota: *q, eligible: 0, admitted: 0 })
            .collect();
        let mut previous: Option<&Entry> = None;
        let mut rank = 0usize;
        let mut position = 0usize;
        for e in &entries {
            let same_group = previous.is_some_and(|p| p.group == e.group);
            position = if same_group { position + 1 } else { 1 };
            // Standard competition ranking: equal keys share a rank; the next rank skips the ties.
            if !(same_group && previous.is_some_and(|p| compare(&p.keys, &e.keys, ranking) == Ordering::Equal)) {
                rank = position;
            }
            // Every entry's group is among the group's values (checked in `consider`), each with
            // its quota (0 for one the file leaves out, by parse_quotas); a rank, a usize, fits a
            // u64 on the 32- and 64-bit targets jifen builds for (lib.rs).
            let quota = quotas.get(e.group).copied().unwrap_or(0);
            let admitted = u64::try_from(rank).unwrap_or(u64::MAX) <= quota;
            if let Some(g) = groups.get_mut(e.group) {
                g.eligible += 1;
                g.admitted += usize::from(admitted);
            }
            let keys = e.keys.iter().zip(&ranking.keys).map(|(v, k)| v.show(&k.key.ty, policy)).collect();
            rows.push(Ranked {
                applicant: e.applicant.clone(),
                line: e.line,
                group: e.group,
                rank,
                total: e.total.normalize(),
                admitted,
                keys,
            });
            previous = Some(e);
        }
        let words = crate::ir::words::Words::new(policy, crate::ir::words::Spelling::Source);
        let key_names = ranking
            .keys
            .iter()
            .map(|k| match &k.key.kind {
                ExprKind::Field { record, name, .. } if matches!(record.kind, ExprKind::Applicant) => name.clone(),
                _ => words.expr(&k.key),
            })
            .collect();
        Ranking {
            policy: crate::ir::Origin::of(policy),
            purpose,
            group_name,
            group_values,
            key_names,
            rows,
            groups,
            records: count,
            not_eligible,
            faults,
            repeats,
        }
    }
}

/// Rank the eligible applicants of a purpose (each evaluated on its own 评估日, or `as_of`).
pub fn rank(
    policy: &Policy,
    purpose: &str,
    records: Vec<Read>,
    as_of: Option<NaiveDate>,
    quotas_text: &str,
) -> Result<Ranking, RankError> {
    let records = Records::Document { records, single: false };
    // Records held in memory are never read, and an unread output is never written: the pipeline
    // cannot stop on its own account.
    match rank_records(policy, purpose, records, &Options::new(1, as_of), quotas_text) {
        Ok(ranking) => ranking,
        Err(e) => Err(RankError::Internal(format!("{e:?}"))),
    }
}

/// Rank from JSON Lines on every core, through the batch pipeline.
pub fn rank_jsonl<'a>(
    policy: &Policy,
    purpose: &str,
    input: impl std::io::BufRead + 'a,
    opts: &Options,
    quotas_text: &str,
) -> Result<Result<Ranking, RankError>, StreamError> {
    rank_records(policy, purpose, Records::Lines(Box::new(input)), opts, quotas_text)
}

/// Rank the records of an input of any shape on the shared batch pipeline (JSON Lines decoded and
/// scored block by block on every core): only the eligible applicants' keys are kept.
pub fn rank_records(
    policy: &Policy,
    purpose: &str,
    records: Records,
    opts: &Options,
    quotas_text: &str,
) -> Result<Result<Ranking, RankError>, StreamError> {
    let ranker = match Ranker::new(policy, purpose, quotas_text) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let mut tally = Tally::default();
    let repeats = each(
        policy,
        records,
        opts,
        |line, read| ranker.consider(line, read, opts.as_of),
        |considered| {
            tally.add(considered);
            Ok(())
        },
        &mut |_| {},
    )?;
    Ok(Ok(ranker.finish(tally, repeats)))
}
