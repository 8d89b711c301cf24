//! Declarations matched by stable id, and what moved in each.

use super::clauses::match_clauses;
use super::expr::ExprDiff;
use super::{ArticleText, Change, ChangeKind, Detail, Sides, Subject};
use crate::ir::words::{literal, quantity, Spelling, Words};
use crate::ir::*;

pub fn changes(old: &Policy, new: &Policy) -> Vec<Change> {
    let mut d = Differ { old, new, ex: ExprDiff::new(old, new), out: Vec::new() };
    d.policy();
    d.documents();
    d.enums();
    d.records();
    d.constants();
    d.tables();
    d.items();
    d.purposes();
    d.routes();
    d.rankings();
    d.assertions();
    d.out
}

struct Differ<'a> {
    old: &'a Policy,
    new: &'a Policy,
    ex: ExprDiff<'a>,
    out: Vec<Change>,
}

/// Pair the elements of two lists by key: the old order first, then what only the new one has.
fn pair<'a, T>(old: &'a [T], new: &'a [T], key: impl Fn(&T) -> String) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut out: Vec<(Option<&T>, Option<&T>)> =
        old.iter().map(|o| (Some(o), new.iter().find(|n| key(n) == key(o)))).collect();
    out.extend(new.iter().filter(|n| !old.iter().any(|o| key(o) == key(n))).map(|n| (None, Some(n))));
    out
}

fn kind_of<T>(pair: &(Option<T>, Option<T>)) -> ChangeKind {
    match pair {
        (None, _) => ChangeKind::Added,
        (_, None) => ChangeKind::Removed,
        _ => ChangeKind::Changed,
    }
}

fn cite_texts(cites: &[Cite]) -> Vec<String> {
    cites.iter().map(Cite::to_string).collect()
}

/// A period in force as the law words it: `2015-07-01 至 2020-12-31`, `2021-01-01 起`.
fn period(from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>) -> String {
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    match (from, to) {
        (Some(f), Some(t)) => format!("{} 至 {}", day(f), day(t)),
        (Some(f), None) => format!("{} 起", day(f)),
        (None, Some(t)) => format!("至 {}", day(t)),
        (None, None) => "未载明".into(),
    }
}

/// A detail for two plain values, when they differ.
fn value(out: &mut Vec<Detail>, aspect: &str, old: String, new: String) {
    if old != new {
        out.push(Detail::changed(aspect, None, old, new));
    }
}

fn opt_value(out: &mut Vec<Detail>, aspect: &str, old: Option<String>, new: Option<String>) {
    match (old, new) {
        (Some(o), Some(n)) if o != n => out.push(Detail::changed(aspect, None, o, n)),
        (Some(o), None) => out.push(Detail::removed(aspect, None, o)),
        (None, Some(n)) => out.push(Detail::added(aspect, None, n)),
        _ => {}
    }
}

fn clause_word(kind: ClauseKind) -> &'static str {
    match kind {
        ClauseKind::Applies => "适用",
        ClauseKind::Window => "期间",
        ClauseKind::Condition => "条件",
    }
}

fn categories(cs: &[Category]) -> String {
    cs.iter().map(|c| c.zh()).collect::<Vec<_>>().join("、")
}

impl<'a> Differ<'a> {
    fn words(&self, new_side: bool) -> Words<'a> {
        Words::new(if new_side { self.new } else { self.old }, Spelling::Source)
    }

    /// The document and article a change belongs to, from its first citation (the new side's when
    /// it has one), with the position of both in the law for ordering.
    fn place(&self, old: &[Cite], new: &[Cite]) -> (Option<String>, Option<String>, Option<String>, (usize, usize)) {
        let (policy, cite) = match (new.first(), old.first()) {
            (Some(c), _) => (self.new, c),
            (None, Some(c)) => (self.old, c),
            (None, None) => return (None, None, None, (usize::MAX, usize::MAX)),
        };
        let title = find_article(policy, cite).and_then(|a| a.title.clone());
        let doc = policy.documents.iter().position(|d| d.name == cite.document);
        let art =
            doc.and_then(|i| policy.documents.get(i)).and_then(|d| d.articles.iter().position(|a| cites(a, cite)));
        let article = match &cite.target {
            CiteTarget::Article(a) => a.clone(),
            CiteTarget::Id(id) => format!("[{id}]"),
        };
        // A document or article the policy does not list sorts after those it does.
        let order = (doc.unwrap_or(usize::MAX - 1), art.unwrap_or(usize::MAX - 1));
        (Some(cite.document.clone()), Some(article).filter(|a| !a.is_empty()), title, order)
    }

    /// The text of each article the change cites, as each version transcribes it (the old text
    /// only where it differs from the new).
    fn article_texts(&self, old: &[Cite], new: &[Cite]) -> Vec<ArticleText> {
        let mut out: Vec<ArticleText> = Vec::new();
        for (version, policy, cs) in [("new", self.new, new), ("old", self.old, old)] {
            for c in cs {
                let Some(a) = find_article(policy, c) else { continue };
                let text =
                    ArticleText { version, cite: c.to_string(), title: a.title.clone(), text: a.paragraphs.clone() };
                if !out.iter().any(|t| t.cite == text.cite && t.text == text.text) {
                    out.push(text);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ChangeKind,
        subject: Subject,
        id: String,
        title: Option<String>,
        old_cites: &[Cite],
        new_cites: &[Cite],
        details: Vec<Detail>,
    ) {
        if kind == ChangeKind::Changed && details.is_empty() {
            return;
        }
        let (document, article, article_title, order) = self.place(old_cites, new_cites);
        let articles = if subject == Subject::Article { Vec::new() } else { self.article_texts(old_cites, new_cites) };
        self.out.push(Change {
            kind,
            subject,
            id,
            title,
            document,
            article,
            article_title,
            cites: Sides { old: cite_texts(old_cites), new: cite_texts(new_cites) },
            details,
            articles,
            order,
        });
    }

    fn provenance(&self, out: &mut Vec<Detail>, old: &Provenance, new: &Provenance) {
        // The citations of a declaration are a set: their order is no change.
        let (mut a, mut b) = (cite_texts(&old.cites), cite_texts(&new.cites));
        let (text_a, text_b) = (a.join("，"), b.join("，"));
        a.sort();
        b.sort();
        if a != b {
            out.push(Detail::changed("依据", None, text_a, text_b));
        }
        opt_value(out, "模拟取值", old.modelled.clone(), new.modelled.clone());
    }

    fn policy(&mut self) {
        let (o, n) = (self.old, self.new);
        let mut details = Vec::new();
        value(&mut details, "名称", o.name.clone(), n.name.clone());
        value(&mut details, "版本", o.version.clone(), n.version.clone());
        value(&mut details, "施行", period(o.effective_from, o.effective_to), period(n.effective_from, n.effective_to));
        let warning =
            |p: &'a Policy, new_side: bool| p.effective_warning.as_ref().map(|w| self.words(new_side).expr(w));
        opt_value(&mut details, "不符合", warning(o, false), warning(n, true));
        let cites = |p: &Policy| p.effective_cite.iter().cloned().collect::<Vec<_>>();
        let (oc, nc) = (cites(o), cites(n));
        value(&mut details, "依据", cite_texts(&oc).join("，"), cite_texts(&nc).join("，"));
        let names = |p: &Policy| p.documents.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
        if !same_set(&names(o), &names(n)) {
            details.push(Detail::changed("包括", None, names(o).join("、"), names(n).join("、")));
        }
        self.push(ChangeKind::Changed, Subject::Policy, n.name.clone(), None, &oc, &nc, details);
    }

    fn documents(&mut self) {
        for pr in pair(&self.old.documents, &self.new.documents, |d| d.name.clone()) {
            let kind = kind_of(&pr);
            let doc = pr.1.or(pr.0);
            let Some(doc) = doc else { continue };
            let mut details = Vec::new();
            let period = |d: &Document| period(d.effective_from, d.effective_to);
            match pr {
                (Some(o), Some(n)) => {
                    value(&mut details, "标题", o.title.clone(), n.title.clone());
                    value(&mut details, "施行", period(o), period(n));
                    opt_value(&mut details, "模拟取值", o.modelled.clone(), n.modelled.clone());
                }
                (None, Some(n)) => details.push(Detail::added("标题", None, n.title.clone())),
                (Some(o), None) => details.push(Detail::removed("标题", None, o.title.clone())),
                (None, None) => {}
            }
            let before = self.out.len();
            self.push(kind, Subject::Document, doc.name.clone(), None, &[], &[], details);
            // A document's own change belongs to it as a whole, after its articles.
            let position = self
                .new
                .documents
                .iter()
                .position(|d| d.name == doc.name)
                .or_else(|| self.old.documents.iter().position(|d| d.name == doc.name));
            if let Some(c) = self.out.get_mut(before) {
                c.document = Some(doc.name.clone());
                // As in `place`: a document neither version lists sorts last.
                c.order = (position.unwrap_or(usize::MAX - 1), usize::MAX);
            }
            // A document one version lacks has no articles there.
            let none: Vec<Article> = Vec::new();
            let old_articles = pr.0.map(|d| &d.articles).unwrap_or(&none);
            let new_articles = pr.1.map(|d| &d.articles).unwrap_or(&none);
            self.articles(&doc.name, old_articles, new_articles);
        }
    }

    fn articles(&mut self, document: &str, old: &[Article], new: &[Article]) {
        for pr in pair(old, new, article_key) {
            let kind = kind_of(&pr);
            let Some(a) = pr.1.or(pr.0) else { continue };
            let cite = Cite {
                document: document.to_string(),
                target: match (&a.number, &a.id) {
                    (Some(n), _) => CiteTarget::Article(n.clone()),
                    (None, Some(id)) => CiteTarget::Id(id.clone()),
                    (None, None) => CiteTarget::Article(String::new()),
                },
                paragraph: None,
            };
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    opt_value(&mut details, "标题", o.title.clone(), n.title.clone());
                    // Paragraphs aligned, so one inserted does not read as every later one rewritten.
                    for pair in super::expr::align(&o.paragraphs, &n.paragraphs) {
                        match pair {
                            (Some(a), Some(b)) => {
                                if let (Some(x), Some(y)) = (o.paragraphs.get(a), n.paragraphs.get(b)) {
                                    if x != y {
                                        let at = format!("第{}段", b + 1);
                                        details.push(Detail::changed("条文", Some(&at), x.clone(), y.clone()));
                                    }
                                }
                            }
                            (Some(a), None) => details.extend(
                                o.paragraphs
                                    .get(a)
                                    .map(|x| Detail::removed("条文", Some(&format!("原第{}段", a + 1)), x.clone())),
                            ),
                            (None, Some(b)) => details.extend(
                                n.paragraphs
                                    .get(b)
                                    .map(|y| Detail::added("条文", Some(&format!("第{}段", b + 1)), y.clone())),
                            ),
                            (None, None) => {}
                        }
                    }
                }
                (None, Some(n)) => details.extend(n.paragraphs.iter().map(|p| Detail::added("条文", None, p.clone()))),
                (Some(o), None) => {
                    details.extend(o.paragraphs.iter().map(|p| Detail::removed("条文", None, p.clone())))
                }
                (None, None) => {}
            }
            let one = [cite.clone()];
            let (oc, nc): (&[Cite], &[Cite]) = match kind {
                ChangeKind::Added => (&[], &one),
                ChangeKind::Removed => (&one, &[]),
                ChangeKind::Changed => (&one, &one),
            };
            self.push(kind, Subject::Article, cite.to_string(), a.title.clone(), oc, nc, details);
        }
    }

    fn enums(&mut self) {
        for pr in pair(&self.old.enums, &self.new.enums, |e| e.name.clone()) {
            let kind = kind_of(&pr);
            let Some(e) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    self.provenance(&mut details, &o.provenance, &n.provenance);
                    let common_old: Vec<&String> = o.variants.iter().filter(|v| n.variants.contains(v)).collect();
                    let common_new: Vec<&String> = n.variants.iter().filter(|v| o.variants.contains(v)).collect();
                    if common_old != common_new {
                        details.push(Detail::changed("顺序", None, o.variants.join("、"), n.variants.join("、")));
                    }
                }
                (None, Some(n)) => details.push(Detail::added("值", None, n.variants.join("、"))),
                (Some(o), None) => details.push(Detail::removed("值", None, o.variants.join("、"))),
                (None, None) => {}
            }
            self.push(kind, Subject::Enum, e.name.clone(), None, &oc, &nc, details);
            if let (Some(o), Some(n)) = pr {
                for v in o.variants.iter().filter(|v| !n.variants.contains(v)) {
                    let d = vec![Detail::removed("值", None, v.clone())];
                    self.push(ChangeKind::Removed, Subject::EnumValue, format!("{}.{v}", e.name), None, &oc, &[], d);
                }
                for v in n.variants.iter().filter(|v| !o.variants.contains(v)) {
                    let d = vec![Detail::added("值", None, v.clone())];
                    self.push(ChangeKind::Added, Subject::EnumValue, format!("{}.{v}", e.name), None, &[], &nc, d);
                }
            }
        }
    }

    fn field_words(&self, new_side: bool, r: &RecordDef, i: usize, f: &FieldDef) -> String {
        let w = self.words(new_side);
        let mut s = format!("{}：{}{}", f.name, if f.integer { "整数 " } else { "" }, w.ty(&f.ty));
        for (flag, word) in [(r.id_field, "标识"), (r.as_of_field, "评估日"), (r.label_field, "称谓")] {
            if flag == Some(i) {
                s.push(' ');
                s.push_str(word);
            }
        }
        if let Some(d) = &f.default {
            s.push_str(&format!(" = {}", literal(d, strip_optional(&f.ty), w.policy())));
        }
        s
    }

    fn records(&mut self) {
        for pr in pair(&self.old.records, &self.new.records, |r| r.name.clone()) {
            let kind = kind_of(&pr);
            let Some(r) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => self.provenance(&mut details, &o.provenance, &n.provenance),
                (None, Some(n)) => details.extend(
                    n.fields
                        .iter()
                        .enumerate()
                        .map(|(i, f)| Detail::added("字段", None, self.field_words(true, n, i, f))),
                ),
                (Some(o), None) => details.extend(
                    o.fields
                        .iter()
                        .enumerate()
                        .map(|(i, f)| Detail::removed("字段", None, self.field_words(false, o, i, f))),
                ),
                (None, None) => {}
            }
            self.push(kind, Subject::Record, r.name.clone(), None, &oc, &nc, details);
            let (Some(o), Some(n)) = pr else { continue };
            let indexed = |r: &'a RecordDef| r.fields.iter().enumerate().collect::<Vec<_>>();
            let (fo, fnew) = (indexed(o), indexed(n));
            for fp in pair(&fo, &fnew, |(_, f)| f.name.clone()) {
                let kind = kind_of(&fp);
                let Some((_, f)) = fp.1.or(fp.0) else { continue };
                let old = fp.0.map(|(i, f)| self.field_words(false, o, *i, f));
                let new = fp.1.map(|(i, f)| self.field_words(true, n, *i, f));
                let mut d = Vec::new();
                opt_value(&mut d, "字段", old, new);
                self.push(kind, Subject::Field, format!("{}.{}", r.name, f.name), None, &oc, &nc, d);
            }
        }
    }

    fn constants(&mut self) {
        for pr in pair(&self.old.constants, &self.new.constants, |c| c.name.clone()) {
            let kind = kind_of(&pr);
            let Some(c) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    value(&mut details, "类型", self.words(false).ty(&o.ty), self.words(true).ty(&n.ty));
                    details.extend(self.ex.leaves("值", &o.value, &n.value));
                    self.provenance(&mut details, &o.provenance, &n.provenance);
                }
                (None, Some(n)) => details.push(Detail::added("值", None, self.ex.new_words(&n.value))),
                (Some(o), None) => details.push(Detail::removed("值", None, self.ex.old_words(&o.value))),
                (None, None) => {}
            }
            self.push(kind, Subject::Constant, c.name.clone(), None, &oc, &nc, details);
        }
    }

    fn row_key(&self, new_side: bool, t: &TableDef, row: &TableRow) -> String {
        let w = self.words(new_side);
        literal(&row.key, &t.key_ty, w.policy())
    }

    fn tables(&mut self) {
        for pr in pair(&self.old.tables, &self.new.tables, |t| t.name.clone()) {
            let kind = kind_of(&pr);
            let Some(t) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let sig = |new_side: bool, t: &TableDef| {
                let w = self.words(new_side);
                format!("{} → {}", w.ty(&t.key_ty), w.ty(&t.value_ty))
            };
            let row_words = |new_side: bool, t: &TableDef, r: &TableRow| {
                let w = self.words(new_side);
                format!("{} → {}", self.row_key(new_side, t, r), w.expr(&r.value))
            };
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    value(&mut details, "类型", sig(false, o), sig(true, n));
                    match (&o.otherwise, &n.otherwise) {
                        (Some(x), Some(y)) => details.extend(self.ex.leaves("其他情形", x, y)),
                        (Some(x), None) => details.push(Detail::removed("其他情形", None, self.ex.old_words(x))),
                        (None, Some(y)) => details.push(Detail::added("其他情形", None, self.ex.new_words(y))),
                        (None, None) => {}
                    }
                    match (&o.missing, &n.missing) {
                        (Some(x), Some(y)) => details.extend(self.ex.leaves("未列出", x, y)),
                        (Some(x), None) => details.push(Detail::removed("未列出", None, self.ex.old_words(x))),
                        (None, Some(y)) => details.push(Detail::added("未列出", None, self.ex.new_words(y))),
                        (None, None) => {}
                    }
                    self.provenance(&mut details, &o.provenance, &n.provenance);
                }
                (None, Some(n)) => {
                    details.push(Detail::added("类型", None, sig(true, n)));
                    details.extend(n.rows.iter().map(|r| Detail::added("行", None, row_words(true, n, r))));
                    details.extend(n.missing.iter().map(|m| Detail::added("未列出", None, self.ex.new_words(m))));
                }
                (Some(o), None) => {
                    details.push(Detail::removed("类型", None, sig(false, o)));
                    details.extend(o.rows.iter().map(|r| Detail::removed("行", None, row_words(false, o, r))));
                }
                (None, None) => {}
            }
            self.push(kind, Subject::Table, t.name.clone(), None, &oc, &nc, details);
            let (Some(o), Some(n)) = pr else { continue };
            let keyed_old: Vec<(String, &TableRow)> = o.rows.iter().map(|r| (self.row_key(false, o, r), r)).collect();
            let keyed_new: Vec<(String, &TableRow)> = n.rows.iter().map(|r| (self.row_key(true, n, r), r)).collect();
            for rp in pair(&keyed_old, &keyed_new, |(k, _)| k.clone()) {
                let kind = kind_of(&rp);
                let Some((key, _)) = rp.1.or(rp.0) else { continue };
                let mut d = Vec::new();
                match rp {
                    (Some((_, x)), Some((_, y))) => d.extend(self.ex.leaves("值", &x.value, &y.value)),
                    (None, Some((_, y))) => d.push(Detail::added("值", None, self.ex.new_words(&y.value))),
                    (Some((_, x)), None) => d.push(Detail::removed("值", None, self.ex.old_words(&x.value))),
                    (None, None) => {}
                }
                self.push(kind, Subject::TableRow, format!("{}/{key}", t.name), None, &oc, &nc, d);
            }
        }
    }

    fn item_words(&self, new_side: bool, i: &ItemDef) -> Vec<String> {
        let w = self.words(new_side);
        let mut v: Vec<String> = i.lets.iter().map(|l| format!("设 {} = {}", l.name, w.expr(&l.value))).collect();
        v.push(w.expr(&i.body));
        v
    }

    fn items(&mut self) {
        for pr in pair(&self.old.items, &self.new.items, |i| i.id.clone()) {
            let kind = kind_of(&pr);
            let Some(item) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let cap = |i: &ItemDef| i.cap.map(|c| quantity(c, &Unit::base(BaseUnit::Points), false));
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    opt_value(&mut details, "标题", o.title.clone(), n.title.clone());
                    value(&mut details, "类别", o.category.zh().into(), n.category.zh().into());
                    opt_value(&mut details, "分项上限", cap(o), cap(n));
                    let same_lets = o.lets.len() == n.lets.len()
                        && o.lets.iter().zip(&n.lets).all(|(x, y)| self.ex.same(&x.value, &y.value));
                    if same_lets {
                        details.extend(self.ex.leaves("计分", &o.body, &n.body));
                    } else if self.ex.same(&crate::ir::visit::inlined(o), &crate::ir::visit::inlined(n)) {
                        // Only how the parts were named (设) changed: the item computes the same.
                    } else {
                        let (a, b) = (self.item_words(false, o).join("；"), self.item_words(true, n).join("；"));
                        details.push(Detail::changed("计分", None, a, b));
                    }
                    self.provenance(&mut details, &o.provenance, &n.provenance);
                    self.description(&mut details, o.description.as_ref(), n.description.as_ref());
                }
                (None, Some(n)) => {
                    details.push(Detail::added("类别", None, n.category.zh().into()));
                    details.extend(self.item_words(true, n).into_iter().map(|s| Detail::added("计分", None, s)));
                    details.extend(cap(n).map(|c| Detail::added("分项上限", None, c)));
                }
                (Some(o), None) => {
                    details.push(Detail::removed("类别", None, o.category.zh().into()));
                    details.extend(self.item_words(false, o).into_iter().map(|s| Detail::removed("计分", None, s)));
                }
                (None, None) => {}
            }
            self.push(kind, Subject::Item, item.id.clone(), item.title.clone(), &oc, &nc, details);
        }
    }

    fn purposes(&mut self) {
        for pr in pair(&self.old.purposes, &self.new.purposes, |p| p.name.clone()) {
            let kind = kind_of(&pr);
            let Some(p) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let mut details = Vec::new();
            let counts_cite = |p: &PurposeDef| p.categories_cite.iter().cloned().collect::<Vec<_>>();
            match pr {
                (Some(o), Some(n)) => {
                    opt_value(&mut details, "标题", o.title.clone(), n.title.clone());
                    if !same_set(&o.categories, &n.categories) {
                        details.push(Detail::changed(
                            "计入",
                            None,
                            categories(&o.categories),
                            categories(&n.categories),
                        ));
                    }
                    self.provenance(&mut details, &o.provenance, &n.provenance);
                }
                (None, Some(n)) => details.push(Detail::added("计入", None, categories(&n.categories))),
                (Some(o), None) => details.push(Detail::removed("计入", None, categories(&o.categories))),
                (None, None) => {}
            }
            // What a purpose counts is stated by its own article (第四条): the change cites it.
            let counts_changed = details.iter().any(|d| d.aspect == "计入");
            let (co, cn) = match pr {
                (Some(o), Some(n)) if counts_changed => (counts_cite(o), counts_cite(n)),
                _ => (oc.clone(), nc.clone()),
            };
            let (co, cn) = (if co.is_empty() { oc.clone() } else { co }, if cn.is_empty() { nc.clone() } else { cn });
            self.push(kind, Subject::Purpose, p.name.clone(), p.title.clone(), &co, &cn, details);
            let none: Vec<ClauseDef> = Vec::new();
            let home = oc.first().or(nc.first()).map(|c| c.document.clone());
            // A purpose one version lacks has no clauses there.
            self.clauses(
                &p.name,
                home.as_deref(),
                pr.0.map(|x| &x.clauses).unwrap_or(&none),
                pr.1.map(|x| &x.clauses).unwrap_or(&none),
            );
        }
    }

    fn routes(&mut self) {
        for pr in pair(&self.old.routes, &self.new.routes, |r| r.id.clone()) {
            let kind = kind_of(&pr);
            let Some(r) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let body = |p: &Policy, r: &RouteDef| match &r.body {
                // "?" marks a purpose the policy lacks, never a blank name (u32 → usize widens
                // losslessly: lib.rs).
                RouteBody::SameAs(i) => {
                    format!("同 用途 {}", p.purposes.get(*i as usize).map(|u| u.name.as_str()).unwrap_or("?"))
                }
                RouteBody::Clauses { clauses, .. } => format!("{}条条款", clauses.len()),
            };
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    opt_value(&mut details, "标题", o.title.clone(), n.title.clone());
                    let same_kind = matches!(
                        (&o.body, &n.body),
                        (RouteBody::SameAs(_), RouteBody::SameAs(_))
                            | (RouteBody::Clauses { .. }, RouteBody::Clauses { .. })
                    );
                    if !same_kind || matches!(o.body, RouteBody::SameAs(_)) {
                        value(&mut details, "判定", body(self.old, o), body(self.new, n));
                    }
                    self.provenance(&mut details, &o.provenance, &n.provenance);
                }
                (None, Some(n)) => details.push(Detail::added("判定", None, body(self.new, n))),
                (Some(o), None) => details.push(Detail::removed("判定", None, body(self.old, o))),
                (None, None) => {}
            }
            self.push(kind, Subject::Route, r.id.clone(), r.title.clone(), &oc, &nc, details);
            let none: Vec<ClauseDef> = Vec::new();
            let clauses_of = |r: Option<&'a RouteDef>| match r.map(|r| &r.body) {
                Some(RouteBody::Clauses { clauses, .. }) => clauses,
                _ => &none,
            };
            let (co, cn) = (clauses_of(pr.0).clone(), clauses_of(pr.1).clone());
            let home = oc.first().or(nc.first()).map(|c| c.document.clone());
            self.clauses(&r.id, home.as_deref(), &co, &cn);
        }
    }

    fn clause_words(&self, new_side: bool, c: &ClauseDef) -> Vec<Detail> {
        let w = self.words(new_side);
        let make = |aspect: &str, text: String| {
            if new_side {
                Detail::added(aspect, None, text)
            } else {
                Detail::removed(aspect, None, text)
            }
        };
        vec![make(clause_word(c.kind), w.expr(&c.test)), make("不符合", w.expr(&c.message))]
    }

    fn clauses(&mut self, owner: &str, home: Option<&str>, old: &[ClauseDef], new: &[ClauseDef]) {
        for m in match_clauses(self.old, old, self.new, new, home) {
            let (o, n) = (m.old.and_then(|i| old.get(i)), m.new.and_then(|j| new.get(j)));
            let pr = (o, n);
            let kind = kind_of(&pr);
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    value(&mut details, "类别", clause_word(o.kind).into(), clause_word(n.kind).into());
                    details.extend(self.ex.leaves(clause_word(n.kind), &o.test, &n.test));
                    details.extend(self.ex.leaves("不符合", &o.message, &n.message));
                    opt_value(&mut details, "模拟取值", o.modelled.clone(), n.modelled.clone());
                    // A paragraph named on one side only refines the citation; two different
                    // paragraphs move it.
                    let both = o.cite.paragraph.is_some() && n.cite.paragraph.is_some();
                    let cite = |c: &Cite| if both { c.precise() } else { c.text() };
                    value(&mut details, "依据", cite(&o.cite), cite(&n.cite));
                    self.description(&mut details, o.description.as_ref(), n.description.as_ref());
                }
                (None, Some(n)) => details = self.clause_words(true, n),
                (Some(o), None) => details = self.clause_words(false, o),
                (None, None) => {}
            }
            let oc: Vec<Cite> = o.map(|c| c.cite.clone()).into_iter().collect();
            let nc: Vec<Cite> = n.map(|c| c.cite.clone()).into_iter().collect();
            self.push(kind, Subject::Clause, format!("{owner}/{}", m.id), None, &oc, &nc, details);
        }
    }

    /// A 说明 that changed: only the explanation's wording, but what a person reads. It is a change
    /// of its own only when nothing else of the rule changed (a rule that changed is reworded with
    /// it), and one declared on one side only (a policy that starts wording its rules) is none.
    fn description(&self, details: &mut Vec<Detail>, old: Option<&Expr>, new: Option<&Expr>) {
        if let (Some(o), Some(n), true) = (old, new, details.is_empty()) {
            details.extend(self.ex.leaves("说明", o, n));
        }
    }

    fn rankings(&mut self) {
        let name = |p: &Policy, r: &RankingDef| {
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            r.purposes
                .iter()
                .filter_map(|i| p.purposes.get(*i as usize))
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let keys = |new_side: bool, r: &RankingDef| {
            let w = self.words(new_side);
            let keys = r
                .keys
                .iter()
                .map(|k| format!("{} {}", w.expr(&k.key), if k.descending { "降序" } else { "升序" }))
                .collect::<Vec<_>>()
                .join("，");
            match &r.group {
                Some(g) => format!("分组 {}：{keys}", w.expr(g)),
                None => keys,
            }
        };
        let olds: Vec<(String, &RankingDef)> = self.old.rankings.iter().map(|r| (name(self.old, r), r)).collect();
        let news: Vec<(String, &RankingDef)> = self.new.rankings.iter().map(|r| (name(self.new, r), r)).collect();
        let mut pending = Vec::new();
        for pr in pair(&olds, &news, |(k, _)| k.clone()) {
            let kind = kind_of(&pr);
            let Some((id, _)) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.1.provenance), pr.1.map(|x| &x.1.provenance));
            let mut details = Vec::new();
            opt_value(&mut details, "排序", pr.0.map(|(_, r)| keys(false, r)), pr.1.map(|(_, r)| keys(true, r)));
            if let (Some((_, o)), Some((_, n))) = pr {
                self.provenance(&mut details, &o.provenance, &n.provenance);
            }
            pending.push((kind, id.clone(), oc, nc, details));
        }
        for (kind, id, oc, nc, details) in pending {
            self.push(kind, Subject::Ranking, id, None, &oc, &nc, details);
        }
    }

    fn assertions(&mut self) {
        let olds = &self.old.assertions;
        let news = &self.new.assertions;
        let mut pending = Vec::new();
        for pr in pair(olds, news, |a| a.title.clone()) {
            let kind = kind_of(&pr);
            let Some(a) = pr.1.or(pr.0) else { continue };
            let (oc, nc) = sides(pr.0.map(|x| &x.provenance), pr.1.map(|x| &x.provenance));
            let words = |new_side: bool, a: &AssertionDef| {
                let p = if new_side { self.new } else { self.old };
                // "?" marks a table the policy lacks, never a blank name (u32 → usize widens
                // losslessly: lib.rs; so below).
                let table = p.tables.get(a.table.0 as usize).map(|t| t.name.as_str()).unwrap_or("?");
                let w = self.words(new_side);
                format!("每个 {} 属于 {}：{}", a.var, table, w.expr(&a.test))
            };
            let mut details = Vec::new();
            match pr {
                (Some(o), Some(n)) => {
                    let table = |p: &Policy, a: &AssertionDef| p.tables.get(a.table.0 as usize).map(|t| t.name.clone());
                    if table(self.old, o) != table(self.new, n) {
                        details.push(Detail::changed("约束", None, words(false, o), words(true, n)));
                    } else {
                        details.extend(self.ex.leaves("约束", &o.test, &n.test));
                    }
                    details.extend(self.ex.leaves("不符合", &o.message, &n.message));
                    self.provenance(&mut details, &o.provenance, &n.provenance);
                }
                (None, Some(n)) => details.push(Detail::added("约束", None, words(true, n))),
                (Some(o), None) => details.push(Detail::removed("约束", None, words(false, o))),
                (None, None) => {}
            }
            pending.push((kind, a.title.clone(), oc, nc, details));
        }
        for (kind, id, oc, nc, details) in pending {
            self.push(kind, Subject::Assertion, id, None, &oc, &nc, details);
        }
    }
}

/// Whether two lists hold the same elements, in whatever order.
fn same_set<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

/// Each version's citations; a version without the declaration cites nothing for it.
fn sides(old: Option<&Provenance>, new: Option<&Provenance>) -> (Vec<Cite>, Vec<Cite>) {
    (old.map(|p| p.cites.clone()).unwrap_or_default(), new.map(|p| p.cites.clone()).unwrap_or_default())
}

fn strip_optional(ty: &Type) -> &Type {
    match ty {
        Type::Optional(t) => t,
        t => t,
    }
}

fn article_key(a: &Article) -> String {
    match (&a.number, &a.id) {
        (Some(n), _) => n.clone(),
        (None, Some(id)) => format!("[{id}]"),
        // The grammar gives every entry a number or an id; this arm is for completeness only.
        (None, None) => a.title.clone().unwrap_or_default(),
    }
}

/// Whether a citation names this article (by number, or by the id it carries).
fn cites(a: &Article, c: &Cite) -> bool {
    match &c.target {
        CiteTarget::Article(n) => a.number.as_ref() == Some(n),
        CiteTarget::Id(id) => a.id.as_ref() == Some(id),
    }
}

pub fn find_article<'p>(policy: &'p Policy, c: &Cite) -> Option<&'p Article> {
    policy.documents.iter().find(|d| d.name == c.document).and_then(|d| d.articles.iter().find(|a| cites(a, c)))
}
