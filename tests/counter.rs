//! `jifen explain` as a counter hands it over: snapshots of the default, `--brief` and `--source`
//! pages for applicants of every outcome, and laws over every public applicant and a thousand
//! generated ones — no expression of the policy language on the page, every ✓/✗ line citing its
//! article, the stated gap equal to the threshold minus the value.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

#[path = "../examples/gen.rs"]
mod gen;

use jifen::data::Applicant;
use jifen::eval::decide::{compared, Outcome};
use jifen::eval::value::Value;
use jifen::eval::{evaluate, Evaluation};
use jifen::ir::{BaseUnit, CmpOp, RouteBody, Type};
use jifen::report::counter::{counter, CounterOptions, Detail};
use serde_json::json;

fn read(text: &str) -> (Applicant, Evaluation) {
    let (_, compiled) = common::policy_2020();
    let a = jifen::data::read_record(&compiled.policy, text).unwrap_or_else(|e| panic!("{e:?}"));
    let e = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    (a, e)
}

fn page(text: &str, detail: Detail, source: bool) -> String {
    let (loaded, compiled) = common::policy_2020();
    let (a, e) = read(text);
    counter(compiled, &loaded.sources, &a, &e, CounterOptions { detail, source, articles: false })
}

fn public(id: &str) -> String {
    let all = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    all.lines()
        .find(|l| l.contains(&format!("\"编号\": \"{id}\"")) || l.contains(&format!("\"编号\":\"{id}\"")))
        .unwrap_or_else(|| panic!("no {id}"))
        .to_string()
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({snapshot_path => "counter", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(name, common::unhashed(&text));
    });
}

/// A0001: 积分落户 eligible (and so ranked), 积分入学 and 积分入医 refused on the date alone, a
/// child named, an administrative detention deducted, items that scored nothing gathered.
#[test]
fn eligible_refused_on_the_date_alone_a_child_and_a_deduction() {
    snapshot("A0001", page(&public("A0001"), Detail::Counter, false));
}

#[test]
fn brief_is_the_verdict_and_the_total() {
    let text = page(&public("A0001"), Detail::Brief, false);
    assert!(text.lines().count() <= 16, "{text}");
    assert!(!text.contains('✓') && !text.contains("基础分 188\n"), "{text}");
}

/// S1-0001: conditions not met, two transition routes open (with the days left), two work periods
/// merged.
#[test]
fn conditions_not_met_an_open_window_and_merged_work_periods() {
    snapshot("S1-0001", page(&public("S1-0001"), Detail::Counter, false));
}

/// S1-0003: 积分入学 not applicable, the transition windows closed.
#[test]
fn not_applicable_and_closed_windows() {
    snapshot("S1-0003", page(&public("S1-0003"), Detail::Counter, false));
}

/// S1-0014: an unpublished year cannot be decided, and the date is before the policy took effect.
#[test]
fn undecidable_and_before_the_policy() {
    snapshot("S1-0014", page(&public("S1-0014"), Detail::Counter, false));
}

/// A0001 moved into 积分入医's window with too few points: refused on points.
fn refused_on_points() -> String {
    let mut record = common::sample_record();
    for (k, v) in [
        ("申请日期", json!("2024-09-10")),
        ("学历", json!("初中及以下")),
        ("技能等级", json!("无")),
        ("社保累计月数", json!(30)),
        ("社保连续月数", json!(7)),
        ("居住证登记日期", json!("2022-03-01")),
        ("表彰", json!([])),
        ("投资纳税", json!(null)),
        ("献血次数", json!(1)),
        ("志愿服务小时", json!(0)),
        ("从业记录", json!([])),
        ("住所", json!(null)),
        ("子女", json!([{"姓名": "小平", "出生日期": "2019-06-19"}])),
    ] {
        record.insert(k.into(), v);
    }
    serde_json::Value::Object(record).to_string()
}

/// 积分入医 in its window, refused on points: the gap is threshold minus total.
#[test]
fn refused_on_points_says_by_how_much() {
    let text = page(&refused_on_points(), Detail::Counter, false);
    assert!(text.contains("未达到2024年度达标积分值60，差"), "{text}");
    snapshot("points", text);
}

/// Every outcome in every form: `--brief`, `--full` and the HTML page, beside the default pages
/// above. A0001: eligible (ranked), refused on the date alone, a child, a deduction. S1-0001: a
/// condition not met, open windows, merged work periods. S1-0003: not applicable, closed windows.
/// S1-0014: undecidable, before the policy. points: refused on points.
#[test]
fn every_outcome_in_every_form() {
    let (loaded, compiled) = common::policy_2020();
    let records = [
        ("A0001", public("A0001")),
        ("S1-0001", public("S1-0001")),
        ("S1-0003", public("S1-0003")),
        ("S1-0014", public("S1-0014")),
        ("points", refused_on_points()),
    ];
    for (name, record) in records {
        let (a, e) = read(&record);
        snapshot(&format!("{name}.brief"), page(&record, Detail::Brief, false));
        let full = jifen::report::explain::explain(compiled, &loaded.sources, &a, &e, Default::default());
        snapshot(&format!("{name}.full"), full);
        let article = jifen::report::counter::html::article(
            &compiled.policy,
            &jifen::report::counter::Page::of(compiled, &a, &e),
        );
        snapshot(&format!("{name}.page"), jifen::report::counter::html::document(name, &[article]));
    }
}

#[test]
fn articles_print_the_text_of_each_article_cited() {
    let (loaded, compiled) = common::policy_2020();
    let (a, e) = read(&public("A0001"));
    let options = CounterOptions { detail: Detail::Counter, source: false, articles: true };
    let text = counter(compiled, &loaded.sources, &a, &e, options);
    let articles = text.split("\n条文\n").nth(1).unwrap_or_else(|| panic!("no 条文 section:\n{text}"));
    // The cited paragraphs are marked; the article around them is printed whole.
    assert!(articles.contains("积分管理办法 第七条【积分落户条件】"), "{articles}");
    assert!(articles.contains("▶ （二）评估日年满18周岁；"), "{articles}");
    assert!(articles.contains("计分标准 [社会保险]【参加城镇社会保险】"), "{articles}");
    snapshot("A0001.articles", articles.to_string());
}

#[test]
fn source_shows_each_rule_whole() {
    let text = page(&public("S1-0001"), Detail::Counter, true);
    // The 人才落户 condition spans four lines; all four are shown.
    for line in ["户籍准入管理办法.jf:", "或 申请人.职称 是 中级、副高级、正高级 之一"] {
        assert!(text.contains(line), "{line} missing:\n{text}");
    }
    snapshot("S1-0001.source", text);
}

/// Words of the policy language that are not the law's: a page showing one shows code.
/// (The language writes them between spaces; the law may use the same words inside its own
/// sentences: “不属于合法稳定住所”.)
const CODE_WORDS: [&str; 10] =
    ["若有 ", " 否则", "匹配 ", "分段 ", " 属于 ", " 其中 ", " 缺省 ", "其他情形", "待定 ", " 介于 "];
const CALLS: [&str; 12] = [
    "满年数（",
    "合并天数（",
    "取最高（",
    "取最低（",
    "计数（",
    "任一（",
    "全部（",
    "同年（",
    "年份（",
    "数值（",
    "天数（",
    "合计（",
];

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() && !c.is_ascii_digit()
}

/// What on a page is the policy language rather than the law's words.
fn code_on(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        // The closing policy line names the policy; it is not read as an explanation.
        if line.starts_with("政策：") {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            let field_path = *c == '.' && before.is_some_and(is_word_char) && after.is_some_and(is_word_char);
            let index = *c == '[' && after.is_some_and(|a| a.is_ascii_digit());
            let operator = matches!(c, '≥' | '≤' | '≠' | '<' | '>' | '＜' | '＞');
            let age_call = *c == '周'
                && chars.get(i + 1) == Some(&'岁')
                && chars.get(i + 2) == Some(&'（')
                && !before.is_some_and(|b| b.is_ascii_digit());
            if field_path || index || operator || age_call {
                found.push(format!("line {}: {line}", n + 1));
            }
        }
        for w in CODE_WORDS.iter().chain(CALLS.iter()) {
            if line.contains(w) {
                found.push(format!("line {}: {w} in {line}", n + 1));
            }
        }
    }
    found
}

/// Every failed `a ≥ b` on numbers (not whole years) states `差{b − a}` on the page.
fn gaps_stated(compiled: &jifen::ir::Compiled, text: &str, e: &Evaluation) -> Vec<String> {
    let policy = &compiled.policy;
    let mut missing = Vec::new();
    let decisions = e
        .purposes
        .iter()
        .enumerate()
        .map(|(i, p)| (policy.purposes.get(i).map(|d| d.clauses.as_slice()), &p.decision))
        .chain(e.routes.iter().enumerate().map(|(i, r)| {
            let clauses = policy.routes.get(i).and_then(|d| match &d.body {
                RouteBody::Clauses { clauses, .. } => Some(clauses.as_slice()),
                RouteBody::SameAs(_) => None,
            });
            (clauses, &r.decision)
        }));
    for (clauses, decision) in decisions {
        for c in decision.clauses.iter().filter(|c| c.outcome == Outcome::Fails) {
            let Some(def) = clauses.and_then(|cs| cs.get(c.index)) else { continue };
            let Some((CmpOp::Ge, _, _)) = compared(&def.test) else { continue };
            let Some((Value::Num(have), Value::Num(need), ty)) = &c.shown().sides else { continue };
            if matches!(ty, Type::Number(u) if u.as_base() == Some(BaseUnit::Year)) || have >= need {
                continue;
            }
            let gap = format!("差{}", Value::Num(need - have).show(ty, policy));
            if !text.contains(&gap) {
                missing.push(gap);
            }
        }
    }
    missing
}

fn check_page(name: &str, record: &str) {
    check_page_under(common::policy_2020(), name, record);
}

fn check_page_under(version: &(jifen::Loaded, jifen::ir::Compiled), name: &str, record: &str) {
    let (loaded, compiled) = version;
    let a = jifen::data::read_record(&compiled.policy, record).unwrap_or_else(|e| panic!("{e:?}"));
    let e = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    let text = counter(compiled, &loaded.sources, &a, &e, CounterOptions::default());
    let code = code_on(&text);
    assert!(code.is_empty(), "{name}: policy language on the page: {code:#?}\n{text}");
    let documents: Vec<String> = compiled.policy.documents.iter().map(|d| format!("{} ", d.name)).collect();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('✓') || t.starts_with('✗') || t.starts_with('？') {
            assert!(documents.iter().any(|d| t.contains(d.as_str())), "{name}: a line without its article: {t}");
        }
    }
    // No line twice within a purpose's or route's conditions.
    for section in text.split("\n\n") {
        let lines: Vec<&str> = section.lines().filter(|l| l.trim_start().starts_with(['✓', '✗', '？'])).collect();
        for (i, l) in lines.iter().enumerate() {
            assert!(!lines.iter().skip(i + 1).any(|m| m == l), "{name}: twice: {l}");
        }
    }
    // What rests on a modelled value is marked, and the closing note names it.
    for line in text.lines().filter(|l| l.trim_start().starts_with(['✓', '✗'])) {
        for modelled in ["年度达标积分值", "受理期（", "过渡期截止日", "达到吴江区标准", "达到昆山市标准"]
        {
            assert!(!line.contains(modelled) || line.contains('※'), "{name}: {modelled} unmarked: {line}");
        }
    }
    if text.contains('※') {
        assert!(text.contains("注：标 ※ 的结论与分值用到模拟取值"), "{name}: ※ without its note");
    }
    let missing = gaps_stated(compiled, &text, &e);
    assert!(missing.is_empty(), "{name}: gaps not stated: {missing:?}\n{text}");
}

#[test]
fn every_public_applicant_reads_in_the_law_s_words() {
    let all = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    for (i, line) in all.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        check_page(&format!("public line {}", i + 1), line);
    }
}

#[test]
fn the_2015_policy_reads_in_the_law_s_words_too() {
    let all = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    for (i, line) in all.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        check_page_under(common::policy_2015(), &format!("2015 public line {}", i + 1), line);
    }
    for (i, record) in gen::generate(300, 5).enumerate() {
        check_page_under(common::policy_2015(), &format!("2015 generated {}", i + 1), &record);
    }
}

#[test]
fn a_thousand_generated_applicants_read_in_the_law_s_words() {
    let mut refused_on_points = 0;
    for (i, record) in gen::generate(1000, 11).enumerate() {
        check_page(&format!("generated {}", i + 1), &record);
        let text = page(&record, Detail::Counter, false);
        refused_on_points += usize::from(text.contains("未达到") && text.contains("年度达标积分值"));
    }
    // The law about gaps is only as good as the pages it saw fail on points.
    assert!(refused_on_points > 0, "no generated applicant was refused on points");
}

#[test]
fn the_code_finder_finds_code() {
    for code in ["✓ 周岁（出生日期） ≥ 18年", "住所.类型 备案租赁住房", "子女[1].出生日期", "若有 房 = 购房 则 …"]
    {
        assert!(!code_on(code).is_empty(), "{code}");
    }
    assert!(code_on("✓ 评估日年满18周岁（30周岁）  积分管理办法 第七条（二）").is_empty());
}
