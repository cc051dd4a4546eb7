//! The service catalog: categories of orderable items, and how a search narrows them.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use super::form::{FormSchema, RawAnswers};
use super::ids::{CatalogItemId, CategoryId, DepartmentId, GroupId};
use crate::error::FieldErrors;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub id: CatalogItemId,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description: String,
    pub icon: String,
    pub category_id: CategoryId,
    /// Other words people use for it, for search: "notebook macbook".
    pub keywords: String,
    /// The version of its current form; 0 when it has none.
    pub form_version: i64,
    /// Shown in the portal; an unpublished item is only seen by admins.
    pub published: bool,
    pub audience: Audience,
}

/// Who may order an item: members of these groups or people in these departments.
/// Both empty: everyone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub groups: Vec<GroupId>,
    pub departments: Vec<DepartmentId>,
}

impl Audience {
    pub fn is_everyone(&self) -> bool {
        self.groups.is_empty() && self.departments.is_empty()
    }

    /// Whether someone in `department` and `groups` may order the item.
    pub fn admits(&self, department: Option<DepartmentId>, groups: &[GroupId]) -> bool {
        self.is_everyone()
            || department.is_some_and(|d| self.departments.contains(&d))
            || groups.iter().any(|g| self.groups.contains(g))
    }
}

/// The catalog as an admin edits it: every item, published or not, and the choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCatalog {
    pub categories: Vec<Category>,
    pub groups: Vec<crate::domain::people::GroupSummary>,
    pub departments: Vec<crate::domain::people::Department>,
}

/// One item as the admin edits it (blank when new), with the choices its form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemEditor {
    pub item: Option<CatalogItem>,
    pub group: Option<GroupId>,
    pub approval: Vec<crate::domain::approval::ApprovalStep>,
    pub fulfilment: crate::domain::approval::FulfilmentPlan,
    pub categories: Vec<(CategoryId, String)>,
    pub groups: Vec<crate::domain::people::GroupSummary>,
    pub departments: Vec<crate::domain::people::Department>,
    /// The business service it is an offering of, and those it may be.
    pub service: Option<crate::domain::ids::CiId>,
    pub services: Vec<crate::domain::ci_graph::CiNode>,
}

/// A URL name: lowercase letters, digits and single dashes, 1–60 long.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= 60
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok { Ok(()) } else { Err("Use lowercase letters, digits and dashes, like new-laptop.".into()) }
}

/// "New laptop (Pro)" → "new-laptop-pro".
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(60).collect()
}

/// An item's page: the item and its form, ready to fill in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderForm {
    pub item: CatalogItem,
    pub category: String,
    /// Who fulfils it, for "what happens next".
    pub team: Option<String>,
    pub form: FormSchema,
    /// What the fields start with: their defaults, or what was sent last time.
    pub answers: RawAnswers,
    /// Messages from a submit that did not pass.
    pub errors: FieldErrors,
    /// Names this filling-in of the form, so a retried submit makes one request.
    pub submission: String,
    /// The server's date, for date bounds.
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub items: Vec<CatalogItem>,
}

/// The catalog narrowed to what matches `query`: every word must appear in the item's name,
/// summary, description, keywords or category name (case-insensitive). Categories left empty are dropped.
pub fn filter_catalog(categories: &[Category], query: &str) -> Vec<Category> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return categories.to_vec();
    }
    categories
        .iter()
        .filter_map(|category| {
            let items: Vec<CatalogItem> = category
                .items
                .iter()
                .filter(|item| {
                    let haystack = format!(
                        "{} {} {} {} {}",
                        item.name, item.summary, item.description, item.keywords, category.name
                    )
                    .to_lowercase();
                    words.iter().all(|w| haystack.contains(w.as_str()))
                })
                .cloned()
                .collect();
            (!items.is_empty()).then(|| Category { items, ..category.clone() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, name: &str, summary: &str) -> CatalogItem {
        CatalogItem {
            id: CatalogItemId(id),
            slug: name.to_lowercase().replace(' ', "-"),
            name: name.into(),
            summary: summary.into(),
            description: String::new(),
            icon: "box".into(),
            category_id: CategoryId(1),
            keywords: String::new(),
            form_version: 0,
            published: true,
            audience: Audience::default(),
        }
    }

    #[test]
    fn an_audience_admits_its_groups_and_departments_or_everyone() {
        let everyone = Audience::default();
        assert!(everyone.admits(None, &[]));
        let finance = Audience { groups: vec![GroupId(2)], departments: vec![DepartmentId(5)] };
        assert!(finance.admits(Some(DepartmentId(5)), &[]));
        assert!(finance.admits(None, &[GroupId(1), GroupId(2)]));
        assert!(!finance.admits(Some(DepartmentId(4)), &[GroupId(1)]));
    }

    #[test]
    fn slugs_are_url_names() {
        assert_eq!(slugify("New laptop (Pro)"), "new-laptop-pro");
        assert_eq!(slugify("  VPN / remote access "), "vpn-remote-access");
        assert!(check_slug("new-laptop").is_ok());
        for bad in ["", "New", "a--b", "-a", "a-", "a b", &"a".repeat(61)] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }

    fn catalog() -> Vec<Category> {
        vec![
            Category {
                id: CategoryId(1),
                slug: "hardware".into(),
                name: "Hardware".into(),
                description: String::new(),
                icon: "laptop".into(),
                items: vec![
                    item(1, "New laptop", "A standard laptop"),
                    item(2, "Monitor", "A second screen"),
                ],
            },
            Category {
                id: CategoryId(2),
                slug: "access".into(),
                name: "Access".into(),
                description: String::new(),
                icon: "key".into(),
                items: vec![CatalogItem {
                    description: "Remote access to the office network.".into(),
                    keywords: "remote tunnel".into(),
                    ..item(3, "VPN access", "Work from home securely")
                }],
            },
        ]
    }

    #[test]
    fn an_empty_query_keeps_everything() {
        assert_eq!(filter_catalog(&catalog(), "  "), catalog());
    }

    #[test]
    fn every_word_must_match_and_empty_categories_go() {
        let found = filter_catalog(&catalog(), "LAPTOP standard");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].items.len(), 1);
        assert_eq!(found[0].items[0].name, "New laptop");
        assert!(filter_catalog(&catalog(), "laptop vpn").is_empty());
    }

    #[test]
    fn descriptions_and_keywords_are_searched() {
        assert_eq!(filter_catalog(&catalog(), "tunnel")[0].items[0].name, "VPN access");
        assert_eq!(filter_catalog(&catalog(), "office network")[0].items[0].name, "VPN access");
    }

    #[test]
    fn the_category_name_matches_its_items() {
        let found = filter_catalog(&catalog(), "hardware");
        assert_eq!(found[0].items.len(), 2);
    }
}
