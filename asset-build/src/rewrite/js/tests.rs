use super::*;

fn specifiers(js: &str) -> Vec<String> {
    imports(js.as_bytes()).into_iter().map(|r| r.url).collect()
}

#[test]
fn trailing_source_map_comment() {
    let js = b"let a = 1;\n//# sourceMappingURL=app.js.map\n";
    let r = source_mapping_url(js).unwrap();
    assert_eq!(&js[r.span], b"app.js.map");
    assert_eq!(r.kind, Kind::SourceMappingUrl);

    let js = b"x()\n//# sourceMappingURL=a.map\n// trailing note\n\n  \n";
    assert_eq!(source_mapping_url(js).unwrap().url, "a.map");
    let js = b"x()\n/*# sourceMappingURL=b.map */";
    assert_eq!(source_mapping_url(js).unwrap().url, "b.map");
    let js = b"x()\r\n//@ sourceMappingURL=c.map\r\n";
    assert_eq!(source_mapping_url(js).unwrap().url, "c.map");
    let js = b"//# sourceMappingURL=data:application/json;base64,eyJ9";
    assert_eq!(
        source_mapping_url(js).unwrap().url,
        "data:application/json;base64,eyJ9"
    );
}

#[test]
fn source_map_comment_must_be_at_the_end() {
    for js in [
        &b"//# sourceMappingURL=a.map\nlet x = 1;\n"[..],
        b"var s = \"\\n//# sourceMappingURL=\" + name;\n",
        b"x = '//# sourceMappingURL=a.map'",
        b"",
        b"\n\n",
        b"/**/",
        b"//",
    ] {
        assert_eq!(
            source_mapping_url(js),
            None,
            "{}",
            String::from_utf8_lossy(js)
        );
    }
}

#[test]
fn static_imports_and_exports() {
    let js = r#"
import a from "./a.js";
import { b, c as d } from './b.js';
import * as e from "../e.mjs";
import "./side-effect.js";
import f, { g } from
    "./multi-line.js";
export { h } from "./h.js";
export * from "./star.js";
export * as ns from "./ns.js";
import lodash from "lodash";
import json from "./data.json" with { type: "json" };
"#;
    assert_eq!(
        specifiers(js),
        [
            "./a.js",
            "./b.js",
            "../e.mjs",
            "./side-effect.js",
            "./multi-line.js",
            "./h.js",
            "./star.js",
            "./ns.js",
            "lodash",
            "./data.json"
        ]
    );
}

#[test]
fn dynamic_imports() {
    let js = r#"
const m = await import("./lazy.js");
button.onclick = () => import('./on-click.js').then(x => x);
import("./with-options.js", { with: { type: "json" } });
import("./" + name + ".js");
obj.import("./not-an-import.js");
"#;
    assert_eq!(
        specifiers(js),
        ["./lazy.js", "./on-click.js", "./with-options.js"]
    );
}

#[test]
fn look_alikes_are_not_imports() {
    let js = r#"
// import x from "./comment.js";
/* import "./block.js"; */
const s = 'import x from "./string.js"';
const t = `import x from "./template.js" ${ `nested ${"./in-template.js"}` }`;
const r = /import "\.\/regex.js"/g;
const d = a / b / import_x;
function f() { let from = 1; return from; }
if (x) { import("./inside-block.js"); }
const y = obj.from "./member.js";
"#;
    assert_eq!(specifiers(js), ["./inside-block.js"]);
}

#[test]
fn spans_and_escapes() {
    let js = "import a from './a\\u002ejs';\nimport('./b.js')";
    let found = imports(js.as_bytes());
    assert_eq!(&js[found[0].span.clone()], "./a\\u002ejs");
    assert_eq!(found[0].url, "./a.js");
    assert_eq!(found[0].syntax, Syntax::JsString(b'\''));
    assert_eq!(&js[found[1].span.clone()], "./b.js");
}

#[test]
fn malformed_scripts_never_panic() {
    for js in [
        "import \"",
        "import('",
        "import(\"./a.js\"",
        "`${",
        "`${ } } }",
        "/[",
        "'\\",
        "\"\\u{",
        "\"\\u{zz}\"",
        "\"\\x4",
        "}}}}",
        "#!/usr/bin/env node",
        "#!",
    ] {
        let _ = imports(js.as_bytes());
        let _ = source_mapping_url(js.as_bytes());
    }
}
