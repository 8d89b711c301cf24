//! Types and units of the language.

use rust_decimal::Decimal;
use serde::Serialize;

/// The base units of the language. A [`Unit`] is a product of their powers, so a rate such as
/// `12个月/年` is a unit too, and `2年 × 12个月/年` is 个月.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum BaseUnit {
    Points,
    Yuan,
    Month,
    Year,
    Day,
    SquareMetre,
    Hour,
    Times,
}

impl BaseUnit {
    pub const ALL: [BaseUnit; 8] = [
        BaseUnit::Points,
        BaseUnit::Yuan,
        BaseUnit::Month,
        BaseUnit::Year,
        BaseUnit::Day,
        BaseUnit::SquareMetre,
        BaseUnit::Hour,
        BaseUnit::Times,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            BaseUnit::Points => "分",
            BaseUnit::Yuan => "元",
            BaseUnit::Month => "个月",
            BaseUnit::Year => "年",
            BaseUnit::Day => "日",
            BaseUnit::SquareMetre => "平方米",
            BaseUnit::Hour => "小时",
            BaseUnit::Times => "次",
        }
    }

    fn index(self) -> usize {
        // A fieldless enum's discriminant, 0..=7: the cast is exact.
        self as usize
    }
}

/// A unit word as written after a number, and what it means: `10万元` is 100000 元, `18周岁` 18 年.
pub fn unit_word(word: &str) -> Option<(BaseUnit, Decimal)> {
    let one = Decimal::ONE;
    Some(match word {
        "分" => (BaseUnit::Points, one),
        "元" => (BaseUnit::Yuan, one),
        "万元" => (BaseUnit::Yuan, Decimal::from(10_000)),
        "个月" => (BaseUnit::Month, one),
        "年" | "周岁" => (BaseUnit::Year, one),
        "日" | "天" => (BaseUnit::Day, one),
        "平方米" => (BaseUnit::SquareMetre, one),
        "小时" => (BaseUnit::Hour, one),
        "次" => (BaseUnit::Times, one),
        _ => return None,
    })
}

/// Powers of the base units; all zero is a plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Unit(pub [i8; 8]);

impl Unit {
    pub const NONE: Unit = Unit([0; 8]);

    pub fn base(b: BaseUnit) -> Unit {
        let mut u = [0i8; 8];
        if let Some(slot) = u.get_mut(b.index()) {
            *slot = 1;
        }
        Unit(u)
    }

    pub fn is_none(&self) -> bool {
        self.0.iter().all(|p| *p == 0)
    }

    pub fn as_base(&self) -> Option<BaseUnit> {
        BaseUnit::ALL.into_iter().find(|b| *self == Unit::base(*b))
    }

    pub fn times(self, other: Unit) -> Unit {
        let mut u = self.0;
        for (a, b) in u.iter_mut().zip(other.0) {
            *a = a.saturating_add(b);
        }
        Unit(u)
    }

    pub fn per(self, other: Unit) -> Unit {
        let mut u = self.0;
        for (a, b) in u.iter_mut().zip(other.0) {
            *a = a.saturating_sub(b);
        }
        Unit(u)
    }

    /// `分`, `个月`, `分/个月`, `` (a plain number).
    pub fn zh(&self) -> String {
        let mut num = Vec::new();
        let mut den = Vec::new();
        for b in BaseUnit::ALL {
            // A unit has one power per base unit (ALL and the array are both 8 long): always found.
            let p = self.0.get(b.index()).copied().unwrap_or(0);
            let word = b.zh();
            let term = |n: i8| {
                if n.abs() == 1 {
                    word.to_string()
                } else {
                    format!("{word}^{}", n.abs())
                }
            };
            if p > 0 {
                num.push(term(p));
            } else if p < 0 {
                den.push(term(p));
            }
        }
        match (num.is_empty(), den.is_empty()) {
            (_, true) => num.join("·"),
            (true, false) => format!("1/{}", den.join("·")),
            (false, false) => format!("{}/{}", num.join("·"), den.join("·")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EnumId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RecordId(pub u32);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", content = "of")]
pub enum Type {
    Number(Unit),
    Bool,
    Text,
    Date,
    /// A day of every year (`5月1日`).
    MonthDay,
    Enum(EnumId),
    Record(RecordId),
    List(Box<Type>),
    Optional(Box<Type>),
    /// `[]` before its element type is known; unifies with any list.
    EmptyList,
    /// The type of an expression that already failed to check; unifies with anything so one
    /// mistake gives one diagnostic.
    Error,
    /// The type of 待定: it never gives a value, so it fits wherever a value is expected.
    Never,
}

impl Type {
    pub fn points() -> Type {
        Type::Number(Unit::base(BaseUnit::Points))
    }

    /// Whether the type says nothing about the value (an error, or 待定): branches take the other's type.
    pub fn is_error(&self) -> bool {
        matches!(self, Type::Error | Type::Never)
    }

    /// Equal types, where [`Type::Error`] and `[]` are compatible with what they stand for.
    pub fn compatible(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Error | Type::Never, _) | (_, Type::Error | Type::Never) => true,
            (Type::EmptyList, Type::List(_)) | (Type::List(_), Type::EmptyList) => true,
            (Type::List(a), Type::List(b)) | (Type::Optional(a), Type::Optional(b)) => a.compatible(b),
            _ => self == other,
        }
    }
}
