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

/// The app ships as four pages, each its own wasm module, so that whoever
/// opens a certificate link downloads neither the wallet, the teacher's desk
/// nor the lessons, and a student opening the wallet not the other two. Every route belongs to exactly one of them; a page
/// asked to show a route of another section sends the browser there (same
/// fragment, so deep links and share links keep working).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Section {
    /// `index.html`: home, verifier, about, not found.
    Core,
    /// `wallet.html`: the student's wallet.
    Wallet,
    /// `learn.html`: the lessons.
    Learn,
    /// `teach.html`: the teacher's desk and its print views.
    Teach,
}

impl Section {
    /// The page's address relative to the app's folder (`./` is `index.html`
    /// on every static host).
    pub const fn page(self) -> &'static str {
        match self {
            Section::Core => "./",
            Section::Wallet => "wallet.html",
            Section::Learn => "learn.html",
            Section::Teach => "teach.html",
        }
    }
}

impl Section {
    /// What the page shows when opened without a fragment (`learn.html`
    /// bookmarked as is): its own first route, not the home page.
    pub fn first_route(self) -> Route {
        match self {
            Section::Core => Route::Home,
            Section::Wallet => Route::Wallet,
            Section::Learn => Route::Learn,
            Section::Teach => Route::Teach,
        }
    }
}

impl Route {
    /// The page this route is rendered on.
    pub const fn section(&self) -> Section {
        match self {
            Route::Learn | Route::Lesson { .. } => Section::Learn,
            Route::Teach | Route::Print { .. } | Route::PrintBatch { .. } => Section::Teach,
            Route::Wallet => Section::Wallet,
            Route::Home | Route::Verify | Route::About | Route::NotFound => Section::Core,
        }
    }

    /// A link to this route from a page of `from`: a bare fragment on the same
    /// page, the other page's address plus the fragment otherwise.
    pub fn href_from(&self, from: Section) -> String {
        let fragment = format!("#{}", self.to_path());
        let to = self.section();
        if to == from {
            fragment
        } else {
            format!("{}{fragment}", to.page())
        }
    }
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

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn routes_link_within_their_page_and_across_pages() {
        assert_eq!(Route::Verify.href_from(Section::Core), "#/verify");
        assert_eq!(Route::Verify.href_from(Section::Teach), "./#/verify");
        assert_eq!(Route::Learn.href_from(Section::Core), "learn.html#/learn");
        let lesson = Route::Lesson {
            lesson: "hash".into(),
        };
        assert_eq!(lesson.href_from(Section::Learn), "#/learn/hash");
        assert_eq!(lesson.href_from(Section::Teach), "learn.html#/learn/hash");
        let print = Route::Print { id: "a".into() };
        assert_eq!(print.section(), Section::Teach);
        assert_eq!(Route::NotFound.section(), Section::Core);
        assert_eq!(
            Route::Wallet.href_from(Section::Core),
            "wallet.html#/wallet"
        );
        assert_eq!(Route::Home.href_from(Section::Wallet), "./#/");
        for section in [
            Section::Core,
            Section::Wallet,
            Section::Learn,
            Section::Teach,
        ] {
            assert_eq!(section.first_route().section(), section);
        }
    }
}
