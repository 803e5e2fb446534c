//! The few items with the lowest key, kept as items come one by one.

/// The `limit` items with the lowest key (an end-to-end F1, then an article
/// id), kept as items are offered one by one, so memory is bounded by the
/// limit, not the corpus: the runner's [`Keep::Worst`] and the report of
/// the worst articles' diffs both keep their articles this way.
#[derive(Clone, Debug)]
pub struct Lowest<T> {
    limit: Option<usize>,
    items: Vec<(f64, String, T)>,
}

impl<T> Lowest<T> {
    /// At most `limit` items (`None`: every item).
    pub fn new(limit: Option<usize>) -> Lowest<T> {
        Lowest {
            limit,
            items: Vec::new(),
        }
    }

    /// Whether an item with this key would be kept now: callers that build
    /// items at a cost ask first.
    pub fn admits(&self, f1: f64, id: &str) -> bool {
        match self.limit {
            Some(0) => false,
            Some(limit) if self.items.len() >= limit => self
                .items
                .last()
                .is_none_or(|(lf, lid, _)| (f1, id) < (*lf, lid.as_str())),
            _ => true,
        }
    }

    /// Offers an item; returns the item that is no longer kept (the one
    /// pushed out, or this one), if any.
    pub fn offer(&mut self, f1: f64, id: String, item: T) -> Option<T> {
        if !self.admits(f1, &id) {
            return Some(item);
        }
        let at = self
            .items
            .partition_point(|(f, i, _)| (*f, i.as_str()) < (f1, id.as_str()));
        self.items.insert(at, (f1, id, item));
        match self.limit {
            Some(limit) if self.items.len() > limit => self.items.pop().map(|(_, _, t)| t),
            _ => None,
        }
    }

    /// The items kept, lowest key first.
    pub fn into_items(self) -> impl Iterator<Item = T> {
        self.items.into_iter().map(|(_, _, t)| t)
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
