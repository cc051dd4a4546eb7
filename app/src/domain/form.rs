//! Request forms as data. A catalog item's form is a [`FormSchema`]: ordered, typed fields
//! with their rules and visibility conditions. [`validate_answers`] is the one validation
//! of a submission: the browser runs it for instant feedback, the server as the authority.
//! [`validate_schema`] checks a form itself before it is saved.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ci_graph::CiNode;
use super::ids::{CiId, GroupId};
use super::user::Email;
use crate::error::FieldErrors;

/// Longest answer a text field takes when its schema sets no limit.
pub const TEXT_MAX: u32 = 500;
/// Longest answer a long-text field takes when its schema sets no limit.
pub const LONG_TEXT_MAX: u32 = 10_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormSchema {
    pub fields: Vec<FieldDef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// The answer's name: lowercase letters, digits and `_`, unique within the form.
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub required: bool,
    /// What the field starts with; for a multi-choice, values separated by commas.
    #[serde(default)]
    pub default: Option<String>,
    pub kind: FieldKind,
    /// Shown only when this holds; otherwise hidden and its answer discarded.
    #[serde(default)]
    pub show_when: Option<Condition>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    Text {
        #[serde(default)]
        min_length: Option<u32>,
        #[serde(default)]
        max_length: Option<u32>,
        /// A regular expression the whole answer must match.
        #[serde(default)]
        pattern: Option<String>,
        /// What the pattern means, for the message: "an asset tag like LT-12345".
        #[serde(default)]
        pattern_hint: Option<String>,
    },
    LongText {
        #[serde(default)]
        min_length: Option<u32>,
        #[serde(default)]
        max_length: Option<u32>,
    },
    Number {
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
        #[serde(default)]
        whole: bool,
    },
    /// Bounds are days from the day of submitting: 0 is today, 1 tomorrow.
    Date {
        #[serde(default)]
        min_days_ahead: Option<i64>,
        #[serde(default)]
        max_days_ahead: Option<i64>,
    },
    Choice {
        options: Vec<ChoiceOption>,
    },
    MultiChoice {
        options: Vec<ChoiceOption>,
    },
    YesNo,
    /// A person, by e-mail address; the server checks they exist.
    User,
    /// A group, by id; the server checks it exists.
    Group,
    /// A configuration item, by id: of `class` (a class code) or one of its subclasses when
    /// set, and one of the answering person's own devices when `mine`. The server checks it
    /// exists, is in use and that the person may read it.
    Ci {
        #[serde(default)]
        class: Option<String>,
        #[serde(default)]
        mine: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

/// "Show when field `field` is one of `any_of`" (a yes/no field's values are "yes"/"no").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub any_of: Vec<String>,
}

/// A submission as the form sends it: every field's values as typed (several for a
/// multi-choice), keyed by field key.
pub type RawAnswers = BTreeMap<String, Vec<String>>;

/// One checked answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Choices(Vec<String>),
    YesNo(bool),
    User(String),
    Group(GroupId),
    Ci(CiId),
}

/// The answers to the fields that were shown and filled in, keyed by field key.
pub type Answers = BTreeMap<String, Answer>;

fn first<'a>(raw: &'a RawAnswers, key: &str) -> &'a str {
    raw.get(key).and_then(|v| v.first()).map_or("", |s| s.trim())
}

impl FieldDef {
    fn options(&self) -> Option<&[ChoiceOption]> {
        match &self.kind {
            FieldKind::Choice { options } | FieldKind::MultiChoice { options } => Some(options),
            _ => None,
        }
    }
}

impl FormSchema {
    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Whether `key` is shown for these answers: its condition holds and the field the
    /// condition looks at is itself shown.
    pub fn is_shown(&self, key: &str, raw: &RawAnswers) -> bool {
        let mut current = key;
        // Conditions only look at earlier fields, so this walk ends.
        for _ in 0..=self.fields.len() {
            let Some(field) = self.field(current) else { return false };
            let Some(condition) = &field.show_when else { return true };
            let values = raw.get(&condition.field).map(Vec::as_slice).unwrap_or_default();
            if !values.iter().any(|v| condition.any_of.iter().any(|want| want == v.trim())) {
                return false;
            }
            current = &condition.field;
        }
        false
    }

    /// What the group and CI fields of `raw` refer to, as far as they name an id.
    pub fn references_in(&self, raw: &RawAnswers) -> Vec<Answer> {
        self.fields
            .iter()
            .filter_map(|f| {
                let id = reference(first(raw, &f.key)).ok()?;
                match f.kind {
                    FieldKind::Group => Some(Answer::Group(GroupId(id))),
                    FieldKind::Ci { .. } => Some(Answer::Ci(CiId(id))),
                    _ => None,
                }
            })
            .collect()
    }

    /// The answers a fresh form starts with: each field's default.
    pub fn defaults(&self) -> RawAnswers {
        self.fields
            .iter()
            .filter_map(|f| {
                let default = f.default.as_deref()?;
                let values = match f.kind {
                    FieldKind::MultiChoice { .. } => {
                        default.split(',').map(|v| v.trim().to_owned()).collect()
                    }
                    _ => vec![default.to_owned()],
                };
                Some((f.key.clone(), values))
            })
            .collect()
    }
}

/// Checks a submission against `schema` on `today`. Hidden fields' answers are dropped;
/// every problem is reported beside its field at once.
pub fn validate_answers(
    schema: &FormSchema,
    raw: &RawAnswers,
    today: NaiveDate,
) -> Result<Answers, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut answers = Answers::new();
    for field in &schema.fields {
        if !schema.is_shown(&field.key, raw) {
            continue;
        }
        match check_field(field, raw, today) {
            Ok(Some(answer)) => {
                answers.insert(field.key.clone(), answer);
            }
            Ok(None) if field.required => errors.add(&field.key, required_message(&field.kind)),
            Ok(None) => {}
            Err(message) => errors.add(&field.key, message),
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

fn required_message(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Choice { .. } | FieldKind::YesNo => "Choose one.",
        FieldKind::MultiChoice { .. } => "Choose at least one.",
        FieldKind::Date { .. } => "Pick a date.",
        FieldKind::User => "Enter their e-mail address.",
        FieldKind::Group | FieldKind::Ci { .. } => "Choose one.",
        _ => "This is required.",
    }
}

fn check_length(text: &str, min: Option<u32>, max: u32) -> Result<(), String> {
    let length = text.chars().count();
    if let Some(min) = min
        && length < min as usize
    {
        return Err(format!("Write at least {min} characters."));
    }
    if length > max as usize {
        return Err(format!("Keep it to {max} characters."));
    }
    Ok(())
}

/// `Ok(None)` when the field was left empty.
fn check_field(field: &FieldDef, raw: &RawAnswers, today: NaiveDate) -> Result<Option<Answer>, String> {
    let text = first(raw, &field.key);
    match &field.kind {
        FieldKind::MultiChoice { options } => {
            let chosen: BTreeSet<&str> = raw
                .get(&field.key)
                .into_iter()
                .flatten()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .collect();
            if chosen.iter().any(|v| !options.iter().any(|o| o.value == *v)) {
                return Err("Choose from the list.".into());
            }
            // In the schema's order, not the order they were ticked.
            let values: Vec<String> = options
                .iter()
                .filter(|o| chosen.contains(o.value.as_str()))
                .map(|o| o.value.clone())
                .collect();
            return Ok((!values.is_empty()).then_some(Answer::Choices(values)));
        }
        _ if text.is_empty() => return Ok(None),
        _ => {}
    }
    match &field.kind {
        FieldKind::Text { min_length, max_length, pattern, pattern_hint } => {
            check_length(text, *min_length, max_length.unwrap_or(TEXT_MAX))?;
            if let Some(pattern) = pattern {
                let matches =
                    full_match(pattern, text).ok_or("This field's rule is broken; tell the service desk.")?;
                if !matches {
                    return Err(match pattern_hint {
                        Some(hint) => format!("Enter {hint}."),
                        None => "That isn't in the expected format.".to_owned(),
                    });
                }
            }
            Ok(Some(Answer::Text(text.to_owned())))
        }
        FieldKind::LongText { min_length, max_length } => {
            check_length(text, *min_length, max_length.unwrap_or(LONG_TEXT_MAX))?;
            Ok(Some(Answer::Text(text.to_owned())))
        }
        FieldKind::Number { min, max, whole } => {
            let number: f64 = text.replace(',', ".").parse().map_err(|_| "Enter a number.")?;
            if !number.is_finite() {
                return Err("Enter a number.".into());
            }
            if *whole && number.fract() != 0.0 {
                return Err("Enter a whole number.".into());
            }
            match (min, max) {
                (Some(min), Some(max)) if number < *min || number > *max => {
                    Err(format!("Enter a number from {min} to {max}."))
                }
                (Some(min), None) if number < *min => Err(format!("Enter {min} or more.")),
                (None, Some(max)) if number > *max => Err(format!("Enter {max} or less.")),
                _ => Ok(Some(Answer::Number(number))),
            }
        }
        FieldKind::Date { min_days_ahead, max_days_ahead } => {
            let date =
                NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "Enter a date like 2026-12-31.")?;
            if let Some(days) = min_days_ahead
                && date < today + Duration::days(*days)
            {
                let earliest = today + Duration::days(*days);
                return Err(format!("Pick {earliest} or later."));
            }
            if let Some(days) = max_days_ahead
                && date > today + Duration::days(*days)
            {
                let latest = today + Duration::days(*days);
                return Err(format!("Pick {latest} or earlier."));
            }
            Ok(Some(Answer::Date(date)))
        }
        FieldKind::Choice { options } => {
            if options.iter().any(|o| o.value == text) {
                Ok(Some(Answer::Choices(vec![text.to_owned()])))
            } else {
                Err("Choose from the list.".into())
            }
        }
        FieldKind::YesNo => match text {
            "yes" => Ok(Some(Answer::YesNo(true))),
            "no" => Ok(Some(Answer::YesNo(false))),
            _ => Err("Choose yes or no.".into()),
        },
        FieldKind::User => {
            let email = Email::parse(text).map_err(|e| e.to_string())?;
            Ok(Some(Answer::User(email.as_str().to_owned())))
        }
        FieldKind::Group => Ok(Some(Answer::Group(GroupId(reference(text)?)))),
        FieldKind::Ci { .. } => Ok(Some(Answer::Ci(CiId(reference(text)?)))),
        FieldKind::MultiChoice { .. } => Ok(None),
    }
}

/// The id a reference field sends.
fn reference(text: &str) -> Result<i64, String> {
    text.parse().ok().filter(|id| *id > 0).ok_or_else(|| "Choose from the list.".to_owned())
}

/// Whether `text` matches a text field's pattern in full; `None` when the pattern is not a
/// valid regular expression. The server's engine (regex-lite) decides. The browser asks its
/// own `RegExp`, which reads every pattern regex-lite does except a few forms (inline flags
/// such as `(?i)`); those it leaves to the server rather than compile a second engine into
/// the page.
#[cfg(not(target_arch = "wasm32"))]
fn full_match(pattern: &str, text: &str) -> Option<bool> {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).ok().map(|regex| regex.is_match(text))
}

#[cfg(target_arch = "wasm32")]
fn full_match(pattern: &str, text: &str) -> Option<bool> {
    use js_sys::{Array, Function, Reflect, RegExp, global};
    use wasm_bindgen::JsCast;
    let constructor: Function = Reflect::get(&global(), &"RegExp".into()).ok()?.dyn_into().ok()?;
    let arguments = Array::of2(&format!("^(?:{pattern})$").into(), &"u".into());
    match Reflect::construct(&constructor, &arguments) {
        Ok(regex) => Some(regex.unchecked_into::<RegExp>().test(text)),
        Err(_) => Some(true),
    }
}

/// What is wrong with a form, in the words an admin needs to fix it.
pub fn validate_schema(schema: &FormSchema) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, &FieldDef> = BTreeMap::new();
    for field in &schema.fields {
        let key = field.key.as_str();
        let name = if field.label.trim().is_empty() { key } else { field.label.as_str() };
        if key.is_empty()
            || key.len() > 40
            || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            problems.push(format!("\"{key}\": a key uses lowercase letters, digits and _ (up to 40)."));
        }
        if seen.contains_key(key) {
            problems.push(format!("\"{key}\" is used by two fields; keys must be unique."));
        }
        if field.label.trim().is_empty() || field.label.chars().count() > 200 {
            problems.push(format!("\"{key}\" needs a label of 1–200 characters."));
        }
        match &field.kind {
            FieldKind::Text { min_length, max_length, pattern, .. } => {
                check_bounds(&mut problems, name, min_length.map(f64::from), max_length.map(f64::from));
                if let Some(pattern) = pattern
                    && full_match(pattern, "").is_none()
                {
                    problems
                        .push(format!("{name}: the pattern {pattern:?} is not a valid regular expression."));
                }
            }
            FieldKind::LongText { min_length, max_length } => {
                check_bounds(&mut problems, name, min_length.map(f64::from), max_length.map(f64::from));
            }
            FieldKind::Number { min, max, .. } => check_bounds(&mut problems, name, *min, *max),
            FieldKind::Date { min_days_ahead, max_days_ahead } => {
                check_bounds(
                    &mut problems,
                    name,
                    min_days_ahead.map(|d| d as f64),
                    max_days_ahead.map(|d| d as f64),
                );
            }
            FieldKind::Choice { options } | FieldKind::MultiChoice { options } => {
                if options.is_empty() {
                    problems.push(format!("{name}: a choice needs at least one option."));
                }
                let mut values = BTreeSet::new();
                for option in options {
                    if option.value.trim().is_empty() || option.label.trim().is_empty() {
                        problems.push(format!("{name}: every option needs a value and a label."));
                    } else if !values.insert(option.value.as_str()) {
                        problems.push(format!("{name}: the option {:?} is listed twice.", option.value));
                    }
                }
            }
            FieldKind::YesNo | FieldKind::User | FieldKind::Group | FieldKind::Ci { .. } => {}
        }
        check_default(&mut problems, name, field);
        if let Some(condition) = &field.show_when {
            match seen.get(condition.field.as_str()) {
                None if schema.field(&condition.field).is_some() => problems.push(format!(
                    "{name} is shown depending on \"{}\", which comes after it; move it below.",
                    condition.field
                )),
                None => problems.push(format!(
                    "{name} is shown depending on \"{}\", which doesn't exist.",
                    condition.field
                )),
                Some(controller) => {
                    let allowed: Option<Vec<&str>> = match &controller.kind {
                        FieldKind::YesNo => Some(vec!["yes", "no"]),
                        _ => controller.options().map(|o| o.iter().map(|o| o.value.as_str()).collect()),
                    };
                    if condition.any_of.is_empty() {
                        problems.push(format!("{name}: the condition needs at least one value."));
                    }
                    if let Some(allowed) = allowed {
                        for value in &condition.any_of {
                            if !allowed.contains(&value.as_str()) {
                                problems.push(format!(
                                    "{name}: \"{}\" has no option {value:?}.",
                                    condition.field
                                ));
                            }
                        }
                    }
                }
            }
        }
        seen.insert(key, field);
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// A default must be an answer the field could be given: one of its options, yes or no, a number.
fn check_default(problems: &mut Vec<String>, name: &str, field: &FieldDef) {
    let Some(default) = field.default.as_deref() else { return };
    if matches!(field.kind, FieldKind::Group | FieldKind::Ci { .. }) {
        problems.push(format!("{name}: a group or CI field starts empty; it takes no default."));
        return;
    }
    let allowed: Option<Vec<&str>> = match &field.kind {
        FieldKind::YesNo => Some(vec!["yes", "no"]),
        _ => field.options().map(|o| o.iter().map(|o| o.value.as_str()).collect()),
    };
    let values: Vec<&str> = match field.kind {
        FieldKind::MultiChoice { .. } => default.split(',').map(str::trim).collect(),
        _ => vec![default],
    };
    if let Some(allowed) = allowed {
        for value in values.into_iter().filter(|v| !allowed.contains(v)) {
            problems.push(format!("{name}: the default {value:?} is not one of its options."));
        }
    } else if matches!(field.kind, FieldKind::Number { .. }) && default.trim().parse::<f64>().is_err() {
        problems.push(format!("{name}: the default {default:?} is not a number."));
    }
}

fn check_bounds(problems: &mut Vec<String>, name: &str, min: Option<f64>, max: Option<f64>) {
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        problems.push(format!("{name}: the minimum ({min}) is above the maximum ({max})."));
    }
}

impl Answer {
    /// The answer as its form sends it, so an edit form starts from what was saved.
    pub fn raw_values(&self) -> Vec<String> {
        match self {
            Answer::Text(text) | Answer::User(text) => vec![text.clone()],
            Answer::Number(n) => vec![n.to_string()],
            Answer::Date(date) => vec![date.format("%Y-%m-%d").to_string()],
            Answer::Choices(values) => values.clone(),
            Answer::YesNo(yes) => vec![if *yes { "yes" } else { "no" }.to_owned()],
            Answer::Group(id) => vec![id.to_string()],
            Answer::Ci(id) => vec![id.to_string()],
        }
    }

    /// The answer's codes as one line, for a history or an export.
    pub fn to_text(&self) -> String {
        self.raw_values().join(", ")
    }
}

/// Answers as their form sends them.
pub fn raw_answers(answers: &Answers) -> RawAnswers {
    answers.iter().map(|(key, answer)| (key.clone(), answer.raw_values())).collect()
}

/// What answers refer to, for reading them: the groups' names and the CIs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct References {
    pub groups: Vec<(GroupId, String)>,
    pub cis: Vec<CiNode>,
}

impl References {
    /// The groups and CIs `answers` name.
    pub fn wanted<'a>(answers: impl IntoIterator<Item = &'a Answer>) -> (Vec<GroupId>, Vec<CiId>) {
        let (mut groups, mut cis) = (Vec::new(), Vec::new());
        for answer in answers {
            match answer {
                Answer::Group(id) if !groups.contains(id) => groups.push(*id),
                Answer::Ci(id) if !cis.contains(id) => cis.push(*id),
                _ => {}
            }
        }
        (groups, cis)
    }

    pub fn ci(&self, id: CiId) -> Option<&CiNode> {
        self.cis.iter().find(|c| c.id == id)
    }
}

/// An answer as a person reads it, with option labels instead of values and names instead
/// of the ids of what it refers to.
pub fn display_answer(field: &FieldDef, answer: &Answer, references: &References) -> String {
    let label_of = |value: &str| {
        field
            .options()
            .and_then(|o| o.iter().find(|o| o.value == value))
            .map_or_else(|| value.to_owned(), |o| o.label.clone())
    };
    match answer {
        Answer::Text(text) | Answer::User(text) => text.clone(),
        Answer::Number(n) => n.to_string(),
        Answer::Date(date) => date.format("%-d %b %Y").to_string(),
        Answer::Choices(values) => values.iter().map(|v| label_of(v)).collect::<Vec<_>>().join(", "),
        Answer::YesNo(true) => "Yes".into(),
        Answer::YesNo(false) => "No".into(),
        Answer::Group(id) => references
            .groups
            .iter()
            .find(|(g, _)| g == id)
            .map_or_else(|| format!("Group {id}"), |(_, name)| name.clone()),
        Answer::Ci(id) => references.ci(*id).map_or_else(|| format!("CI {id}"), |c| c.name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn option(value: &str) -> ChoiceOption {
        ChoiceOption { value: value.into(), label: value.to_uppercase() }
    }

    fn field(key: &str, kind: FieldKind) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: key.replace('_', " "),
            help: String::new(),
            required: true,
            default: None,
            kind,
            show_when: None,
        }
    }

    /// The laptop form: a model choice, and a justification only for the high-end model.
    fn laptop() -> FormSchema {
        let mut justification =
            field("justification", FieldKind::LongText { min_length: Some(20), max_length: None });
        justification.show_when = Some(Condition { field: "model".into(), any_of: vec!["pro".into()] });
        FormSchema {
            fields: vec![
                field("model", FieldKind::Choice { options: vec![option("standard"), option("pro")] }),
                justification,
                field("needed_by", FieldKind::Date { min_days_ahead: Some(2), max_days_ahead: Some(90) }),
            ],
        }
    }

    fn raw(pairs: &[(&str, &str)]) -> RawAnswers {
        let mut raw = RawAnswers::new();
        for (k, v) in pairs {
            raw.entry((*k).to_owned()).or_default().push((*v).to_owned());
        }
        raw
    }

    #[test]
    fn a_hidden_field_is_neither_required_nor_kept() {
        let answers = validate_answers(
            &laptop(),
            &raw(&[
                ("model", "standard"),
                ("justification", "left over from before"),
                ("needed_by", "2026-12-01"),
            ]),
            today(),
        )
        .unwrap();
        assert_eq!(answers.get("model"), Some(&Answer::Choices(vec!["standard".into()])));
        assert!(!answers.contains_key("justification"), "hidden answers are discarded");
    }

    #[test]
    fn a_shown_field_is_required_and_checked() {
        let errors =
            validate_answers(&laptop(), &raw(&[("model", "pro"), ("needed_by", "2026-12-01")]), today())
                .unwrap_err();
        assert_eq!(errors.get("justification"), Some("This is required."));
        let errors = validate_answers(
            &laptop(),
            &raw(&[("model", "pro"), ("justification", "too short"), ("needed_by", "2026-12-01")]),
            today(),
        )
        .unwrap_err();
        assert_eq!(errors.get("justification"), Some("Write at least 20 characters."));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors =
            validate_answers(&laptop(), &raw(&[("model", "gold"), ("needed_by", "2026-11-25")]), today())
                .unwrap_err();
        assert_eq!(errors.get("model"), Some("Choose from the list."));
        assert_eq!(errors.get("needed_by"), Some("Pick 2026-11-26 or later."));
        let errors = validate_answers(&laptop(), &raw(&[("needed_by", "next week")]), today()).unwrap_err();
        assert_eq!(errors.get("model"), Some("Choose one."));
        assert_eq!(errors.get("needed_by"), Some("Enter a date like 2026-12-31."));
    }

    #[test]
    fn numbers_texts_patterns_and_people() {
        let mut tag = field(
            "asset_tag",
            FieldKind::Text {
                min_length: None,
                max_length: Some(12),
                pattern: Some("LT-[0-9]{5}".into()),
                pattern_hint: Some("a tag like LT-12345".into()),
            },
        );
        tag.required = false;
        let schema = FormSchema {
            fields: vec![
                field("seats", FieldKind::Number { min: Some(1.0), max: Some(50.0), whole: true }),
                tag,
                field("for_whom", FieldKind::User),
                field("urgent", FieldKind::YesNo),
            ],
        };
        let bad = raw(&[("seats", "2.5"), ("asset_tag", "XX-1"), ("for_whom", "bob"), ("urgent", "maybe")]);
        let errors = validate_answers(&schema, &bad, today()).unwrap_err();
        assert_eq!(errors.get("seats"), Some("Enter a whole number."));
        assert_eq!(errors.get("asset_tag"), Some("Enter a tag like LT-12345."));
        assert_eq!(errors.get("for_whom"), Some("That doesn't look like an e-mail address."));
        assert_eq!(errors.get("urgent"), Some("Choose yes or no."));
        let errors = validate_answers(&schema, &raw(&[("seats", "51")]), today()).unwrap_err();
        assert_eq!(errors.get("seats"), Some("Enter a number from 1 to 50."));

        let good =
            raw(&[("seats", "3"), ("asset_tag", ""), ("for_whom", "Bob@Example.com"), ("urgent", "yes")]);
        let answers = validate_answers(&schema, &good, today()).unwrap();
        assert_eq!(answers["seats"], Answer::Number(3.0));
        assert!(!answers.contains_key("asset_tag"), "an optional empty field has no answer");
        assert_eq!(answers["for_whom"], Answer::User("bob@example.com".into()));
        assert_eq!(answers["urgent"], Answer::YesNo(true));
    }

    #[test]
    fn multi_choices_keep_the_schema_order_and_refuse_strangers() {
        let schema = FormSchema {
            fields: vec![field(
                "apps",
                FieldKind::MultiChoice { options: vec![option("a"), option("b"), option("c")] },
            )],
        };
        let answers = validate_answers(&schema, &raw(&[("apps", "c"), ("apps", "a")]), today()).unwrap();
        assert_eq!(answers["apps"], Answer::Choices(vec!["a".into(), "c".into()]));
        assert_eq!(display_answer(&schema.fields[0], &answers["apps"], &References::default()), "A, C");
        let errors = validate_answers(&schema, &raw(&[("apps", "z")]), today()).unwrap_err();
        assert_eq!(errors.get("apps"), Some("Choose from the list."));
        assert_eq!(
            validate_answers(&schema, &raw(&[]), today()).unwrap_err().get("apps"),
            Some("Choose at least one.")
        );
    }

    #[test]
    fn a_condition_on_a_hidden_field_hides_its_dependants_too() {
        let mut schema = laptop();
        let mut reason = field(
            "reason_detail",
            FieldKind::Text { min_length: None, max_length: None, pattern: None, pattern_hint: None },
        );
        reason.show_when = Some(Condition { field: "justification".into(), any_of: vec!["other".into()] });
        schema.fields.push(reason);
        let raw = raw(&[("model", "standard"), ("justification", "other")]);
        assert!(!schema.is_shown("justification", &raw));
        assert!(!schema.is_shown("reason_detail", &raw));
    }

    #[test]
    fn a_sound_schema_passes() {
        assert_eq!(validate_schema(&laptop()), Ok(()));
    }

    #[test]
    fn schema_errors_name_the_problem() {
        let mut schema = laptop();
        schema.fields.push(field("model", FieldKind::YesNo));
        schema.fields.push(field("Bad Key", FieldKind::YesNo));
        schema.fields.push(field(
            "tag",
            FieldKind::Text {
                min_length: Some(5),
                max_length: Some(2),
                pattern: Some("([a-z".into()),
                pattern_hint: None,
            },
        ));
        let mut ghost = field("ghost", FieldKind::YesNo);
        ghost.show_when = Some(Condition { field: "nowhere".into(), any_of: vec!["yes".into()] });
        schema.fields.push(ghost);
        let mut wrong_value = field("colour", FieldKind::YesNo);
        wrong_value.show_when = Some(Condition { field: "model".into(), any_of: vec!["gold".into()] });
        schema.fields.push(wrong_value);
        schema.fields.push(field("empty", FieldKind::Choice { options: vec![] }));
        let problems = validate_schema(&schema).unwrap_err().join("\n");
        for expected in [
            "\"model\" is used by two fields",
            "\"Bad Key\": a key uses lowercase letters",
            "is not a valid regular expression",
            "the minimum (5) is above the maximum (2)",
            "which doesn't exist",
            "has no option \"gold\"",
            "a choice needs at least one option",
        ] {
            assert!(problems.contains(expected), "missing {expected:?} in:\n{problems}");
        }
    }

    #[test]
    fn a_condition_must_look_back() {
        let mut schema = laptop();
        schema.fields.swap(0, 1);
        let problems = validate_schema(&schema).unwrap_err().join("\n");
        assert!(problems.contains("comes after it"), "{problems}");
    }

    #[test]
    fn defaults_prefill_the_form() {
        let mut schema = laptop();
        schema.fields[0].default = Some("standard".into());
        assert_eq!(schema.defaults(), raw(&[("model", "standard")]));
    }

    #[test]
    fn a_default_must_be_an_answer_the_field_accepts() {
        let mut schema = laptop();
        schema.fields[0].default = Some("gold".into());
        let mut seats = field("seats", FieldKind::Number { min: None, max: None, whole: true });
        seats.default = Some("a few".into());
        schema.fields.push(seats);
        let mut urgent = field("urgent", FieldKind::YesNo);
        urgent.default = Some("maybe".into());
        schema.fields.push(urgent);
        let problems = validate_schema(&schema).unwrap_err().join("\n");
        for expected in [
            "the default \"gold\" is not one of its options",
            "the default \"a few\" is not a number",
            "the default \"maybe\" is not one of its options",
        ] {
            assert!(problems.contains(expected), "missing {expected:?} in:\n{problems}");
        }
        schema.fields[0].default = Some("standard".into());
        schema.fields[3].default = Some("2".into());
        schema.fields[4].default = Some("no".into());
        assert_eq!(validate_schema(&schema), Ok(()));
    }

    #[test]
    fn a_reference_field_takes_an_id_and_reads_as_a_name() {
        let schema = FormSchema {
            fields: vec![
                field("team", FieldKind::Group),
                field("laptop", FieldKind::Ci { class: Some("laptop".into()), mine: true }),
            ],
        };
        let answers = validate_answers(&schema, &raw(&[("team", "4"), ("laptop", "17")]), today()).unwrap();
        assert_eq!(answers["team"], Answer::Group(GroupId(4)));
        assert_eq!(answers["laptop"], Answer::Ci(CiId(17)));
        let errors =
            validate_answers(&schema, &raw(&[("team", "four"), ("laptop", "-3")]), today()).unwrap_err();
        assert_eq!(errors.get("team"), Some("Choose from the list."));
        assert_eq!(errors.get("laptop"), Some("Choose from the list."));
        let references = References { groups: vec![(GroupId(4), "Network".into())], cis: Vec::new() };
        assert_eq!(display_answer(&schema.fields[0], &answers["team"], &references), "Network");
        assert_eq!(display_answer(&schema.fields[1], &answers["laptop"], &references), "CI 17");
        assert_eq!(References::wanted(answers.values()), (vec![GroupId(4)], vec![CiId(17)]));
        assert_eq!(answers["laptop"].raw_values(), vec!["17".to_owned()]);
    }

    #[test]
    fn a_reference_field_takes_no_default() {
        let mut laptop = field("laptop", FieldKind::Ci { class: None, mine: false });
        laptop.default = Some("3".into());
        let problems = validate_schema(&FormSchema { fields: vec![laptop] }).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("takes no default")), "{problems:?}");
    }
}
