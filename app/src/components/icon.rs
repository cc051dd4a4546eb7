//! A small inline SVG icon set, so icons cost no request and follow the text colour.

use leptos::prelude::*;

fn path(name: &str) -> &'static str {
    match name {
        "switchboard" => "M4 6h16M4 12h16M4 18h16M8 4v4M16 10v4M11 16v4",
        "menu" => "M4 7h16M4 12h16M4 17h16",
        "laptop" => "M5 5h14v10H5zM3 19h18",
        "key" => {
            "M21 2l-2 2m-7.6 7.6a5.5 5.5 0 1 1-7.8 7.8 5.5 5.5 0 0 1 7.8-7.8zm0 0L15.5 7.5m0 0l3 3L22 7l-3-3m-3.5 3.5L19 4"
        }
        "mail" => "M3 6h18v12H3zM3 7l9 6 9-6",
        "phone" => "M8 3h8v18H8zM11 18h2",
        "shield" => "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
        "wifi" => "M2 9a15 15 0 0 1 20 0M5 13a10 10 0 0 1 14 0M8.5 16.5a5 5 0 0 1 7 0M12 20h.01",
        "users" => {
            "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1M16 3.5a4 4 0 0 1 0 7.5M18 14a6 6 0 0 1 4 6v1"
        }
        "printer" => "M6 9V3h12v6M6 18H4v-7h16v7h-2M7 14h10v7H7z",
        "cloud" => "M7 18a5 5 0 1 1 1-9.9A6 6 0 0 1 19 10a4 4 0 0 1 0 8z",
        "app" => "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
        "search" => "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5",
        "bell" => "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4",
        "desk" => "M3 10h18M5 10v10M19 10v10M8 6h8v4H8z",
        _ => "M4 7l8-4 8 4v10l-8 4-8-4zM4 7l8 4 8-4M12 11v10",
    }
}

#[component]
pub fn Icon(#[prop(into)] name: String) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            width="24"
            height="24"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            <path d=path(&name) />
        </svg>
    }
}
