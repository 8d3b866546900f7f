//! A bad `[[response]]` or `respond` failure is an error naming the
//! scenario file, the object and the field; the command exits with 2.

use std::process::Command;

use voicetwin::scenario::load_for_model;

const MODEL: &str = include_str!("data/two-gateways-in-turn.toml");

fn errors(extra: &str) -> String {
    let m = voicetwin::model::load_str(MODEL, "two.toml").unwrap();
    let text = format!(
        "duration = \"1h\"\n[[source]]\nname = \"users\"\nuser_group = \"users\"\nerlangs = 1\nholding = {{ exponential = \"180s\" }}\ndial = [{{ template = \"NXXNXXXXXX\" }}]\n{extra}"
    );
    load_for_model(&text, "bad.toml", &m).unwrap_err().to_string()
}

fn has(e: &str, want: &str) {
    assert!(e.contains(want), "missing `{want}` in:\n{e}");
}

#[test]
fn each_bad_value_names_the_object_and_the_field() {
    let e = errors("[[response]]\npeer = \"gw9\"\nanswers = [{ code = 486, share = 0.1 }]\n");
    has(&e, "bad.toml: [[response]] #1 (peer \"gw9\"), field `peer`: no peer \"gw9\" in the model (known: gw1, gw2;");
    let e = errors("[[response]]\npeer = \"*\"\nanswers = [{ code = 399, share = 0.1 }, { code = 486, isup_cause = 128, share = 0.1 }, { code = 404, share = 1.5 }]\n");
    has(&e, "[[response]] #1 (peer \"*\"), field `answers[1].code`: 399 is less than 400");
    has(&e, "field `answers[2].isup_cause`: 128 is more than 127");
    has(&e, "field `answers[3].share`: 1.5 is more than 1");
    let e = errors(
        "[[response]]\npeer = \"gw1\"\nanswers = [{ code = 486, share = 0.6 }, { no_answer = true, share = 0.5 }]\n",
    );
    has(&e, "[[response]] #1 (peer \"gw1\"), field `answers`: the shares add up to 1.1");
    let e = errors(
        "[[response]]\npeer = \"gw1\"\nanswers = [{ share = 0.1 }, { no_answer = true, code = 486, share = 0.1 }]\n",
    );
    has(&e, "field `answers[1].code`: give a response code");
    has(&e, "field `answers[2].no_answer`: an answer is either a response code or no answer");
    let e = errors("[[response]]\npeer = \"gw1\"\nanswers = [{ code = 486, share = 0.1 }]\n[[response]]\npeer = \"gw1\"\nanswers = [{ code = 404, share = 0.1 }]\n");
    has(&e, "[[response]] #2 (peer \"gw1\"), field `peer`: another [[response]] is for this peer");
}

#[test]
fn shares_adding_up_to_one_in_floating_point_are_accepted() {
    let m = voicetwin::model::load_str(MODEL, "two.toml").unwrap();
    let text = "duration = \"1h\"\n[[source]]\nname = \"users\"\nuser_group = \"users\"\nerlangs = 1\nholding = { exponential = \"180s\" }\ndial = [{ template = \"NXXNXXXXXX\" }]\n[[response]]\npeer = \"gw1\"\nanswers = [{ code = 486, share = 0.1 }, { code = 404, share = 0.2 }, { no_answer = true, share = 0.7 }]\n";
    let sc = load_for_model(text, "ok.toml", &m).unwrap();
    assert!(sc.responses[0].is_some() && sc.responses[1].is_none());
}

#[test]
fn a_respond_failure_needs_its_response_and_a_peer_or_trunk() {
    let f = |body: &str| errors(&format!("[[failure]]\nelement = \"peer:gw1\"\nkind = \"scheduled\"\n{body}\n"));
    has(&f("mode = \"respond\""), "failure \"peer:gw1\", field `response`: mode = \"respond\" needs the response");
    has(&f("mode = \"respond\"\nresponse = 700"), "failure \"peer:gw1\", field `response`: 700 is more than 699");
    has(&f("mode = \"respond\"\nresponse = 486\nisup_cause = -1"), "field `isup_cause`: -1 is less than 0");
    has(
        &f("mode = \"reject\"\nresponse = 486"),
        "field `response`: only a failure with mode = \"respond\" answers a response",
    );
    let e = errors("[[failure]]\nelement = \"mediation-pool:med.example.com\"\nkind = \"scheduled\"\nmode = \"respond\"\nresponse = 486\n");
    has(&e, "field `mode`: only a peer or a trunk answers calls");
}

#[test]
fn the_command_exits_2_on_a_bad_response_table() {
    let dir = std::env::temp_dir().join(format!("voicetwin-response-validation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("two.toml"), MODEL).unwrap();
    let scenario = dir.join("bad-response.toml");
    std::fs::write(
        &scenario,
        "model = \"two.toml\"\nduration = \"1h\"\nreplications = 2\n[[source]]\nname = \"users\"\nuser_group = \"users\"\nerlangs = 1\nholding = { exponential = \"180s\" }\ndial = [{ template = \"NXXNXXXXXX\" }]\n[[response]]\npeer = \"gw1\"\nanswers = [{ code = 486, isup_cause = 200, share = 0.1 }]\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["run", scenario.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()])
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains(
            "bad-response.toml: [[response]] #1 (peer \"gw1\"), field `answers[1].isup_cause`: 200 is more than 127"
        ),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
