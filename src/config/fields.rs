//! The kinds of setting a demo has, and the three walks over a configuration's fields: reading a
//! query (clamping what is out of range and saying so), writing the canonical query, and
//! describing every parameter for the README.

use super::query::Query;
use crate::engine::decimal::parse_decimal_lenient;
use crate::engine::text::shown;

/// A whole-number setting.
#[derive(Clone, Copy, Debug)]
pub struct IntField {
    /// The URL parameter.
    pub name: &'static str,
    /// Smallest value.
    pub min: u64,
    /// Largest value.
    pub max: u64,
    /// The unit, for people ("entries", "ms"); may be empty.
    pub unit: &'static str,
    /// What it sets, in a few words.
    pub about: &'static str,
    /// A word that stands for one value, such as `maxsize=none`.
    pub word: Option<(&'static str, u64)>,
}

/// A setting with a fractional part.
#[derive(Clone, Copy, Debug)]
pub struct DecimalField {
    /// The URL parameter.
    pub name: &'static str,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// The sliders' step (values between steps are kept as given).
    pub step: f64,
    /// The unit, for people; `%` also lets the value carry a `%` sign.
    pub unit: &'static str,
    /// What it sets, in a few words.
    pub about: &'static str,
}

/// A span of virtual time, kept in milliseconds. A bare number is in the field's unit; a number
/// ending in `ms` or `s` says its own.
#[derive(Clone, Copy, Debug)]
pub struct DurationField {
    /// The URL parameter.
    pub name: &'static str,
    /// Smallest value, ms.
    pub min: u64,
    /// Largest value, ms.
    pub max: u64,
    /// The sliders' step, ms.
    pub step: u64,
    /// What a bare number counts.
    pub unit: TimeUnit,
    /// What it sets, in a few words.
    pub about: &'static str,
}

/// The unit of a bare number in a [`DurationField`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds (`ttl=10`).
    Seconds,
    /// Milliseconds (`latency=10`).
    Millis,
}

impl TimeUnit {
    fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Millis => "ms",
        }
    }
}

/// An on/off setting (`1`/`0`, also `true`/`false`, `yes`/`no`, `on`/`off`).
#[derive(Clone, Copy, Debug)]
pub struct FlagField {
    /// The URL parameter.
    pub name: &'static str,
    /// What it turns on.
    pub about: &'static str,
}

/// A setting that takes one (or a list) of a fixed set of ids.
#[derive(Clone, Copy, Debug)]
pub struct ChoiceField {
    /// The URL parameter.
    pub name: &'static str,
    /// What it picks.
    pub about: &'static str,
    /// Ids that exist but cannot be used here, with the reason (e.g. `opt` in a live demo).
    pub refused: &'static [(&'static str, &'static str)],
}

/// A value of a [`ChoiceField`]: anything with a stable id.
pub trait Choice: Copy + PartialEq + 'static {
    /// The id in URLs.
    fn id(self) -> &'static str;
}

impl Choice for crate::engine::policy::PolicyKind {
    fn id(self) -> &'static str {
        crate::engine::policy::PolicyKind::id(self)
    }
}

/// A walk over a configuration's fields. Every configuration lists its fields once, in
/// [`super::DemoConfig::visit`]; reading, writing and describing are walks.
pub trait Visitor {
    /// A whole number.
    fn int(&mut self, field: &IntField, value: &mut u64);
    /// A decimal.
    fn decimal(&mut self, field: &DecimalField, value: &mut f64);
    /// A duration in milliseconds.
    fn duration(&mut self, field: &DurationField, value: &mut u64);
    /// A flag.
    fn flag(&mut self, field: &FlagField, value: &mut bool);
    /// One of `options`.
    fn choice<C: Choice>(&mut self, field: &ChoiceField, options: &[C], value: &mut C);
    /// Some of `options` (at least one), kept in the order of `options`.
    fn choices<C: Choice>(&mut self, field: &ChoiceField, options: &[C], value: &mut Vec<C>);
}

/// The longest piece of a given value quoted back in a notice.
const QUOTED_CHARS: usize = 100;

/// A value from the URL, quoted for a notice: shortened if long, control characters escaped.
pub fn quote(text: &str) -> String {
    format!("“{}”", shown(text.as_bytes(), QUOTED_CHARS))
}

/// The most unknown parameters a notice names.
const SHOWN_UNKNOWN: usize = 3;

/// Reads fields from a query: a missing parameter leaves the value as it is, a bad one is
/// replaced (clamped, or left at its default) and noted.
#[derive(Debug)]
pub struct Reader<'q> {
    /// The query.
    query: &'q Query,
    /// Which of the query's pairs a field has read.
    used: Vec<bool>,
    /// What was changed and why, one sentence each.
    pub notes: Vec<String>,
    /// How many fields the query set.
    pub found: usize,
}

impl<'q> Reader<'q> {
    /// A reader over `query`.
    pub fn new(query: &'q Query) -> Self {
        Self {
            query,
            used: vec![false; query.pairs().len()],
            notes: Vec::new(),
            found: 0,
        }
    }

    /// Marks `name` as known without reading it (parameters that are not a demo's settings).
    pub fn known(&mut self, name: &str) {
        let _ = self.take(name);
    }

    /// The first value of `name`, marking every pair of that name as read and noting repeats.
    fn take(&mut self, name: &str) -> Option<&'q str> {
        let mut first = None;
        let mut repeats = 0;
        for (index, (found, value)) in self.query.pairs().iter().enumerate() {
            if found == name {
                self.used[index] = true;
                if first.is_none() {
                    first = Some(value.as_str());
                } else {
                    repeats += 1;
                }
            }
        }
        if let Some(value) = first
            && repeats > 0
        {
            self.notes.push(format!(
                "{name} was given {} times; the first, {}, is used.",
                repeats + 1,
                quote(value)
            ));
        }
        if first.is_some() {
            self.found += 1;
        }
        first
    }

    /// Notes the parameters no field read, and returns every note.
    pub fn finish(mut self, what: &str) -> Vec<String> {
        let mut unknown: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for ((name, _), used) in self.query.pairs().iter().zip(&self.used) {
            if !used && seen.insert(name.as_str()) {
                unknown.push(name);
            }
        }
        if !unknown.is_empty() {
            let (noun, pronoun) = if unknown.len() == 1 {
                ("parameter", "it is")
            } else {
                ("parameters", "they are")
            };
            // A hostile link may hold thousands: name a few, so the notice stays short.
            let mut named: Vec<String> = unknown
                .iter()
                .take(SHOWN_UNKNOWN)
                .map(|n| quote(n))
                .collect();
            if unknown.len() > SHOWN_UNKNOWN {
                named.push(format!("and {} more", unknown.len() - SHOWN_UNKNOWN));
            }
            self.notes.push(format!(
                "Ignored the {noun} {}: {pronoun} not a setting of {what}.",
                named.join(", ")
            ));
        }
        self.notes
    }

    /// Keeps `number` within `min..=max`, noting a change; `show` writes a bound as the field
    /// writes its values.
    fn clamp(
        &mut self,
        name: &str,
        text: &str,
        number: f64,
        (min, max): (f64, f64),
        show: impl Fn(f64) -> String,
    ) -> f64 {
        let (side, bound) = if number < min {
            ("below the minimum", min)
        } else if number > max {
            ("above the maximum", max)
        } else {
            return number;
        };
        self.notes.push(format!(
            "{name}: {} is {side}; using {}.",
            quote(text),
            show(bound)
        ));
        bound
    }

    fn not_a_number(&mut self, name: &str, text: &str, kept: String) {
        self.notes.push(format!(
            "{name}: {} is not a number; using {kept}.",
            quote(text)
        ));
    }
}

/// A finite number, or `None`.
fn number(text: &str) -> Option<f64> {
    // Past 15 significant digits or ±1e22 the value is clamped and rounded to the field's step
    // anyway: the lenient reading is exact for every value that can matter.
    parse_decimal_lenient(text.trim())
}

fn show_int(field: &IntField, value: u64) -> String {
    match field.word {
        Some((word, special)) if special == value => word.to_owned(),
        _ => value.to_string(),
    }
}

/// A decimal in its shortest exact form (`1`, `0.9`, `12.5`).
pub fn show_decimal(value: f64) -> String {
    format!("{value}")
}

/// Milliseconds in a field's unit, without the unit (`10`, `0.5`).
pub fn show_duration(field: &DurationField, ms: u64) -> String {
    match field.unit {
        TimeUnit::Millis => ms.to_string(),
        TimeUnit::Seconds => show_decimal(ms as f64 / 1000.0),
    }
}

impl Visitor for Reader<'_> {
    fn int(&mut self, field: &IntField, value: &mut u64) {
        let Some(text) = self.take(field.name) else {
            return;
        };
        let trimmed = text.trim();
        if let Some((word, special)) = field.word
            && trimmed.eq_ignore_ascii_case(word)
        {
            *value = special;
            return;
        }
        let Some(n) = number(trimmed) else {
            self.not_a_number(field.name, text, show_int(field, *value));
            return;
        };
        let range = (field.min as f64, field.max as f64);
        let clamped = self.clamp(field.name, text, n, range, |bound| {
            show_int(field, bound as u64)
        });
        *value = clamped.round() as u64;
        if clamped.fract() != 0.0 {
            self.notes.push(format!(
                "{}: {} is not a whole number; using {}.",
                field.name,
                quote(text),
                show_int(field, *value)
            ));
        }
    }

    fn decimal(&mut self, field: &DecimalField, value: &mut f64) {
        let Some(text) = self.take(field.name) else {
            return;
        };
        let trimmed = text.trim();
        let trimmed = if field.unit == "%" {
            trimmed.strip_suffix('%').unwrap_or(trimmed)
        } else {
            trimmed
        };
        let Some(n) = number(trimmed) else {
            self.not_a_number(field.name, text, show_decimal(*value));
            return;
        };
        *value = self.clamp(field.name, text, n, (field.min, field.max), show_decimal);
    }

    fn duration(&mut self, field: &DurationField, value: &mut u64) {
        let Some(text) = self.take(field.name) else {
            return;
        };
        let trimmed = text.trim().to_ascii_lowercase();
        let (digits, scale) = if let Some(ms) = trimmed.strip_suffix("ms") {
            (ms, 1.0)
        } else if let Some(s) = trimmed.strip_suffix('s') {
            (s, 1000.0)
        } else {
            (
                trimmed.as_str(),
                if field.unit == TimeUnit::Seconds {
                    1000.0
                } else {
                    1.0
                },
            )
        };
        let Some(n) = number(digits) else {
            let kept = format!("{} {}", show_duration(field, *value), field.unit.suffix());
            self.not_a_number(field.name, text, kept);
            return;
        };
        let shown = |ms: f64| {
            format!(
                "{} {}",
                show_duration(field, ms as u64),
                field.unit.suffix()
            )
        };
        let range = (field.min as f64, field.max as f64);
        // Virtual time runs in whole milliseconds.
        *value = self
            .clamp(field.name, text, n * scale, range, shown)
            .round() as u64;
    }

    fn flag(&mut self, field: &FlagField, value: &mut bool) {
        let Some(text) = self.take(field.name) else {
            return;
        };
        match parse_flag(text) {
            Some(on) => *value = on,
            None => self.notes.push(format!(
                "{}: {} is not 1 or 0; using {}.",
                field.name,
                quote(text),
                u8::from(*value)
            )),
        }
    }

    fn choice<C: Choice>(&mut self, field: &ChoiceField, options: &[C], value: &mut C) {
        let Some(text) = self.take(field.name) else {
            return;
        };
        match find_choice(options, text) {
            Some(found) => *value = found,
            None => {
                let why = refusal(field, text, options);
                self.notes
                    .push(format!("{}: {why}; using {}.", field.name, value.id()));
            }
        }
    }

    fn choices<C: Choice>(&mut self, field: &ChoiceField, options: &[C], value: &mut Vec<C>) {
        let Some(text) = self.take(field.name) else {
            return;
        };
        let mut chosen = Vec::new();
        for part in text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            match find_choice(options, part) {
                Some(found) => chosen.push(found),
                None => {
                    let why = refusal(field, part, options);
                    self.notes.push(format!("{}: {why}; left out.", field.name));
                }
            }
        }
        if chosen.is_empty() {
            let kept: Vec<&str> = value.iter().map(|choice| choice.id()).collect();
            self.notes.push(format!(
                "{}: {} names none of the choices; using {}.",
                field.name,
                quote(text),
                kept.join(",")
            ));
            return;
        }
        *value = options
            .iter()
            .copied()
            .filter(|option| chosen.contains(option))
            .collect();
    }
}

fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The option whose id is `text` (ignoring ASCII case and surrounding spaces): how URL values and
/// the app's menus name their choices.
pub fn find_choice<C: Choice>(options: &[C], text: &str) -> Option<C> {
    let text = text.trim();
    options
        .iter()
        .copied()
        .find(|option| option.id().eq_ignore_ascii_case(text))
}

/// Why `text` is not a choice: the field's own reason, or the list of valid ids.
fn refusal<C: Choice>(field: &ChoiceField, text: &str, options: &[C]) -> String {
    let text = text.trim();
    if let Some((_, reason)) = field
        .refused
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(text))
    {
        return format!("{} {reason}", quote(text));
    }
    let ids: Vec<&str> = options.iter().map(|option| option.id()).collect();
    format!("{} is not one of {}", quote(text), ids.join(", "))
}

/// Writes every field as `name=value`, in canonical form.
#[derive(Debug, Default)]
pub struct Writer {
    /// The pairs written.
    pub pairs: Vec<(&'static str, String)>,
}

impl Visitor for Writer {
    fn int(&mut self, field: &IntField, value: &mut u64) {
        self.pairs.push((field.name, show_int(field, *value)));
    }

    fn decimal(&mut self, field: &DecimalField, value: &mut f64) {
        self.pairs.push((field.name, show_decimal(*value)));
    }

    fn duration(&mut self, field: &DurationField, value: &mut u64) {
        self.pairs.push((field.name, show_duration(field, *value)));
    }

    fn flag(&mut self, field: &FlagField, value: &mut bool) {
        self.pairs.push((field.name, u8::from(*value).to_string()));
    }

    fn choice<C: Choice>(&mut self, field: &ChoiceField, _: &[C], value: &mut C) {
        self.pairs.push((field.name, value.id().to_owned()));
    }

    fn choices<C: Choice>(&mut self, field: &ChoiceField, _: &[C], value: &mut Vec<C>) {
        let ids: Vec<&str> = value.iter().map(|choice| choice.id()).collect();
        self.pairs.push((field.name, ids.join(",")));
    }
}

/// One parameter, described for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamDoc {
    /// The URL parameter.
    pub name: &'static str,
    /// What it sets.
    pub about: &'static str,
    /// What it accepts.
    pub accepts: String,
    /// Its default (for the demo described).
    pub default: String,
}

/// Describes every field, with the current values as defaults.
#[derive(Debug, Default)]
pub struct Describer {
    /// The parameters, in order.
    pub params: Vec<ParamDoc>,
}

impl Visitor for Describer {
    fn int(&mut self, field: &IntField, value: &mut u64) {
        let unit = if field.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", field.unit)
        };
        let word = field
            .word
            .map_or(String::new(), |(word, _)| format!(", or `{word}`"));
        self.params.push(ParamDoc {
            name: field.name,
            about: field.about,
            accepts: format!("{}–{}{unit}{word}", field.min, field.max),
            default: format!("`{}`", show_int(field, *value)),
        });
    }

    fn decimal(&mut self, field: &DecimalField, value: &mut f64) {
        let unit = if field.unit.is_empty() {
            String::new()
        } else if field.unit == "%" {
            " (`%` optional)".to_owned()
        } else {
            format!(" {}", field.unit)
        };
        self.params.push(ParamDoc {
            name: field.name,
            about: field.about,
            accepts: format!(
                "{}–{}{unit}",
                show_decimal(field.min),
                show_decimal(field.max)
            ),
            default: format!("`{}`", show_decimal(*value)),
        });
    }

    fn duration(&mut self, field: &DurationField, value: &mut u64) {
        let suffix = field.unit.suffix();
        self.params.push(ParamDoc {
            name: field.name,
            about: field.about,
            accepts: format!(
                "{}–{} {suffix} (or with a unit: `500ms`, `2s`)",
                show_duration(field, field.min),
                show_duration(field, field.max)
            ),
            default: format!("`{}`", show_duration(field, *value)),
        });
    }

    fn flag(&mut self, field: &FlagField, value: &mut bool) {
        self.params.push(ParamDoc {
            name: field.name,
            about: field.about,
            accepts: "`1` or `0`".to_owned(),
            default: format!("`{}`", u8::from(*value)),
        });
    }

    fn choice<C: Choice>(&mut self, field: &ChoiceField, options: &[C], value: &mut C) {
        let ids: Vec<String> = options.iter().map(|o| format!("`{}`", o.id())).collect();
        self.params.push(ParamDoc {
            name: field.name,
            about: field.about,
            accepts: ids.join(", "),
            default: format!("`{}`", value.id()),
        });
    }

    fn choices<C: Choice>(&mut self, field: &ChoiceField, options: &[C], value: &mut Vec<C>) {
        let ids: Vec<String> = options.iter().map(|o| format!("`{}`", o.id())).collect();
        let chosen: Vec<&str> = value.iter().map(|choice| choice.id()).collect();
        self.params.push(ParamDoc {
            name: field.name,
            about: field.about,
            accepts: format!("comma-separated: {}", ids.join(", ")),
            default: format!("`{}`", chosen.join(",")),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::eviction::{SIZE, TTL};
    use crate::config::memo::MAXSIZE;

    fn read_int(field: &IntField, query: &str, start: u64) -> (u64, Vec<String>) {
        let query = Query::parse(query);
        let mut reader = Reader::new(&query);
        let mut value = start;
        reader.int(field, &mut value);
        (value, reader.finish("this demo"))
    }

    #[test]
    fn whole_numbers_are_clamped_and_rounded_with_a_note() {
        assert_eq!(read_int(&SIZE, "size=5", 4), (5, vec![]));
        let (value, notes) = read_int(&SIZE, "size=-5", 4);
        assert_eq!(value, 1);
        assert_eq!(notes, ["size: “-5” is below the minimum; using 1."]);
        let (value, notes) = read_int(&SIZE, "size=1e99", 4);
        assert_eq!(value, 12);
        assert_eq!(notes, ["size: “1e99” is above the maximum; using 12."]);
        assert_eq!(read_int(&SIZE, "size=3.6", 4).0, 4);
        let (value, notes) = read_int(&SIZE, "size=abc", 4);
        assert_eq!(value, 4);
        assert_eq!(notes, ["size: “abc” is not a number; using 4."]);
        assert_eq!(read_int(&SIZE, "size=NaN", 4).0, 4);
        assert_eq!(read_int(&SIZE, "size=inf", 4).0, 4);
        assert_eq!(read_int(&MAXSIZE, "maxsize=None", 128).0, 1025);
        assert_eq!(read_int(&MAXSIZE, "maxsize=5000", 128).0, 1024);
    }

    #[test]
    fn durations_take_a_unit_or_the_fields_own() {
        let read = |text: &str| {
            let query = Query::parse(text);
            let mut reader = Reader::new(&query);
            let mut value = 0;
            reader.duration(&TTL, &mut value);
            (value, reader.finish("x"))
        };
        assert_eq!(read("ttl=10").0, 10_000);
        assert_eq!(read("ttl=1.5").0, 1_500);
        assert_eq!(read("ttl=500ms").0, 500);
        assert_eq!(read("ttl=2s").0, 2_000);
        assert_eq!(read("ttl=-1").0, 0);
        let (value, notes) = read("ttl=abc");
        assert_eq!(value, 0);
        assert_eq!(notes, ["ttl: “abc” is not a number; using 0 s."]);
        assert_eq!(
            read("ttl=99999").1,
            ["ttl: “99999” is above the maximum; using 30 s."]
        );
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named() {
        let query = Query::parse("size=2&size=3&sise=4&sise=5");
        let mut reader = Reader::new(&query);
        let mut value = 1;
        reader.int(&SIZE, &mut value);
        assert_eq!(value, 2);
        assert_eq!(reader.found, 1);
        let notes = reader.finish("the LRU demo");
        assert_eq!(
            notes,
            [
                "size was given 2 times; the first, “2”, is used.",
                "Ignored the parameter “sise”: it is not a setting of the LRU demo."
            ]
        );
    }

    #[test]
    fn long_values_are_shortened_when_quoted() {
        let long = "x".repeat(QUOTED_CHARS + 50);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), QUOTED_CHARS + 3);
        assert!(quoted.ends_with("…”"));
    }
}
