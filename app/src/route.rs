//! Every page of the app as a typed route. Routing uses the URL fragment
//! (`#/verify`) so deep links work on any static host, under any sub-path,
//! without server rewrite rules.

use yew_router::prelude::*;

/// The app's pages.
#[derive(Routable, Clone, PartialEq, Eq, Debug)]
pub enum Route {
    /// Landing page.
    #[at("/")]
    Home,
    /// The list of blockchain lessons.
    #[at("/learn")]
    Learn,
    /// One lesson, by its slug (`hash`, `block`, `chain`, …).
    #[at("/learn/:lesson")]
    Lesson {
        /// The lesson slug.
        lesson: String,
    },
    /// The teacher's desk: issuer identity, templates, issuing, revocation.
    #[at("/teach")]
    Teach,
    /// The student's wallet.
    #[at("/wallet")]
    Wallet,
    /// The public verifier.
    #[at("/verify")]
    Verify,
    /// What ChainClass is and how it keeps data private.
    #[at("/about")]
    About,
    /// The printable certificate of one issued credential.
    #[at("/print/:id")]
    Print {
        /// The credential id.
        id: String,
    },
    /// Printable certificates (or the list of links) of a whole batch.
    #[at("/print-batch/:batch/:mode")]
    PrintBatch {
        /// The batch id.
        batch: String,
        /// `certificates` or `links`.
        mode: String,
    },
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// The routes shown in the header navigation, in order.
pub const NAV: [Route; 6] = [
    Route::Home,
    Route::Learn,
    Route::Teach,
    Route::Wallet,
    Route::Verify,
    Route::About,
];
