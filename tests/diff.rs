//! `jifen diff`: the 2015 → 2020 revision as the drafting notes describe it, a diff that ignores
//! layout and order, one figure moved as one change, and clause identities that survive edits.

#![allow(clippy::panic, clippy::indexing_slicing)] // tests fail by panicking

mod common;

use jifen::diff::{diff, Change, ChangeKind, Diff, Subject};
use jifen::syntax::keywords::begins_declaration;
use jifen::syntax::span::SourceMap;

fn bundled() -> Diff {
    diff(&common::policy_2015().1.policy, &common::policy_2020().1.policy)
}

fn find<'d>(d: &'d Diff, subject: Subject, id: &str) -> &'d Change {
    d.changes
        .iter()
        .find(|c| c.subject == subject && c.id == id)
        .unwrap_or_else(|| panic!("no change of {subject:?} {id}; the changes are {:#?}", ids(d)))
}

fn ids(d: &Diff) -> Vec<String> {
    d.changes.iter().map(|c| format!("{:?} {:?} {}", c.kind, c.subject, c.id)).collect()
}

/// The change exists, is of this kind, and cites this article on the side that has it.
fn expect(d: &Diff, subject: Subject, id: &str, kind: ChangeKind, cite: &str) -> Change {
    let c = find(d, subject, id).clone();
    assert_eq!(c.kind, kind, "{subject:?} {id}");
    let cited = c.cites.new.iter().chain(&c.cites.old).any(|x| x == cite);
    assert!(cited, "{subject:?} {id} should cite {cite}: {:?}", c.cites);
    c
}

fn detail<'c>(c: &'c Change, aspect: &str) -> (&'c str, &'c str) {
    let d = c
        .details
        .iter()
        .find(|d| d.aspect == aspect)
        .unwrap_or_else(|| panic!("{}: no {aspect} in {:?}", c.id, c.details));
    (d.old.as_deref().unwrap_or(""), d.new.as_deref().unwrap_or(""))
}

/// Part 四 of the drafting notes (起草说明 2020-07-09), change by change.
#[test]
fn every_change_the_drafting_notes_list_is_found_with_its_citation() {
    let d = bundled();
    use ChangeKind::*;
    use Subject::*;
    // （一）一 积分落户、积分入医 extend to the whole city; 积分入学 to 市区 (now with 吴江区).
    let scope = expect(&d, Clause, "积分落户/第二条·1", Changed, "积分管理办法 第二条");
    assert_eq!(detail(&scope, "适用"), ("居住地在市区", "在本市行政区域"));
    expect(&d, Clause, "积分入医/第二条·1", Changed, "积分管理办法 第二条");
    let city = expect(&d, Constant, "居住地在市区", Changed, "积分管理办法 第二条");
    assert!(detail(&city, "值").1.contains("吴江区") && !detail(&city, "值").0.contains("吴江区"));
    expect(&d, Article, "积分管理办法 第二条", Changed, "积分管理办法 第二条");
    // （一）二 rented housing on file counts as 合法稳定住所; no minimum area.
    let housing = expect(&d, Constant, "有合法稳定住所", Changed, "积分管理办法 第六条");
    assert!(detail(&housing, "值").1.contains("备案租赁住房"));
    expect(&d, Constant, "合法稳定住所面积下限", Removed, "积分管理办法 第六条");
    // （一）三 积分入医 for pre-school children not in a nursery or school.
    let child = expect(&d, Clause, "积分入医/第九条·2", Changed, "积分管理办法 第九条");
    assert!(child.details.iter().any(|x| x.new.as_deref().is_some_and(|n| n.contains("未满 6周岁"))), "{child:?}");
    // （一）四 acceptance windows and a yearly 达标积分值.
    let window = expect(&d, Clause, "积分落户/第十条·1", Changed, "积分管理办法 第十条");
    assert_eq!(detail(&window, "条件"), ("评估日 介于 7月1日 至 7月31日", "评估日 介于 5月1日 至 5月31日"));
    expect(&d, Clause, "积分入学/第十条·1", Changed, "积分管理办法 第十条");
    expect(&d, Clause, "积分入医/第十条·1", Added, "积分管理办法 第十条");
    expect(&d, Table, "达标积分值", Added, "积分管理办法 第九条");
    expect(&d, Constant, "达标积分值", Removed, "积分管理办法 第九条");
    // （二）一 social insurance and continuous residence weigh more.
    let insurance = expect(&d, Item, "社会保险", Changed, "计分标准 [社会保险]");
    assert_eq!(detail(&insurance, "计分"), ("每满 12个月 计 2分，最高 20分", "每满 1个月 计 0.5分，最高 60分"));
    let residence = expect(&d, Item, "连续居住", Changed, "计分标准 [连续居住]");
    assert_eq!(detail(&residence, "计分"), ("每满 1年 计 2分，最高 20分", "每满 1年 计 5分，最高 50分"));
    // （二）二 the special hardship trades and city maintenance.
    let hardship = expect(&d, Item, "特殊艰苦行业", Added, "计分标准 [特殊艰苦行业]");
    assert!(detail(&hardship, "计分").1.contains("城市运维"));
    // （二）三 deductions only for 积分落户.
    for purpose in ["积分入学", "积分入医"] {
        let p = expect(&d, Purpose, purpose, Changed, "积分管理办法 第四条");
        assert_eq!(detail(&p, "计入"), ("基础分、附加分、扣减分", "基础分、附加分"));
    }
    assert!(!d.changes.iter().any(|c| c.subject == Purpose && c.id == "积分落户"), "积分落户 still counts deductions");
    // （三）一 户籍准入 for the whole city: the routes' scope clauses go.
    for route in ["人才落户", "夫妻投靠"] {
        expect(&d, Clause, &format!("{route}/第二条·1"), Removed, "户籍准入管理办法 第二条");
    }
    expect(&d, Constant, "在准入范围", Removed, "户籍准入管理办法 第二条");
    // （三）二 transition windows of at most three years in five districts, then no more.
    let windows = expect(&d, Table, "过渡期截止日", Added, "户籍准入管理办法 第七条");
    assert_eq!(windows.details.iter().filter(|x| x.aspect == "行").count(), 5);
    expect(&d, Assertion, "过渡期不得超过三年", Added, "户籍准入管理办法 第七条");
    for route in ["购房落户", "投资纳税落户", "务工经商落户"] {
        expect(&d, Clause, &format!("{route}/第七条·1"), Added, "户籍准入管理办法 第七条");
        expect(&d, Clause, &format!("{route}/第七条·3"), Added, "户籍准入管理办法 第七条");
    }
    // Each change carries the text of the article it cites, where the policy transcribes it.
    assert!(insurance.articles.iter().any(|a| a.version == "new" && a.text.iter().any(|p| p.contains("0.5分"))));
    assert!(insurance.articles.iter().any(|a| a.version == "old" && a.text.iter().any(|p| p.contains("2分"))));
}

#[test]
fn items_the_revision_left_alone_are_not_in_the_diff() {
    let d = bundled();
    for id in ["个人素质", "年龄", "紧缺人才", "表彰奖励", "投资纳税", "志愿服务", "无偿献血", "退役军人"]
    {
        let touched: Vec<String> = d
            .changes
            .iter()
            .filter(|c| {
                (c.subject == Subject::Item && c.id == id)
                    || c.cites.new.iter().chain(&c.cites.old).any(|x| *x == format!("计分标准 [{id}]"))
            })
            .map(|c| format!("{:?} {}", c.subject, c.id))
            .collect();
        assert!(touched.is_empty(), "{id} did not change, but the diff has {touched:?}");
    }
}

/// The bundled 2020 policy's files, without its tests (they do not take part in a diff).
fn files_2020() -> Vec<(String, String)> {
    common::policy_2020()
        .0
        .sources
        .files()
        .filter(|(_, f)| !f.path.ends_with("测试.jf"))
        .map(|(_, f)| (f.path.clone(), f.text.clone()))
        .collect()
}

fn compile(files: &[(String, String)]) -> jifen::ir::Policy {
    let mut sources = SourceMap::default();
    for (p, t) in files {
        sources.add(p.clone(), t.clone());
    }
    let loaded = jifen::compile(sources);
    let errors: Vec<String> = loaded.diagnostics.0.iter().filter(|d| d.is_error()).map(|d| format!("{d:?}")).collect();
    loaded.compiled.unwrap_or_else(|| panic!("does not compile: {errors:?}")).policy
}

/// Declarations in reverse order, each with the comment lines above it.
fn reversed_declarations(text: &str) -> String {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut seen_declaration = false;
    for line in text.split_inclusive('\n') {
        if begins_declaration(line) && seen_declaration && !current.trim_end().ends_with('：') {
            // Comments just above a declaration travel with it.
            let keep: Vec<&str> = current.split_inclusive('\n').collect();
            let tail = keep.iter().rev().take_while(|l| l.starts_with('#')).count();
            let (body, comments) = keep.split_at(keep.len() - tail);
            pieces.push(body.concat());
            current = comments.concat();
        }
        seen_declaration |= begins_declaration(line);
        current.push_str(line);
    }
    pieces.push(current);
    let mut out: Vec<String> = pieces.into_iter().map(|p| format!("{}\n\n", p.trim_end())).collect();
    out.reverse();
    out.concat()
}

#[test]
fn reformatting_reordering_renaming_a_binder_and_writing_the_law_word_are_no_change() {
    let original = files_2020();
    let edited: Vec<(String, String)> = original
        .iter()
        .map(|(p, t)| {
            let t = reversed_declarations(t)
                // A binder renamed, everywhere it is used.
                .replace("违法 属于", "该记录 属于")
                .replace("违法.类型", "该记录.类型")
                .replace("违法.日期", "该记录.日期")
                // ASCII and law-word twins of the same comparisons.
                .replace("总分 >= 达标积分值", "总分 满 达标积分值")
                .replace("奖励.授予日期 <= 评估日", "奖励.授予日期 ≤ 评估日")
                .replace("房.建筑面积 >= 购房面积标准", "房.建筑面积 ＞＝ 购房面积标准")
                // Layout: rows realigned, blank lines and comments added.
                .replace("  张家港市 → ", "  张家港市    →    ")
                .replace("\n\n", "\n\n# 只是一条注释\n\n");
            (p.clone(), t)
        })
        .collect();
    assert_ne!(original, edited);
    let d = diff(&compile(&original), &compile(&edited));
    assert!(d.is_empty(), "expected no change, got {:#?}", ids(&d));
}

#[test]
fn one_figure_changed_is_exactly_one_change() {
    let original = files_2020();
    let base = compile(&original);
    for (from, to, subject, id, aspect) in [
        (
            "累计月数 每满 1个月 计 0.5分，最高 60分",
            "累计月数 每满 1个月 计 0.5分，最高 50分",
            Subject::Item,
            "社会保险",
            "计分",
        ),
        ("昆山市   → 75平方米", "昆山市   → 80平方米", Subject::TableRow, "购房面积标准/昆山市", "值"),
        (
            "条件 申请人.社保连续月数 满 24个月",
            "条件 申请人.社保连续月数 满 36个月",
            Subject::Clause,
            "积分落户/第七条·4",
            "条件",
        ),
    ] {
        let edited: Vec<(String, String)> = original.iter().map(|(p, t)| (p.clone(), t.replace(from, to))).collect();
        assert_ne!(original, edited, "{from} is not in the policy");
        let d = diff(&base, &compile(&edited));
        assert_eq!(d.changes.len(), 1, "{from} → {to}: {:#?}", ids(&d));
        let c = &d.changes[0];
        assert_eq!((c.subject, c.id.as_str(), c.kind), (subject, id, ChangeKind::Changed));
        assert_eq!(c.details.len(), 1, "{:?}", c.details);
        assert_eq!(c.details[0].aspect, aspect);
    }
}

fn policy_with(purpose_body: &str) -> jifen::ir::Policy {
    let text = format!(
        "政策 “示例” 版本 “1”\n\
         文件 办法 “示例办法”\n\
         条文 办法：\n  第一条【条件】\n    “……”\n\
         申请人  依据 办法 第一条\n  编号：文本 标识\n  申请日期：日期 评估日\n  月数：整数 个月\n  年龄：整数 年\n\
         分项 [基础] “基础” 基础分  依据 办法 第一条\n  申请人.月数 每满 1个月 计 1分\n\
         {purpose_body}"
    );
    compile(&[("示例.jf".into(), text)])
}

#[test]
fn a_clause_inserted_before_others_citing_the_same_article_leaves_them_matched() {
    let old = policy_with(
        "用途 申请 “申请”  依据 办法 第一条\n\
         \x20 条件 申请人.月数 满 12个月 不符合 “月数不足”  依据 办法 第一条\n\
         \x20 条件 申请人.年龄 满 18年 不符合 “未成年”  依据 办法 第一条\n",
    );
    let new = policy_with(
        "用途 申请 “申请”  依据 办法 第一条\n\
         \x20 条件 申请人.年龄 未满 60年 不符合 “年龄过大”  依据 办法 第一条\n\
         \x20 条件 申请人.月数 满 12个月 不符合 “月数不足”  依据 办法 第一条\n\
         \x20 条件 申请人.年龄 满 18年 不符合 “未成年”  依据 办法 第一条\n",
    );
    let d = diff(&old, &new);
    assert_eq!(ids(&d), vec!["Added Clause 申请/第一条·1"], "{:#?}", d.changes);
}

#[test]
fn a_labelled_clause_keeps_its_identity_when_its_article_and_place_change() {
    let old = policy_with(
        "用途 申请 “申请”  依据 办法 第一条\n\
         \x20 条件 [月数] 申请人.月数 满 12个月 不符合 “月数不足”  依据 办法 第一条\n\
         \x20 条件 申请人.年龄 满 18年 不符合 “未成年”  依据 办法 第一条\n",
    );
    let new = policy_with(
        "用途 申请 “申请”  依据 办法 第一条\n\
         \x20 条件 申请人.年龄 满 18年 不符合 “未成年”  依据 办法 第一条\n\
         \x20 条件 [月数] 申请人.月数 满 24个月 不符合 “月数不足”  依据 办法 第一条\n",
    );
    let d = diff(&old, &new);
    assert_eq!(ids(&d), vec!["Changed Clause 申请/月数"], "{:#?}", d.changes);
    assert_eq!(detail(&d.changes[0], "条件"), ("申请人.月数 满 12个月", "申请人.月数 满 24个月"));
}

#[test]
fn two_clauses_with_one_label_is_an_error() {
    let text = "政策 “示例” 版本 “1”\n\
         文件 办法 “示例办法”\n\
         条文 办法：\n  第一条【条件】\n    “……”\n\
         申请人  依据 办法 第一条\n  编号：文本 标识\n  申请日期：日期 评估日\n  月数：整数 个月\n\
         分项 [基础] “基础” 基础分  依据 办法 第一条\n  申请人.月数 每满 1个月 计 1分\n\
         用途 申请 “申请”  依据 办法 第一条\n\
         \x20 条件 [月数] 申请人.月数 满 12个月 不符合 “月数不足”  依据 办法 第一条\n\
         \x20 条件 [月数] 申请人.月数 未满 60个月 不符合 “月数过多”  依据 办法 第一条\n";
    let mut sources = SourceMap::default();
    sources.add("示例.jf".to_string(), text.to_string());
    let loaded = jifen::compile(sources);
    let codes: Vec<&str> = loaded.diagnostics.0.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["E0110"]);
    let rendered = jifen::diag::render_all(
        &loaded.diagnostics.0,
        &loaded.sources,
        jifen::diag::RenderOptions { lang: jifen::diag::Lang::Zh, color: false },
    );
    assert!(rendered.contains("条款标识「月数」在同一用途中用了两次"), "{rendered}");
}

#[test]
fn the_2015_to_2020_diff_reads_as_text() {
    insta::assert_snapshot!("diff_2015_2020_text", common::unhashed(&jifen::report::diff::text(&bundled())));
}

#[test]
fn the_2015_to_2020_diff_reads_as_a_memo() {
    insta::assert_snapshot!("diff_2015_2020_memo", common::unhashed(&jifen::report::memo::memo(&bundled())));
}

/// The 2020 files with each (from → to) replacement applied once, in the file that holds it.
fn edited(edits: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut files = files_2020();
    for (from, to) in edits {
        let hit =
            files.iter_mut().find(|(_, t)| t.contains(from)).unwrap_or_else(|| panic!("{from} is not in the policy"));
        hit.1 = hit.1.replacen(from, to, 1);
    }
    files
}

/// Edits a reviewer tried that change no meaning: each must give an empty diff.
#[test]
fn reordered_arms_values_categories_and_citations_renamed_binders_and_new_labels_are_no_change() {
    let base = compile(&files_2020());
    for edits in [
        // Arms of a 匹配 inside 若有.
        vec![("      自有产权住房 → 30分，\n      备案租赁住房 → 10分，", "      备案租赁住房 → 10分，\n      自有产权住房 → 30分，")],
        // The binder of a 约束.
        vec![
            ("每个 地区 属于 过渡期截止日：\n    过渡期截止日[地区]", "每个 某地 属于 过渡期截止日：\n    过渡期截止日[某地]"),
            ("“{地区}过渡期自{过渡期起始日}至{过渡期截止日[地区]}，共{天数（过渡期起始日，过渡期截止日[地区]）}（{时长（过渡期起始日，过渡期截止日[地区]）}）",
             "“{某地}过渡期自{过渡期起始日}至{过渡期截止日[某地]}，共{天数（过渡期起始日，过渡期截止日[某地]）}（{时长（过渡期起始日，过渡期截止日[某地]）}）"),
        ],
        // Values of 是 … 之一, categories of 计入, a list of citations.
        vec![("学历 是 本科、硕士研究生、博士研究生 之一", "学历 是 博士研究生、本科、硕士研究生 之一")],
        vec![("计入 基础分、附加分、扣减分", "计入 扣减分、基础分、附加分")],
        vec![("依据 积分管理办法 第八条，积分管理办法 第九条", "依据 积分管理办法 第九条，积分管理办法 第八条")],
        // A label pinned on a clause that stays as it was.
        vec![("  条件 周岁（申请人.出生日期） 满 18周岁\n", "  条件 [年满十八周岁] 周岁（申请人.出生日期） 满 18周岁\n")],
    ] {
        let d = diff(&base, &compile(&edited(&edits)));
        assert!(d.is_empty(), "{:?}: {:#?}", edits.first().map(|e| e.0), ids(&d));
    }
}

#[test]
fn a_clause_binding_a_name_does_not_disturb_the_clauses_after_it() {
    let base = compile(&files_2020());
    let d = diff(
        &base,
        &compile(&edited(&[(
            "  条件 申请人.配偶本市户籍\n",
            "  条件 若有 婚 = 申请人.结婚日期 则 申请人.配偶本市户籍 否则 申请人.配偶本市户籍\n",
        )])),
    );
    assert_eq!(ids(&d), vec!["Changed Clause 夫妻投靠/第六条·1"]);
}

#[test]
fn a_clause_removed_and_another_changed_in_one_article_pair_up_as_they_should() {
    let base = compile(&files_2020());
    let d = diff(
        &base,
        &compile(&edited(&[
            (
                "  条件 申请人.持有居住证\n    说明 “持有本市居住证”\n    不符合 “未持有本市居住证”  依据 积分管理办法 第七条（一）\n",
                "",
            ),
            ("条件 申请人.社保连续月数 满 24个月", "条件 申请人.社保连续月数 满 36个月"),
        ])),
    );
    assert_eq!(
        ids(&d),
        vec!["Removed Clause 积分落户/第七条·1", "Changed Clause 积分落户/第七条·3"],
        "{:#?}",
        d.changes
    );
    assert_eq!(detail(&d.changes[1], "条件"), ("申请人.社保连续月数 满 24个月", "申请人.社保连续月数 满 36个月"));
}

#[test]
fn a_paragraph_inserted_into_an_article_is_one_paragraph_added() {
    let base = compile(&files_2020());
    let d = diff(
        &base,
        &compile(&edited(&[(
            "    “申请积分落户，应当同时具备下列条件：”\n",
            "    “根据本办法：”\n    “申请积分落户，应当同时具备下列条件：”\n",
        )])),
    );
    assert_eq!(ids(&d), vec!["Changed Article 积分管理办法 第七条"]);
    let c = &d.changes[0];
    assert_eq!(c.details.len(), 1, "{:?}", c.details);
    assert_eq!((c.details[0].old.as_deref(), c.details[0].new.as_deref()), (None, Some("根据本办法：")));
}
