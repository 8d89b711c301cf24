//! The yardstick: the 2020 计分标准 scored by a hand-written Rust function, directly on the same
//! decoded records the interpreter reads (slot-indexed values), with the same date arithmetic.
//! Field slots and enumeration values are looked up by name once, as a hand-written program would
//! have them as constants. The benchmark checks it agrees with the interpreter on every record.

use chrono::NaiveDate;
use jifen::eval::dates::{add_years, full_years, union_days};
use jifen::eval::value::Value;
use jifen::ir::{Policy, RecordDef, Type};
use rust_decimal::Decimal;

pub struct Hand {
    f: Slots,
    home: Slots,
    work: Slots,
    honour: Slots,
    invest: Slots,
    offence: Slots,
    /// 学历, 职称, 技能等级 points by variant index.
    education: Vec<Decimal>,
    title: Vec<Decimal>,
    skill: Vec<Decimal>,
    honour_points: Vec<Decimal>,
    /// Variant indexes of 住所.类型 (自有产权住房, 备案租赁住房), the hard trades, the offences.
    owned: u32,
    rented: u32,
    hard_trades: Vec<u32>,
    criminal: u32,
    detention: u32,
    dishonest: u32,
}

/// Field name → slot of one record declaration.
struct Slots(Vec<String>);

impl Slots {
    fn of(def: &RecordDef) -> Slots {
        Slots(def.fields.iter().map(|f| f.name.clone()).collect())
    }

    fn at(&self, name: &str) -> usize {
        self.0.iter().position(|n| n == name).unwrap_or(usize::MAX)
    }
}

fn variants(policy: &Policy, name: &str) -> Vec<String> {
    policy.enums.iter().find(|e| e.name == name).map(|e| e.variants.clone()).unwrap_or_default()
}

fn index(policy: &Policy, enumeration: &str, variant: &str) -> u32 {
    variants(policy, enumeration).iter().position(|v| v == variant).map_or(u32::MAX, |i| i as u32)
}

fn points(policy: &Policy, enumeration: &str, table: &[(&str, i64)]) -> Vec<Decimal> {
    variants(policy, enumeration)
        .iter()
        .map(|v| table.iter().find(|(name, _)| name == v).map_or(Decimal::ZERO, |(_, p)| Decimal::from(*p)))
        .collect()
}

/// The type of a field, for nested records.
fn field_record<'p>(policy: &'p Policy, def: &RecordDef, name: &str) -> Option<&'p RecordDef> {
    let ty = &def.fields.iter().find(|f| f.name == name)?.ty;
    let inner = match ty {
        Type::Optional(t) | Type::List(t) => t.as_ref(),
        t => t,
    };
    match inner {
        Type::Record(r) => policy.record_def(*r),
        _ => None,
    }
}

impl Hand {
    pub fn new(policy: &Policy) -> Option<Hand> {
        let applicant = policy.applicant_def()?;
        let nested = |name: &str| field_record(policy, applicant, name).map(Slots::of);
        Some(Hand {
            f: Slots::of(applicant),
            home: nested("住所")?,
            work: nested("从业记录")?,
            honour: nested("表彰")?,
            invest: nested("投资纳税")?,
            offence: nested("违法记录")?,
            education: points(
                policy,
                "学历",
                &[
                    ("初中及以下", 5),
                    ("高中", 20),
                    ("大专", 50),
                    ("本科", 80),
                    ("硕士研究生", 100),
                    ("博士研究生", 120),
                ],
            ),
            title: points(policy, "职称", &[("初级", 40), ("中级", 80), ("副高级", 110), ("正高级", 130)]),
            skill: points(policy, "技能等级", &[("五级", 15), ("四级", 30), ("三级", 50), ("二级", 80), ("一级", 100)]),
            honour_points: points(policy, "表彰级别", &[("国家级", 60), ("省级", 40), ("市级", 20), ("县级", 10)]),
            owned: index(policy, "住房类型", "自有产权住房"),
            rented: index(policy, "住房类型", "备案租赁住房"),
            hard_trades: ["环卫", "护理", "保安", "消防", "民办教育", "城市运维"]
                .iter()
                .map(|t| index(policy, "行业", t))
                .collect(),
            criminal: index(policy, "违法类型", "刑事处罚"),
            detention: index(policy, "违法类型", "行政拘留"),
            dishonest: index(policy, "违法类型", "失信被执行"),
        })
    }

    /// The fifteen items' points, in the 计分标准's order.
    pub fn score(&self, applicant: &Value, as_of: NaiveDate) -> [Decimal; 15] {
        let Value::Record(a) = applicant else { return [Decimal::ZERO; 15] };
        let get = |slots: &Slots, r: &'_ [Value], name: &str| r.get(slots.at(name)).cloned().unwrap_or(Value::Absent);
        let num = |v: Value| if let Value::Num(d) = v { d } else { Decimal::ZERO };
        let variant = |v: &Value| if let Value::Variant(_, i) = v { *i } else { u32::MAX };
        let table = |t: &[Decimal], v: Value| t.get(variant(&v) as usize).copied().unwrap_or(Decimal::ZERO);
        let step = |q: Decimal, every: i64, gives: Decimal, cap: i64| {
            ((q / Decimal::from(every)).floor().max(Decimal::ZERO) * gives).min(Decimal::from(cap))
        };
        let half = Decimal::new(5, 1);

        let quality = table(&self.education, get(&self.f, a, "学历"))
            .max(table(&self.title, get(&self.f, a, "职称")))
            .max(table(&self.skill, get(&self.f, a, "技能等级")));
        let age = match get(&self.f, a, "出生日期") {
            Value::Date(born) => match full_years(born, as_of) {
                18..=35 => Decimal::from(20),
                36..=45 => Decimal::from(10),
                _ => Decimal::ZERO,
            },
            _ => Decimal::ZERO,
        };
        let insurance = step(num(get(&self.f, a, "社保累计月数")), 1, half, 60);
        let residence = match (get(&self.f, a, "持有居住证"), get(&self.f, a, "居住证登记日期")) {
            (Value::Bool(true), Value::Date(from)) => step(Decimal::from(full_years(from, as_of)), 1, 5.into(), 50),
            _ => Decimal::ZERO,
        };
        let home = match get(&self.f, a, "住所") {
            Value::Record(h) => match variant(&get(&self.home, &h, "类型")) {
                i if i == self.owned => Decimal::from(30),
                i if i == self.rented => Decimal::from(10),
                _ => Decimal::ZERO,
            },
            _ => Decimal::ZERO,
        };
        let hard = match get(&self.f, a, "从业记录") {
            Value::List(periods) => {
                let ranges: Vec<(NaiveDate, NaiveDate)> = periods
                    .iter()
                    .filter_map(|p| {
                        let Value::Record(p) = p else { return None };
                        if !self.hard_trades.contains(&variant(&get(&self.work, p, "行业"))) {
                            return None;
                        }
                        let Value::Date(start) = get(&self.work, p, "开始日期") else { return None };
                        let end = match get(&self.work, p, "结束日期") {
                            Value::Date(e) => e.min(as_of),
                            _ => as_of,
                        };
                        Some((start, end))
                    })
                    .collect();
                step(Decimal::from(union_days(&ranges)), 365, 3.into(), 15)
            }
            _ => Decimal::ZERO,
        };
        let yes = |name: &str, points: i64| {
            if get(&self.f, a, name) == Value::Bool(true) {
                Decimal::from(points)
            } else {
                Decimal::ZERO
            }
        };
        let shortage = yes("紧缺人才", 20);
        let honour = match get(&self.f, a, "表彰") {
            Value::List(hs) => hs
                .iter()
                .filter_map(|h| {
                    let Value::Record(h) = h else { return None };
                    match get(&self.honour, h, "授予日期") {
                        Value::Date(d) if d <= as_of => Some(table(&self.honour_points, get(&self.honour, h, "级别"))),
                        _ => None,
                    }
                })
                .max()
                .unwrap_or(Decimal::ZERO),
            _ => Decimal::ZERO,
        };
        let invest = match get(&self.f, a, "投资纳税") {
            Value::Record(i) => step(num(get(&self.invest, &i, "金额")), 100_000, 2.into(), 20),
            _ => Decimal::ZERO,
        };
        let volunteer = step(num(get(&self.f, a, "志愿服务小时")), 50, 1.into(), 10);
        let blood = step(num(get(&self.f, a, "献血次数")), 1, 2.into(), 10);
        let veteran = yes("退役军人", 5);
        let offences = |kind: u32, years: i64, each: i64| {
            let since = add_years(as_of, -years).unwrap_or(as_of);
            let n = match get(&self.f, a, "违法记录") {
                Value::List(os) => os
                    .iter()
                    .filter(|o| {
                        let Value::Record(o) = o else { return false };
                        variant(&get(&self.offence, o, "类型")) == kind
                            && matches!(get(&self.offence, o, "日期"), Value::Date(d) if since <= d && d <= as_of)
                    })
                    .count(),
                _ => 0,
            };
            Decimal::from(n as i64 * each)
        };
        [
            quality,
            age,
            insurance,
            residence,
            home,
            hard,
            shortage,
            honour,
            invest,
            volunteer,
            blood,
            veteran,
            offences(self.criminal, 5, 100),
            offences(self.detention, 5, 20),
            offences(self.dishonest, 3, 30),
        ]
    }
}
