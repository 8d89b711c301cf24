//! A generator of realistic applicant records (JSON Lines) for benchmarks and scale tests:
//!
//! ```sh
//! cargo run --release --example gen -- --count 200000 --seed 7 > /tmp/applicants.jsonl
//! ```
//!
//! Deterministic for a seed (a small splitmix64, so no dependency and the same file on every
//! machine). The mix is modelled, not measured: applications in every month of 2021–2026 (so the
//! acceptance windows are met and missed), ages 18–60, each district, every education level and
//! housing type, with work histories in the special trades, awards, investment, volunteering,
//! blood donation, offences, children and marriages present in plausible shares.

#![allow(dead_code)] // the test that checks the generator uses `generate` without `main`

/// splitmix64: small, fast and the same on every machine (tests draw from it too).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next_u64() % span).unwrap_or(0)
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % n.max(1) as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = self.below(items.len());
        items.get(i).copied().unwrap_or("")
    }

    /// A calendar date between two years (inclusive), as `YYYY-MM-DD`.
    fn date(&mut self, from_year: i64, to_year: i64) -> String {
        let y = self.range(from_year, to_year);
        let m = self.range(1, 12);
        let days = match m {
            2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        format!("{y:04}-{m:02}-{:02}", self.range(1, days))
    }
}

const DISTRICTS: &[&str] =
    &["姑苏区", "虎丘区", "吴中区", "相城区", "吴江区", "苏州工业园区", "张家港市", "常熟市", "太仓市", "昆山市"];
const EDUCATION: &[&str] = &["初中及以下", "高中", "高中", "大专", "大专", "本科", "本科", "硕士研究生", "博士研究生"];
const TITLES: &[&str] = &["无", "无", "无", "初级", "中级", "副高级", "正高级"];
const SKILLS: &[&str] = &["无", "无", "五级", "四级", "三级", "二级", "一级"];
const HOUSING: &[&str] = &["自有产权住房", "备案租赁住房", "备案租赁住房", "其他"];
const TRADES: &[&str] = &["环卫", "护理", "保安", "消防", "民办教育", "城市运维", "其他", "其他"];
const LEVELS: &[&str] = &["国家级", "省级", "市级", "县级", "县级"];
const OFFENCES: &[&str] = &["刑事处罚", "行政拘留", "行政拘留", "失信被执行", "失信被执行"];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡"];
const GIVEN: &[&str] =
    &["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超"];

/// One applicant record as a JSON line.
fn applicant(rng: &mut Rng, index: u64) -> String {
    let applied = rng.date(2021, 2026);
    let applied_year: i64 = applied.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2021);
    let birth = rng.date(applied_year - 60, applied_year - 18);
    let permit = rng.chance(90);
    let registered =
        if permit && rng.chance(95) { format!("\"{}\"", rng.date(2005, applied_year)) } else { "null".into() };
    let total_months = rng.range(0, 240);
    let continuous = rng.range(0, total_months);
    let housing = if rng.chance(85) {
        format!("{{\"类型\": \"{}\", \"建筑面积\": \"{}.{}\"}}", rng.pick(HOUSING), rng.range(20, 160), rng.range(0, 9))
    } else {
        "null".into()
    };
    let mut work = Vec::new();
    for _ in 0..rng.range(0, 3) {
        let end = if rng.chance(40) { "null".into() } else { format!("\"{}\"", rng.date(2019, applied_year)) };
        work.push(format!(
            "{{\"行业\": \"{}\", \"开始日期\": \"{}\", \"结束日期\": {end}}}",
            rng.pick(TRADES),
            rng.date(2010, 2018)
        ));
    }
    let awards: Vec<String> = (0..usize::from(rng.chance(10)) + usize::from(rng.chance(3)))
        .map(|_| format!("{{\"级别\": \"{}\", \"授予日期\": \"{}\"}}", rng.pick(LEVELS), rng.date(2010, applied_year)))
        .collect();
    let investment = if rng.chance(8) {
        format!("{{\"金额\": \"{}\", \"所在地\": \"{}\"}}", rng.range(10_000, 800_000), rng.pick(DISTRICTS))
    } else {
        "null".into()
    };
    let offences: Vec<String> = (0..usize::from(rng.chance(6)) + usize::from(rng.chance(2)))
        .map(|_| {
            format!(
                "{{\"类型\": \"{}\", \"日期\": \"{}\"}}",
                rng.pick(OFFENCES),
                rng.date(applied_year - 8, applied_year)
            )
        })
        .collect();
    let children: Vec<String> = (0..rng.range(0, 2))
        .map(|k| {
            format!(
                "{{\"姓名\": \"小{}{k}\", \"出生日期\": \"{}\", \"已入托入学\": {}}}",
                rng.pick(GIVEN),
                rng.date(applied_year - 12, applied_year),
                rng.chance(50)
            )
        })
        .collect();
    let married = rng.chance(55);
    let marriage = if married { format!("\"{}\"", rng.date(2005, applied_year)) } else { "null".into() };
    let purchase = if rng.chance(12) {
        format!(
            "{{\"所在地\": \"{}\", \"建筑面积\": \"{}\", \"已取得产权证书\": {}}}",
            rng.pick(DISTRICTS),
            rng.range(40, 140),
            rng.chance(80)
        )
    } else {
        "null".into()
    };
    format!(
        "{{\"编号\": \"G{index:07}\", \"姓名\": \"{}{}{}\", \"申请日期\": \"{applied}\", \"出生日期\": \"{birth}\", \
         \"持有居住证\": {permit}, \"居住证登记日期\": {registered}, \"居住地\": \"{}\", \"学历\": \"{}\", \
         \"职称\": \"{}\", \"技能等级\": \"{}\", \"社保累计月数\": {total_months}, \"社保连续月数\": {continuous}, \
         \"住所\": {housing}, \"从业记录\": [{}], \"紧缺人才\": {}, \"表彰\": [{}], \"投资纳税\": {investment}, \
         \"志愿服务小时\": {}, \"献血次数\": {}, \"退役军人\": {}, \"违法记录\": [{}], \"虚假材料\": {}, \
         \"子女\": [{}], \"配偶本市户籍\": {}, \"结婚日期\": {marriage}, \"购房\": {purchase}}}",
        rng.pick(SURNAMES),
        rng.pick(GIVEN),
        rng.pick(GIVEN),
        rng.pick(DISTRICTS),
        rng.pick(EDUCATION),
        rng.pick(TITLES),
        rng.pick(SKILLS),
        work.join(", "),
        rng.chance(5),
        awards.join(", "),
        if rng.chance(30) { rng.range(0, 700) } else { 0 },
        if rng.chance(20) { rng.range(0, 8) } else { 0 },
        rng.chance(4),
        offences.join(", "),
        rng.chance(1),
        children.join(", "),
        married && rng.chance(30),
    )
}

/// `count` records for a seed, one JSON line each.
pub fn generate(count: u64, seed: u64) -> impl Iterator<Item = String> {
    let mut rng = Rng(seed);
    (0..count).map(move |i| applicant(&mut rng, i + 1))
}

fn main() {
    let mut count = 1000u64;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (flag.as_str(), value) {
            ("--count", Some(v)) => count = v,
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: gen [--count N] [--seed S]   (JSON Lines applicants on stdout)");
                std::process::exit(2);
            }
        }
    }
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in generate(count, seed) {
        if writeln!(out, "{line}").is_err() {
            // The reader went away (`| head`): stop quietly.
            return;
        }
    }
    let _ = out.flush();
}
