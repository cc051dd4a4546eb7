//! A CI's neighbourhood drawn as SVG, on the server as on the browser: one box per CI, each
//! a link to its page, a line per relation with its label, the CI itself on top.

use leptos::prelude::*;

use crate::domain::ci_graph::GraphLayout;
use crate::domain::ids::CiId;

/// The longest name a box shows before it is cut with an ellipsis.
const LABEL_CHARS: usize = 17;

fn cut(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(LABEL_CHARS - 1).collect::<String>())
    }
}

#[component]
pub fn CiGraphView(graph: GraphLayout, centre: CiId) -> impl IntoView {
    let GraphLayout { width, height, box_width, box_height, nodes, edges, more } = graph;
    let described = format!(
        "{} configuration items and {} relations{}",
        nodes.len(),
        edges.len(),
        if more { "; only the nearest are drawn" } else { "" }
    );
    let lines = edges
        .into_iter()
        .map(|e| {
            let (mx, my) = ((e.x1 + e.x2) / 2, (e.y1 + e.y2) / 2);
            view! {
                <g class="ci-graph__edge">
                    <line x1=e.x1 y1=e.y1 x2=e.x2 y2=e.y2 />
                    <text x=mx y=my + 4 text-anchor="middle">{e.label}</text>
                </g>
            }
        })
        .collect_view();
    let boxes = nodes
        .into_iter()
        .map(|p| {
            let here = p.node.id == centre;
            let title = format!("{} ({}, {})", p.node.name, p.node.class_name, p.node.status.label());
            let cx = p.x + box_width / 2;
            view! {
                <g>
                <a href=format!("/cmdb/{}", p.node.id) class="ci-graph__node" class:ci-graph__node--centre=here>
                    <title>{title}</title>
                    <rect
                        x=p.x
                        y=p.y
                        width=box_width
                        height=box_height
                        rx="6"
                        class=format!("ci-graph__box ci-graph__box--{}", p.node.status.as_str())
                    />
                    <text x=cx y=p.y + 16 text-anchor="middle" class="ci-graph__name">{cut(&p.node.name)}</text>
                    <text x=cx y=p.y + 30 text-anchor="middle" class="ci-graph__class">{cut(&p.node.class_name)}</text>
                </a>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="ci-graph">
            <svg
                viewBox=format!("0 0 {width} {height}")
                width=width
                height=height
                role="img"
                aria-label=described.clone()
                xmlns="http://www.w3.org/2000/svg"
            >
                {lines}
                {boxes}
            </svg>
            <figcaption class="muted">{described}</figcaption>
        </figure>
    }
}
