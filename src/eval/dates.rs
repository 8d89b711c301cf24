//! Date arithmetic with the semantics of the reference README: full years with the 29 February
//! rule, look-back windows, inclusive day counts and the union of date ranges.

use chrono::{Datelike, Duration, NaiveDate};

/// `date` moved by `years` calendar years; 29 February lands on 28 February in a common year.
pub fn add_years(date: NaiveDate, years: i64) -> Option<NaiveDate> {
    let year = i32::try_from(i64::from(date.year()).checked_add(years)?).ok()?;
    NaiveDate::from_ymd_opt(year, date.month(), date.day()).or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
}

/// `date` moved by `months`; a day the target month lacks becomes its last day (chrono clamps).
pub fn add_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    let n = chrono::Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 {
        date.checked_add_months(n)
    } else {
        date.checked_sub_months(n)
    }
}

pub fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(Duration::try_days(days)?)
}

/// Full years from `from` to `to`: the largest n with `add_years(from, n) <= to` (negative when
/// `to` is before `from`).
pub fn full_years(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = i64::from(to.year()) - i64::from(from.year());
    // add_years is monotone in n, so at most one step back is needed.
    if add_years(from, n).is_none_or(|d| d > to) {
        n -= 1;
    }
    n
}

/// The period from `from` to `to`, both included, as the law writes it: full years, then the
/// days left (`3年又182日`, `2年`, `45日`).
pub fn duration_text(from: NaiveDate, to: NaiveDate) -> String {
    let years = add_days(to, 1).map_or(0, |next| full_years(from, next)).max(0);
    let rest = add_years(from, years).map_or(0, |start| days_inclusive(start, to));
    match (years, rest) {
        (0, d) => format!("{d}日"),
        (y, 0) => format!("{y}年"),
        (y, d) => format!("{y}年又{d}日"),
    }
}

/// Days from `from` to `to`, both included; 0 when `to` is before `from`.
pub fn days_inclusive(from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        0
    } else {
        (to - from).num_days() + 1
    }
}

/// Days covered by the union of inclusive ranges; a range ending before it starts covers nothing.
pub fn union_days(ranges: &[(NaiveDate, NaiveDate)]) -> i64 {
    merged(ranges).into_iter().map(|(start, end)| days_inclusive(start, end)).sum()
}

/// The ranges merged where they overlap or touch, in order; empty ranges (end before start) are
/// left out.
pub fn merged(ranges: &[(NaiveDate, NaiveDate)]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut sorted: Vec<(NaiveDate, NaiveDate)> = ranges.iter().copied().filter(|(a, b)| a <= b).collect();
    sorted.sort();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match out.last_mut() {
            // The last day chrono has has no successor; every start is on or before it anyway.
            Some((_, ce)) if start <= ce.succ_opt().unwrap_or(*ce) => *ce = (*ce).max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_the_law_writes_them() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date");
        assert_eq!(duration_text(d("2021-01-01"), d("2024-06-30")), "3年又182日");
        assert_eq!(duration_text(d("2021-01-01"), d("2023-12-31")), "3年");
        assert_eq!(duration_text(d("2021-01-01"), d("2021-02-14")), "45日");
        // From 29 February: a year later is 28 February (reference README).
        assert_eq!(duration_text(d("2020-02-29"), d("2021-02-27")), "1年");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
    }

    #[test]
    fn full_years_counts_the_birthday_itself() {
        assert_eq!(full_years(d("1990-05-12"), d("2021-05-11")), 30);
        assert_eq!(full_years(d("1990-05-12"), d("2021-05-12")), 31);
    }

    #[test]
    fn born_on_29_february_comes_of_age_on_28_february_in_common_years() {
        assert_eq!(full_years(d("2004-02-29"), d("2022-02-27")), 17);
        assert_eq!(full_years(d("2004-02-29"), d("2022-02-28")), 18);
        assert_eq!(full_years(d("2004-02-29"), d("2024-02-28")), 19);
        assert_eq!(full_years(d("2004-02-29"), d("2024-02-29")), 20);
    }

    #[test]
    fn full_years_backwards_is_negative() {
        assert_eq!(full_years(d("2022-01-02"), d("2021-12-31")), -1);
        assert_eq!(full_years(d("2021-06-01"), d("2021-06-01")), 0);
    }

    #[test]
    fn look_back_from_29_february_lands_on_28_february() {
        assert_eq!(add_years(d("2024-02-29"), -5), Some(d("2019-02-28")));
        assert_eq!(add_years(d("2024-02-29"), -4), Some(d("2020-02-29")));
        assert_eq!(add_years(d("2021-05-10"), -5), Some(d("2016-05-10")));
    }

    #[test]
    fn month_arithmetic_clamps_to_the_month_end() {
        assert_eq!(add_months(d("2021-01-31"), 1), Some(d("2021-02-28")));
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2021-03-31"), -1), Some(d("2021-02-28")));
        assert_eq!(add_months(d("2021-12-15"), 1), Some(d("2022-01-15")));
        assert_eq!(add_months(d("2021-01-15"), -1), Some(d("2020-12-15")));
    }

    #[test]
    fn day_counts_include_both_ends() {
        assert_eq!(days_inclusive(d("2016-01-01"), d("2018-06-30")), 912);
        assert_eq!(days_inclusive(d("2021-03-01"), d("2021-03-01")), 1);
        assert_eq!(days_inclusive(d("2021-03-02"), d("2021-03-01")), 0);
        assert_eq!(days_inclusive(d("2020-02-28"), d("2020-03-01")), 3);
    }

    #[test]
    fn union_merges_overlapping_and_adjacent_ranges() {
        let r = [
            (d("2020-01-01"), d("2020-01-10")),
            (d("2020-01-05"), d("2020-01-20")),
            (d("2020-01-21"), d("2020-01-21")),
        ];
        assert_eq!(union_days(&r), 21);
        let disjoint = [(d("2020-01-01"), d("2020-01-01")), (d("2020-01-03"), d("2020-01-03"))];
        assert_eq!(union_days(&disjoint), 2);
        let reversed = [(d("2020-01-10"), d("2020-01-01"))];
        assert_eq!(union_days(&reversed), 0);
    }

    #[test]
    fn window_ends_are_inclusive() {
        let end = d("2023-12-31");
        assert!(d("2023-12-31") <= end);
        assert_eq!(days_inclusive(d("2021-01-01"), end), 1095);
        assert_eq!(full_years(d("2021-01-01"), d("2023-12-31")), 2);
        assert_eq!(full_years(d("2021-01-01"), d("2024-01-01")), 3);
    }
}
