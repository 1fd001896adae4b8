//! Programme templates: the ready-made Hong Kong programmes and the
//! teacher's own (bilingual name, description, criteria, credits), editable.

use super::bind;
use crate::i18n::Lang;
use crate::platform::random;
use crate::state::desk_issue::id_of;
use crate::state::settings::{use_lang, use_tr};
use crate::state::teach::{CustomTemplate, Desk, DeskAction, DeskHandle};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Templates`].
#[derive(Properties, PartialEq)]
pub struct TemplatesProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: DeskHandle,
}

/// The template list and editor.
#[component]
pub fn Templates(props: &TemplatesProps) -> Html {
    let tt = use_tr().teach();
    let lang = use_lang();
    let editing = use_state(|| None::<CustomTemplate>);
    let pick = |en: &str, zh: &str| -> String {
        if lang == Lang::ZhHk && !zh.is_empty() {
            zh.to_owned()
        } else {
            en.to_owned()
        }
    };
    // A template's id is random; a browser that gives no randomness gets
    // no new template (never a fixed id shared with other schools).
    let no_random = use_state(|| false);
    let new = {
        let (editing, no_random) = (editing.clone(), no_random.clone());
        Callback::from(move |_| {
            let Ok(seed) = random::bytes32() else {
                return no_random.set(true);
            };
            no_random.set(false);
            let id = id_of(&seed);
            let key = format!(
                "custom-{}",
                id.trim_start_matches("urn:uuid:").get(..8).unwrap_or("0")
            );
            editing.set(Some(CustomTemplate {
                key,
                achievement_id: id,
                ..Default::default()
            }));
        })
    };
    html! {
        <div>
            <div class="panel">
                <h2>{ tt.tpl_title }</h2>
                <h3>{ tt.tpl_builtin }</h3>
                <ul class="template-list">
                    { for credentials::templates::ALL.iter().filter(|t| !t.custom).map(|t| html! {
                        <li data-template={t.key}><strong>{ pick(t.name.en, t.name.zh_hant) }</strong>
                            <br /><span class="hint">{ pick(t.description.en, t.description.zh_hant) }</span></li>
                    }) }
                </ul>
                <h3>{ tt.tpl_custom }</h3>
                <ul class="template-list">
                    { for props.desk.templates.iter().map(|t| {
                        let edit = { let (editing, t) = (editing.clone(), t.clone()); Callback::from(move |_| editing.set(Some(t.clone()))) };
                        let delete = { let (state, key) = (props.state.clone(), t.key.clone()); Callback::from(move |_| state.dispatch(DeskAction::DeleteTemplate(key.clone()))) };
                        html! {
                            <li data-template={t.key.clone()}>
                                <strong>{ pick(&t.name_en, &t.name_zh) }</strong>{ " " }
                                <button type="button" class="secondary" onclick={edit}>{ tt.tpl_edit }</button>{ " " }
                                <button type="button" class="secondary" onclick={delete}>{ tt.tpl_delete }</button>
                            </li>
                        }
                    }) }
                </ul>
                <button type="button" class="primary" onclick={new} data-testid="new-template">{ tt.tpl_new }</button>
                if *no_random {
                    <p class="message error" role="alert">{ tt.no_randomness }</p>
                }
            </div>
            if let Some(t) = (*editing).clone() {
                <Editor key={t.key.clone()} template={t.clone()} state={props.state.clone()} editing={editing.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    template: CustomTemplate,
    state: DeskHandle,
    editing: UseStateHandle<Option<CustomTemplate>>,
}

#[component]
fn Editor(props: &EditorProps) -> Html {
    let tt = use_tr().teach();
    let t = &props.template;
    let fields = [
        use_state(|| t.name_en.clone()),
        use_state(|| t.name_zh.clone()),
        use_state(|| t.description_en.clone()),
        use_state(|| t.description_zh.clone()),
        use_state(|| t.criteria_en.clone()),
        use_state(|| t.criteria_zh.clone()),
        use_state(|| t.credits.clone()),
    ];
    let error = use_state(|| false);
    let image = use_state(|| t.image.clone());
    let image_error = use_state(|| None::<&'static str>);
    let onimage = {
        let (image, image_error) = (image.clone(), image_error.clone());
        Callback::from(move |e: Event| {
            if let Some(file) = crate::platform::files::files_of_input(&e)
                .into_iter()
                .next()
            {
                let (image, image_error) = (image.clone(), image_error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if file.size() > crate::state::teach::MAX_LOGO {
                        return image_error.set(Some(tt.logo_too_large));
                    }
                    match crate::platform::files::read_bytes(&file).await {
                        Ok(bytes) => match crate::platform::files::logo_mime(&bytes) {
                            Some(mime) => {
                                image.set(Some(crate::platform::files::data_url(mime, &bytes)));
                                image_error.set(None);
                            }
                            None => image_error.set(Some(tt.logo_bad)),
                        },
                        Err(_) => image_error.set(Some(tt.logo_bad)),
                    }
                });
            }
            crate::platform::files::reset_input(&e);
        })
    };
    let labels = [
        tt.tpl_name_en,
        tt.tpl_name_zh,
        tt.tpl_desc_en,
        tt.tpl_desc_zh,
        tt.tpl_crit_en,
        tt.tpl_crit_zh,
        tt.tpl_credits,
    ];
    let ids = [
        "tpl-name-en",
        "tpl-name-zh",
        "tpl-desc-en",
        "tpl-desc-zh",
        "tpl-crit-en",
        "tpl-crit-zh",
        "tpl-credits",
    ];
    let save = {
        let (fields, state, editing, error, base) = (
            fields.clone(),
            props.state.clone(),
            props.editing.clone(),
            error.clone(),
            t.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v: Vec<String> = fields.iter().map(|f| f.trim().to_owned()).collect();
            let get = |i: usize| v.get(i).cloned().unwrap_or_default();
            if get(0).is_empty() || get(2).is_empty() || get(4).is_empty() {
                return error.set(true);
            }
            state.dispatch(DeskAction::SaveTemplate(CustomTemplate {
                name_en: get(0),
                name_zh: get(1),
                description_en: get(2),
                description_zh: get(3),
                criteria_en: get(4),
                criteria_zh: get(5),
                credits: get(6),
                ..base.clone()
            }));
            editing.set(None);
        })
    };
    html! {
        <form class="panel" onsubmit={save} data-testid="template-editor">
            { for fields.iter().zip(labels).zip(ids).enumerate().map(|(i, ((f, label), id))| html! {
                <>
                    <label for={id}>{ label }</label>
                    if i == 2 || i == 3 || i == 4 || i == 5 {
                        <textarea id={id} data-testid={id} class="short" value={(**f).clone()} oninput={super::bind(f)} />
                    } else {
                        <input id={id} data-testid={id} type="text" value={(**f).clone()} oninput={bind(f)} />
                    }
                </>
            }) }
            <label for="tpl-image">{ tt.tpl_image }</label>
            <div class="row">
                <input id="tpl-image" type="file" accept="image/png,image/jpeg,image/svg+xml" data-testid="tpl-image" onchange={onimage} />
                if let Some(src) = &*image { <img class="logo-preview" src={src.clone()} alt="" /> }
            </div>
            if let Some(m) = *image_error { <p class="message error" role="alert">{ m }</p> }
            if *error { <p class="message error" role="alert">{ tt.tpl_needs }</p> }
            <p><button type="submit" class="primary" data-testid="save-template">{ tt.tpl_save }</button></p>
        </form>
    }
}
