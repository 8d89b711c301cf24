//! A grammar-driven generator of policies and applicant records, for the fuzzers (`fuzz/`) and the
//! regression tests that replay what they found (`tests/fuzz_findings.rs`).
//!
//! Random bytes rarely get past the lexer; this generator spends them on choices inside the
//! grammar instead — which declarations, which expression forms, which figures — so most policies
//! it writes parse, many check, and the interpreter then runs on them. It writes mostly well-typed
//! expressions and, now and then, a slip (a value of the wrong kind, an unknown name, an incomplete
//! table or match), so the checker's refusals are exercised too.

use arbitrary::{Result, Unstructured};

/// Documents, enumerations, records and the applicant every generated policy starts from.
pub const PRELUDE: &str = "政策 “生成的政策” 版本 “1” 包括 办法、标准
  施行 2021-01-01 至 2030-12-31

文件 办法 “生成的办法”
  施行 2021-01-01

条文 办法：
  第一条【学历】
    “学历分为初中及以下、高中、大专、本科。”
  第二条【住所】
    “住所按类型与建筑面积认定。”
  第三条【申请人】
    “申请人按本条载明其情况。”
  第四条【计分】
    “各项计分按本条执行。”
  第七条【条件】
    “申请条件按本条执行。”
  第十条【受理】
    “受理期按本条执行。”

文件 标准 “生成的计分标准”

条文 标准：
  [社会保险]【参加社会保险】
    “按缴费月数计分。”

枚举 学历  依据 办法 第一条：初中及以下、高中、大专、本科
枚举 住所类型  依据 办法 第二条：自有产权住房、备案租赁住房、其他
枚举 行业  依据 办法 第三条：环卫、护理、其他

记录 住所信息  依据 办法 第二条
  类型：住所类型
  建筑面积：平方米？

记录 从业经历  依据 办法 第三条
  行业：行业
  开始日期：日期
  结束日期：日期？

申请人  依据 办法 第三条
  编号：文本 标识
  姓名：文本？ 称谓
  申请日期：日期 评估日
  出生日期：日期
  学历：学历
  社保月数：整数 个月
  持证：布尔
  登记日期：日期？
  住所：住所信息？
  经历：列表<从业经历>
  收入：元 = 0元
  献血：整数 次？
";

const EDUCATION: [&str; 4] = ["初中及以下", "高中", "大专", "本科"];
const HOUSING: [&str; 3] = ["自有产权住房", "备案租赁住房", "其他"];
const TRADES: [&str; 3] = ["环卫", "护理", "其他"];

/// The units the generator writes numbers in, each with the expressions that have it.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Points,
    Months,
    Yuan,
    Times,
    Age,
    Years,
    Days,
    Area,
}

impl Unit {
    const ALL: [Unit; 8] =
        [Unit::Points, Unit::Months, Unit::Yuan, Unit::Times, Unit::Age, Unit::Years, Unit::Days, Unit::Area];

    fn word(self) -> &'static str {
        match self {
            Unit::Points => "分",
            Unit::Months => "个月",
            Unit::Yuan => "元",
            Unit::Times => "次",
            Unit::Age => "周岁",
            Unit::Years => "年",
            Unit::Days => "日",
            Unit::Area => "平方米",
        }
    }
}

/// Writes one policy from the bytes it is given.
struct Writer<'u, 'b> {
    u: &'u mut Unstructured<'b>,
    depth: u32,
    consts: Vec<String>,
    tables: Vec<String>,
    /// Inside a purpose or route, where `总分` means something.
    in_purpose: bool,
    /// Names bound by 若有/设 in scope, each with what it holds.
    locals: Vec<(String, Local)>,
    fresh: u32,
}

#[derive(Clone, Copy)]
enum Local {
    Housing,
    Date,
    Work,
}

const MAX_DEPTH: u32 = 3;

/// A number as a name may hold it: names are Han characters and letters, never digits.
fn han(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|d| "〇一二三四五六七八九".chars().nth(d.to_digit(10).unwrap_or(0) as usize).unwrap_or('〇'))
        .collect()
}

/// A whole policy (one file) written from `u`: the prelude, then generated declarations.
pub fn policy(u: &mut Unstructured) -> Result<String> {
    let mut w =
        Writer { u, depth: 0, consts: Vec::new(), tables: Vec::new(), in_purpose: false, locals: Vec::new(), fresh: 0 };
    let mut out = String::from(PRELUDE);
    for i in 0..w.u.int_in_range(0..=2)? {
        let name = format!("常量{}", han(i));
        let value = w.points()?;
        out.push_str(&format!("\n常量 {name}  依据 办法 第四条{} = {value}\n", w.modelled()?));
        w.consts.push(name);
    }
    for i in 0..w.u.int_in_range(0..=2)? {
        let name = format!("表{}", han(i));
        out.push_str(&w.table(&name)?);
        w.tables.push(name);
    }
    for i in 0..w.u.int_in_range(1..=5)? {
        out.push_str(&w.item(i)?);
    }
    let purposes = w.u.int_in_range(0..=2)?;
    for i in 0..purposes {
        out.push_str(&w.purpose(i)?);
    }
    for i in 0..w.u.int_in_range(0..=2)? {
        out.push_str(&w.route(i, purposes)?);
    }
    Ok(out)
}

/// An applicant record (one JSON object) written from `u`: mostly the fields the prelude declares,
/// with values of the right kind at awkward points (29 February, the ends of the calendar, huge or
/// negative figures) and, now and then, a value of the wrong kind or a field the policy does not know.
pub fn record(u: &mut Unstructured) -> Result<String> {
    let mut fields: Vec<(String, String)> = vec![
        ("编号".into(), format!("\"R{}\"", u.int_in_range(0..=999)?)),
        ("申请日期".into(), json_date(u)?),
        ("出生日期".into(), json_date(u)?),
        ("学历".into(), format!("\"{}\"", u.choose(&EDUCATION)?)),
        ("社保月数".into(), json_number(u, true)?),
        ("持证".into(), u.choose(&["true", "false"])?.to_string()),
    ];
    if u.arbitrary()? {
        fields.push(("姓名".into(), "\"小平\"".into()));
    }
    if u.arbitrary()? {
        fields.push(("登记日期".into(), json_date(u)?));
    }
    if u.arbitrary()? {
        let area =
            if u.arbitrary()? { format!(", \"建筑面积\": {}", json_number(u, false)?) } else { String::new() };
        fields.push(("住所".into(), format!("{{\"类型\": \"{}\"{area}}}", u.choose(&HOUSING)?)));
    }
    let mut periods = Vec::new();
    for _ in 0..u.int_in_range(0..=3)? {
        let end = if u.arbitrary()? { format!(", \"结束日期\": {}", json_date(u)?) } else { String::new() };
        periods.push(format!("{{\"行业\": \"{}\", \"开始日期\": {}{end}}}", u.choose(&TRADES)?, json_date(u)?));
    }
    fields.push(("经历".into(), format!("[{}]", periods.join(", "))));
    if u.arbitrary()? {
        fields.push(("收入".into(), json_number(u, false)?));
    }
    if u.arbitrary()? {
        fields.push(("献血".into(), json_number(u, true)?));
    }
    // A slip in the record: a field of the wrong kind, or one the policy does not declare.
    if u.ratio(1, 8)? {
        let at = u.choose_index(fields.len())?;
        if let Some(f) = fields.get_mut(at) {
            f.1 = u.choose(&["null", "\"\"", "[]", "{}", "1e400", "\"2021-02-29\"", "true"])?.to_string();
        }
    }
    if u.ratio(1, 16)? {
        fields.push(("未知字段".into(), "1".into()));
    }
    let body: Vec<String> = fields.into_iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
    Ok(format!("{{{}}}", body.join(", ")))
}

fn json_date(u: &mut Unstructured) -> Result<String> {
    Ok(format!("\"{}\"", date(u)?))
}

fn date(u: &mut Unstructured) -> Result<String> {
    const AWKWARD: [&str; 10] = [
        "2020-02-29",
        "2021-02-28",
        "2021-03-01",
        "2024-02-29",
        "2021-12-31",
        "0000-01-01",
        "9999-12-31",
        "1900-01-01",
        "2021-01-01",
        "2023-06-30",
    ];
    if u.arbitrary()? {
        return Ok(u.choose(&AWKWARD)?.to_string());
    }
    Ok(format!("{:04}-{:02}-{:02}", u.int_in_range(1950..=2035)?, u.int_in_range(1..=12)?, u.int_in_range(1..=28)?))
}

fn json_number(u: &mut Unstructured, integral: bool) -> Result<String> {
    const AWKWARD: [&str; 8] =
        ["0", "-1", "79228162514264337593543950335", "79228162514264337593543950336", "1e3", "0.5", "-0", "12"];
    if u.ratio(1, 4)? {
        return Ok(u.choose(&AWKWARD)?.to_string());
    }
    let whole = u.int_in_range(0..=600)?;
    Ok(if integral || u.arbitrary()? { whole.to_string() } else { format!("{whole}.5") })
}

impl Writer<'_, '_> {
    fn modelled(&mut self) -> Result<&'static str> {
        Ok(if self.u.ratio(1, 4)? { " 模拟取值 “生成的数”" } else { "" })
    }

    fn number(&mut self) -> Result<String> {
        // The largest and finest figures a policy may write (15 whole digits, 10 decimals), and
        // now and then one past them.
        const AWKWARD: [&str; 10] = ["0", "1", "2", "0.5", "12", "18", "36", "60", "999999999999999", "0.0000000001"];
        if self.u.ratio(1, 1000)? {
            return Ok(self.u.choose(&["9999999999999999", "0.00000000001"])?.to_string());
        }
        if self.u.arbitrary()? {
            return Ok(self.u.choose(&AWKWARD)?.to_string());
        }
        let whole = self.u.int_in_range(0..=400)?;
        Ok(if self.u.ratio(1, 4)? { format!("{whole}.5") } else { whole.to_string() })
    }

    fn quantity(&mut self, unit: Unit) -> Result<String> {
        Ok(format!("{}{}", self.number()?, unit.word()))
    }

    /// Now and then, an expression of a kind the context does not want.
    fn slip(&mut self) -> Result<Option<String>> {
        if !self.u.ratio(1, 150)? {
            return Ok(None);
        }
        let text = *self.u.choose(&[
            "申请人.学历",
            "真",
            "2021-01-01",
            "未知的名字",
            "申请人.未知字段",
            "“文本”",
            "12个月",
            "申请人.经历",
            "申请人.住所",
        ])?;
        Ok(Some(text.to_string()))
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn shallow(&self) -> bool {
        self.depth >= MAX_DEPTH
    }

    fn fresh(&mut self, stem: &str) -> String {
        self.fresh += 1;
        format!("{stem}{}", han(self.fresh))
    }

    fn local(&mut self, kind: fn(Local) -> bool) -> Result<Option<String>> {
        let found: Vec<String> = self.locals.iter().filter(|(_, l)| kind(*l)).map(|(n, _)| n.clone()).collect();
        if found.is_empty() || !self.u.arbitrary()? {
            return Ok(None);
        }
        Ok(Some(self.u.choose(&found)?.clone()))
    }

    fn with_local<T>(&mut self, name: &str, kind: Local, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.locals.push((name.to_string(), kind));
        let r = f(self);
        self.locals.pop();
        r
    }

    /// An expression worth points (分).
    fn points(&mut self) -> Result<String> {
        if let Some(s) = self.slip()? {
            return Ok(s);
        }
        let choice = if self.shallow() || self.u.ratio(1, 3)? { 0 } else { self.u.int_in_range(0..=11)? };
        self.nested(|w| match choice {
            1 => {
                let unit = w.number_unit()?;
                let scaled = w.measure(unit)?;
                let step = w.quantity(unit)?;
                let rate = w.quantity(Unit::Points)?;
                let cap =
                    if w.u.arbitrary()? { format!("，最高 {}", w.quantity(Unit::Points)?) } else { String::new() };
                Ok(format!("（{scaled} 每满 {step} 计 {rate}{cap}）"))
            }
            2 => Ok(format!("（若 {} 则 {} 否则 {}）", w.condition()?, w.points()?, w.points()?)),
            3 => {
                let arms = w.arms(&EDUCATION)?;
                Ok(format!("（匹配 申请人.学历：{arms}）"))
            }
            4 => {
                let unit = *w.u.choose(&[Unit::Age, Unit::Months, Unit::Yuan])?;
                let scrutinee = w.measure(unit)?;
                // Bounds in increasing order (now and then not: the checker must refuse that).
                let mut bounds = Vec::new();
                for _ in 0..w.u.int_in_range(1..=3)? {
                    bounds.push(w.u.int_in_range(0u32..=400)?);
                }
                if !w.u.ratio(1, 20)? {
                    bounds.sort_unstable();
                    bounds.dedup();
                }
                let mut arms = Vec::new();
                let mut from: Option<String> = None;
                for b in bounds {
                    let to = format!("{b}{}", unit.word());
                    let range = match &from {
                        Some(f) => format!("满 {f} 未满 {to}"),
                        None => format!("未满 {to}"),
                    };
                    arms.push(format!("{range} → （{}）", w.points()?));
                    from = Some(to);
                }
                if w.u.ratio(3, 4)? {
                    arms.push(format!("其他情形 → （{}）", w.points()?));
                } else if let Some(f) = from {
                    arms.push(format!("满 {f} → （{}）", w.points()?));
                }
                Ok(format!("（分段 {scrutinee}：{}）", arms.join("，")))
            }
            5 if !w.tables.is_empty() => {
                let table = w.u.choose(&w.tables)?.clone();
                Ok(format!("{table}[申请人.学历]"))
            }
            6 => {
                let f = *w.u.choose(&["取最高", "取最低"])?;
                Ok(format!("{f}（{}，{}）", w.points()?, w.points()?))
            }
            7 => {
                let op = *w.u.choose(&["＋", "－", "+", "-"])?;
                Ok(format!("（{} {op} {}）", w.points()?, w.points()?))
            }
            8 => Ok(format!("（{} × {}）", w.points()?, w.number()?)),
            9 if !w.consts.is_empty() => Ok(w.u.choose(&w.consts)?.clone()),
            10 => {
                let e = w.fresh("经");
                let trade = *w.u.choose(&TRADES)?;
                let per = w.quantity(Unit::Points)?;
                Ok(format!("合计（{e} 属于 申请人.经历 其中 {e}.行业 = {trade}：{per}）"))
            }
            11 => {
                let z = w.fresh("住");
                let then = w.with_local(&z, Local::Housing, |w| w.points())?;
                Ok(format!("（若有 {z} = 申请人.住所 则 {then} 否则 {}）", w.points()?))
            }
            _ => w.quantity(Unit::Points),
        })
    }

    fn number_unit(&mut self) -> Result<Unit> {
        Ok(*self.u.choose(&Unit::ALL)?)
    }

    /// Match arms over `variants`: some of them, then (usually) 其他情形.
    fn arms(&mut self, variants: &[&str]) -> Result<String> {
        let mut arms = Vec::new();
        for v in variants {
            if self.u.arbitrary()? {
                arms.push(format!("{v} → {}", self.points()?));
            }
        }
        let all_listed = arms.len() == variants.len();
        if arms.is_empty() || !all_listed && !self.u.ratio(1, 30)? || all_listed && self.u.arbitrary()? {
            arms.push(format!("其他情形 → {}", self.points()?));
        }
        Ok(arms.join("，"))
    }

    /// A number with `unit`, from the applicant's facts where there is one.
    fn measure(&mut self, unit: Unit) -> Result<String> {
        if let Some(s) = self.slip()? {
            return Ok(s);
        }
        if self.u.ratio(1, 5)? || self.shallow() {
            return self.quantity(unit);
        }
        self.nested(|w| match unit {
            Unit::Points => w.points(),
            Unit::Months => Ok("申请人.社保月数".to_string()),
            Unit::Yuan => Ok("申请人.收入".to_string()),
            Unit::Times => Ok(format!("（申请人.献血 缺省 {}）", w.quantity(Unit::Times)?)),
            Unit::Age => Ok(if w.u.arbitrary()? {
                "周岁（申请人.出生日期）".to_string()
            } else {
                format!("周岁（申请人.出生日期，{}）", w.date()?)
            }),
            Unit::Years => Ok(format!("满年数（{}，{}）", w.date()?, w.date()?)),
            Unit::Days => {
                if w.u.arbitrary()? {
                    Ok(format!("天数（{}，{}）", w.date()?, w.date()?))
                } else {
                    let e = w.fresh("段");
                    Ok(format!("合并天数（{e} 属于 申请人.经历：{e}.开始日期 至 （{e}.结束日期 缺省 评估日））"))
                }
            }
            Unit::Area => {
                let z = match w.local(|l| matches!(l, Local::Housing))? {
                    Some(z) => z,
                    None => return w.quantity(Unit::Area),
                };
                Ok(format!("（{z}.建筑面积 缺省 {}）", w.quantity(Unit::Area)?))
            }
        })
    }

    fn date(&mut self) -> Result<String> {
        if let Some(s) = self.slip()? {
            return Ok(s);
        }
        let choice = if self.shallow() { 0 } else { self.u.int_in_range(0..=6)? };
        self.nested(|w| match choice {
            1 => Ok("申请人.出生日期".to_string()),
            2 => Ok("申请人.申请日期".to_string()),
            3 => Ok(format!("（申请人.登记日期 缺省 {}）", w.date()?)),
            4 => Ok(format!("取最低（{}，{}）", w.date()?, w.date()?)),
            5 => match w.local(|l| matches!(l, Local::Date))? {
                Some(d) => Ok(d),
                None => Ok("评估日".to_string()),
            },
            6 => Ok(date(w.u)?),
            _ => Ok("评估日".to_string()),
        })
    }

    /// A condition (布尔).
    fn condition(&mut self) -> Result<String> {
        if let Some(s) = self.slip()? {
            return Ok(s);
        }
        let choice = if self.shallow() || self.u.ratio(1, 3)? { 0 } else { self.u.int_in_range(0..=12)? };
        self.nested(|w| match choice {
            1 => {
                let unit = w.number_unit()?;
                let op = *w.u.choose(&["≥", ">=", "＜", "<", "＝", "≠", "<=", ">"])?;
                Ok(format!("{} {op} {}", w.measure(unit)?, w.quantity(unit)?))
            }
            2 => {
                let unit = w.number_unit()?;
                let x = w.measure(unit)?;
                let law = match w.u.int_in_range(0..=5)? {
                    0 => format!("满 {}", w.quantity(unit)?),
                    1 => format!("未满 {}", w.quantity(unit)?),
                    2 => format!("超过 {}", w.quantity(unit)?),
                    3 => format!("不超过 {}", w.quantity(unit)?),
                    4 => format!("在 {}以上", w.quantity(unit)?),
                    _ => format!("满 {} 未满 {}", w.quantity(unit)?, w.quantity(unit)?),
                };
                Ok(format!("{x} {law}"))
            }
            3 => {
                let mut some: Vec<&str> = Vec::new();
                for v in EDUCATION {
                    if w.u.arbitrary()? {
                        some.push(v);
                    }
                }
                if some.is_empty() {
                    some.push("本科");
                }
                Ok(format!("申请人.学历 是 {} 之一", some.join("、")))
            }
            4 => Ok(format!("（{} 且 {}）", w.condition()?, w.condition()?)),
            5 => Ok(format!("（{} 或 {}）", w.condition()?, w.condition()?)),
            6 => Ok(format!("非 （{}）", w.condition()?)),
            7 => Ok(format!("{} 介于 {} 至 {}", w.date()?, w.date()?, w.date()?)),
            8 => {
                let d = w.fresh("日");
                let then = w.with_local(&d, Local::Date, |w| w.condition())?;
                Ok(format!("（若有 {d} = 申请人.登记日期 则 {then} 否则 {}）", w.condition()?))
            }
            9 => {
                let e = w.fresh("经");
                let f = *w.u.choose(&["任一", "全部"])?;
                let test = w.with_local(&e, Local::Work, |w| w.work_condition(&e))?;
                Ok(format!("{f}（{e} 属于 申请人.经历：{test}）"))
            }
            10 => Ok("待定 “生成的政策未载明”".to_string()),
            11 if w.in_purpose => Ok(format!("总分 满 {}", w.quantity(Unit::Points)?)),
            12 => Ok(format!("{} ≤ {}", w.date()?, w.date()?)),
            _ => Ok(w.u.choose(&["申请人.持证", "真", "假"])?.to_string()),
        })
    }

    fn work_condition(&mut self, e: &str) -> Result<String> {
        Ok(match self.u.int_in_range(0..=2)? {
            0 => format!("{e}.行业 = {}", self.u.choose(&TRADES)?),
            1 => format!("{e}.开始日期 ≤ {}", self.date()?),
            _ => format!("（{e}.结束日期 缺省 评估日） ≥ {}", self.date()?),
        })
    }

    fn table(&mut self, name: &str) -> Result<String> {
        let mut out = format!("\n表 {name}：学历 → 分  依据 办法 第四条{}\n", self.modelled()?);
        let mut listed = 0;
        for v in EDUCATION {
            if self.u.ratio(15, 16)? {
                out.push_str(&format!("  {v} → {}\n", self.quantity(Unit::Points)?));
                listed += 1;
            }
        }
        match self.u.int_in_range(0..=3)? {
            0 => out.push_str(&format!("  其他情形 → {}\n", self.quantity(Unit::Points)?)),
            1 => out.push_str("  未列出 “{键}未列出”\n"),
            _ if listed == 0 => out.push_str("  本科 → 1分\n"),
            _ => {}
        }
        Ok(out)
    }

    fn item(&mut self, i: u32) -> Result<String> {
        let category = *self.u.choose(&["基础分", "附加分", "扣减分"])?;
        let cap = if self.u.ratio(1, 3)? { format!(" 最高 {}", self.quantity(Unit::Points)?) } else { String::new() };
        let mut body = String::new();
        let mut bound = Vec::new();
        if self.u.ratio(1, 4)? {
            let x = self.fresh("设");
            body.push_str(&format!("  设 {x} = {}；\n", self.points()?));
            bound.push(x);
        }
        let value = self.points()?;
        let value = match bound.first() {
            Some(x) if self.u.arbitrary()? => format!("（{x} ＋ {value}）"),
            _ => value,
        };
        body.push_str(&format!("  {value}\n"));
        let n = han(i);
        Ok(format!("\n分项 [项{n}] “项{n}” {category}{cap}  依据 标准 [社会保险]{}\n{body}", self.modelled()?))
    }

    fn clause(&mut self, kind: &str) -> Result<String> {
        let test = match kind {
            "期间" if self.u.arbitrary()? => {
                let start = self.u.int_in_range(1..=12)?;
                let from = format!("{start}月{}日", self.u.int_in_range(1..=28)?);
                let (to_year, end) = if self.u.ratio(1, 4)? {
                    ("次年", self.u.int_in_range(1..=start)?)
                } else {
                    ("", self.u.int_in_range(start..=12)?)
                };
                let to = format!("{to_year}{end}月{}日", self.u.int_in_range(1..=29)?);
                format!("评估日 介于 {from} 至 {to}")
            }
            _ => self.condition()?,
        };
        let article = if kind == "期间" { "第十条" } else { "第七条" };
        let message = match self.u.int_in_range(0..=2)? {
            0 => "“不符合生成的条件”".to_string(),
            1 => "“编号{申请人.编号}不符合”".to_string(),
            _ => "“社保{申请人.社保月数}不足”".to_string(),
        };
        Ok(format!("  {kind} {test}\n    不符合 {message}  依据 办法 {article}\n"))
    }

    fn clauses(&mut self, with_total: bool) -> Result<String> {
        self.in_purpose = with_total;
        let mut out = String::new();
        if self.u.ratio(1, 3)? {
            out.push_str(&self.clause("适用")?);
        }
        if self.u.ratio(1, 3)? {
            out.push_str(&self.clause("期间")?);
        }
        for _ in 0..self.u.int_in_range(0..=3)? {
            out.push_str(&self.clause("条件")?);
        }
        self.in_purpose = false;
        Ok(out)
    }

    fn purpose(&mut self, i: u32) -> Result<String> {
        let mut counted: Vec<&str> = Vec::new();
        for c in ["基础分", "附加分", "扣减分"] {
            if self.u.ratio(2, 3)? {
                counted.push(c);
            }
        }
        let counts = if counted.is_empty() { String::new() } else { format!("  计入 {}\n", counted.join("、")) };
        let n = han(i);
        Ok(format!("\n用途 用途{n} “用途{n}”  依据 办法 第七条\n{counts}{}", self.clauses(true)?))
    }

    fn route(&mut self, i: u32, purposes: u32) -> Result<String> {
        let n = han(i);
        if purposes > 0 && self.u.ratio(1, 3)? {
            let p = han(self.u.int_in_range(0..=purposes - 1)?);
            return Ok(format!("\n途径 [途径{n}] “途径{n}”  依据 办法 第七条\n  同 用途 用途{p}\n"));
        }
        Ok(format!("\n途径 [途径{n}] “途径{n}”  依据 办法 第七条\n{}", self.clauses(false)?))
    }
}
