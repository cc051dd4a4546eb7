//! A page's data, loaded once per request. Rendering a page on the server creates its
//! components more than once: tachys runs a view closure once to dry-resolve it and again to
//! resolve it, and the router's outlet is such a closure. Each copy would load its data again
//! and write it into the page again. Here the first copy's resource serves every later copy
//! created at the same place with the same source.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::panic::Location;
use std::sync::{Arc, Mutex, PoisonError};

use leptos::prelude::*;

use crate::components::loaded::Json;

type Made<S, T> = Vec<(S, ArcResource<T, Json>)>;

/// The resources made while rendering one request, by where they were made and their source.
#[derive(Clone, Default)]
pub struct PageData(Arc<Mutex<HashMap<&'static Location<'static>, Box<dyn Any + Send>>>>);

impl PageData {
    pub fn resource<S, T, Fut>(
        &self,
        at: &'static Location<'static>,
        source: impl Fn() -> S + Send + Sync + 'static,
        fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
    ) -> Resource<T, Json>
    where
        S: Send + Sync + Clone + PartialEq + 'static,
        T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
        Fut: Future<Output = T> + Send + 'static,
    {
        let key = untrack(&source);
        if let Some(made) = self.made_before::<S, T>(at, &key) {
            return made.into();
        }
        let made = ArcResource::new_with_options(source, fetcher, false);
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(here) =
            all.entry(at).or_insert_with(|| Box::new(Made::<S, T>::new())).downcast_mut::<Made<S, T>>()
        {
            here.push((key, made.clone()));
        }
        made.into()
    }

    fn made_before<S: PartialEq + 'static, T: 'static>(
        &self,
        at: &'static Location<'static>,
        key: &S,
    ) -> Option<ArcResource<T, Json>> {
        let all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let here = all.get(at)?.downcast_ref::<Made<S, T>>()?;
        here.iter().find(|(source, _)| source == key).map(|(_, made)| made.clone())
    }
}
