//! ChainClass patch (see `CHAINCLASS.md`): a memo of context processing.
//!
//! An Open Badges 3.0 credential enters a dozen nodes whose types carry a
//! scoped context, and JSON-LD processes each of them against the active
//! context at every node, in every document. The result depends only on the
//! active context, the local context, the base URL and the options (and the
//! loader, which the owner of the memo keeps fixed), so a memo of results,
//! switched on for one root context and shared by every context derived from
//! it, makes each processing happen once.
//!
//! Identity of the active context: the same term-definition table and
//! previous context (the same allocations, which cannot change while shared:
//! every entry holds a copy, so a writer copies first) and equal scalar
//! fields. The local context is compared by value.
//!
//! Entries hold contexts that hold the memo, so the owner must call
//! [`Context::clear_process_memo`] when it drops the root.

use super::Context;
use std::sync::{Arc, Mutex};

struct Entry<T, B> {
	active: Context<T, B>,
	local: json_ld_syntax::context::Context,
	base_url: Option<T>,
	options: u64,
	result: Context<T, B>,
}

/// Results of context processing, oldest first, at most `capacity`.
pub struct ProcessMemo<T, B> {
	entries: Mutex<Vec<Entry<T, B>>>,
	capacity: usize,
}

fn same_active<T: PartialEq, B: PartialEq>(a: &Context<T, B>, b: &Context<T, B>) -> bool {
	Arc::ptr_eq(&a.definitions, &b.definitions)
		&& match (&a.previous_context, &b.previous_context) {
			(None, None) => true,
			(Some(x), Some(y)) => Arc::ptr_eq(x, y),
			_ => false,
		} && a.original_base_url == b.original_base_url
		&& a.base_iri == b.base_iri
		&& a.vocabulary == b.vocabulary
		&& a.default_language == b.default_language
		&& a.default_base_direction == b.default_base_direction
}

impl<T, B> Context<T, B> {
	/// This context with a new, empty memo of context processing that every
	/// context derived from it shares (`capacity` results; the oldest goes
	/// first).
	pub fn with_process_memo(mut self, capacity: usize) -> Self {
		self.memo = Some(Arc::new(ProcessMemo {
			entries: Mutex::new(Vec::new()),
			capacity,
		}));
		self
	}

	/// Empties the memo (which breaks the reference cycles it makes).
	pub fn clear_process_memo(&self) {
		if let Some(memo) = &self.memo {
			let drained: Vec<Entry<T, B>> = match memo.entries.lock() {
				Ok(mut e) => std::mem::take(&mut *e),
				Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
			};
			drop(drained);
		}
	}

	/// How many results the memo holds (0 without a memo).
	pub fn process_memo_len(&self) -> usize {
		match &self.memo {
			Some(memo) => memo.entries.lock().map(|e| e.len()).unwrap_or(0),
			None => 0,
		}
	}

	/// Whether this context has a memo.
	pub fn has_process_memo(&self) -> bool {
		self.memo.is_some()
	}

	/// The remembered result of processing `local` against this context.
	pub fn memoized(
		&self,
		local: &json_ld_syntax::context::Context,
		base_url: Option<&T>,
		options: u64,
	) -> Option<Self>
	where
		T: Clone + PartialEq,
		B: Clone + PartialEq,
	{
		let memo = self.memo.as_ref()?;
		let entries = memo.entries.lock().ok()?;
		entries
			.iter()
			.find(|e| {
				e.options == options
					&& same_active(&e.active, self)
					&& e.base_url.as_ref() == base_url
					&& e.local == *local
			})
			.map(|e| e.result.clone())
	}

	/// Remembers `result` as the result of processing `local` against this
	/// context (nothing if this context has no memo).
	pub fn memoize(
		&self,
		local: &json_ld_syntax::context::Context,
		base_url: Option<T>,
		options: u64,
		result: &Self,
	) where
		T: Clone,
		B: Clone,
	{
		let Some(memo) = &self.memo else { return };
		if memo.capacity == 0 {
			return;
		}
		let evicted = match memo.entries.lock() {
			Ok(mut entries) => {
				let evicted = if entries.len() >= memo.capacity {
					Some(entries.remove(0))
				} else {
					None
				};
				entries.push(Entry {
					active: self.clone(),
					local: local.clone(),
					base_url,
					options,
					result: result.clone(),
				});
				evicted
			}
			Err(_) => None,
		};
		// Dropped outside the lock: it may hold the last reference to
		// contexts that share this memo.
		drop(evicted);
	}
}
