//! Type-erased views for inside a page. `into_any()` compiles, for every view type it erases,
//! an asynchronous hydration of the whole tree below it: only the router's path down to a lazy
//! page needs that, yet it is a sixth of the wasm. `erase()` erases the same way but hydrates
//! synchronously, as every page did before pages were split off.

use std::future::Future;

use leptos::prelude::*;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};

/// Erases a view's type for a page's branches and lists. Never for a view that holds an
/// `<Outlet/>`: a lazy page below it must hydrate asynchronously.
pub trait Erase {
    fn erase(self) -> AnyView;
}

impl<V> Erase for V
where
    V: RenderHtml + Send + 'static,
{
    fn erase(self) -> AnyView {
        Settled(self).into_any()
    }
}

/// A view whose asynchronous hydration is its synchronous one.
pub struct Settled<V>(V);

impl<V: Render> Render for Settled<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state);
    }
}

impl<V: AddAnyAttr> AddAnyAttr for Settled<V> {
    type Output<SomeNewAttr: Attribute> = V::Output<SomeNewAttr>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self.0.add_any_attr(attr)
    }
}

impl<V: RenderHtml> RenderHtml for Settled<V> {
    type AsyncOutput = Settled<V::AsyncOutput>;
    type Owned = Settled<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    async fn resolve(self) -> Self::AsyncOutput {
        Settled(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> impl Future<Output = Self::State> {
        let state = self.0.hydrate::<true>(cursor, position);
        async move { state }
    }

    fn into_owned(self) -> Self::Owned {
        Settled(self.0.into_owned())
    }
}
