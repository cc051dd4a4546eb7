//! Move up, move down and remove, for one row of a list being edited in the browser.

use leptos::prelude::*;

/// A change to a list at a row: swap it with a neighbour, or remove it.
pub type Rearrange<T> = fn(&mut Vec<T>, usize);

/// The three buttons for row `what` (as in "Move step 2 up"); `rearrange` applies a change
/// at that row.
pub fn row_actions<T: 'static>(
    what: String,
    rearrange: impl Fn(Rearrange<T>) + Copy + 'static,
) -> impl IntoView {
    view! {
        <div class="actions">
            <button
                type="button"
                class="button button--quiet"
                aria-label=format!("Move {what} up")
                on:click=move |_| rearrange(|items, i| if i > 0 { items.swap(i, i - 1) })
            >
                "↑"
            </button>
            <button
                type="button"
                class="button button--quiet"
                aria-label=format!("Move {what} down")
                on:click=move |_| rearrange(|items, i| if i + 1 < items.len() { items.swap(i, i + 1) })
            >
                "↓"
            </button>
            <button
                type="button"
                class="button button--danger"
                aria-label=format!("Remove {what}")
                on:click=move |_| rearrange(|items, i| {
                    items.remove(i);
                })
            >
                "Remove"
            </button>
        </div>
    }
}
