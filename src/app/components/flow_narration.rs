//! "Now": the request the diagram follows, as numbered steps up to the moment shown, the step in
//! progress marked. The reader picks another request from the console, or with the arrow keys on
//! the diagram, and can go back to following the newest one.

use yew::prelude::*;

/// One step as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct NarrationStep {
    /// The step in words.
    pub text: String,
    /// Its message is still on the wire.
    pub current: bool,
}

/// What [`flow_narration`] shows.
pub struct NarrationInput {
    /// The request followed, in words (`client 2: read k3`), if any.
    pub request: Option<String>,
    /// Its steps so far.
    pub steps: Vec<NarrationStep>,
    /// The reader picked it (otherwise the newest request is followed).
    pub picked: bool,
    /// Go back to following the newest request.
    pub on_follow_latest: Callback<()>,
}

/// The steps (a view function, like the flow diagram).
pub fn flow_narration(props: &NarrationInput) -> Html {
    let heading = match &props.request {
        Some(request) if props.picked => format!("Following {request}"),
        Some(request) => format!("Now: {request}"),
        None => "Now: nothing sent yet".to_owned(),
    };
    html! {
        <section class="narration" aria-label="Request steps">
            <div class="narration-head">
                <h2>{ heading }</h2>
                if props.picked {
                    <button type="button" onclick={props.on_follow_latest.reform(|_| ())}>{ "Follow the newest request" }</button>
                }
            </div>
            if props.steps.is_empty() {
                <p class="empty">{ "Press Play or Step, or send your own Get or Write." }</p>
            } else {
                <ol class="steps">
                    { for props.steps.iter().map(|step| html! {
                        <li class={classes!(step.current.then_some("current"))}
                            aria-current={step.current.then_some("step")}>{ step.text.clone() }</li>
                    }) }
                </ol>
            }
            <p class="hint">{ "Click a console line to follow its request; on the diagram, ← and → step through the requests sent so far." }</p>
        </section>
    }
}
