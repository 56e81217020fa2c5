use super::*;

const H: &str = "0123456789abcdef";

#[test]
fn hash_goes_before_the_last_extension() {
    for (logical, hashed) in [
        ("css/app.css", "css/app.0123456789abcdef.css"),
        ("app.css", "app.0123456789abcdef.css"),
        ("js/app.min.js", "js/app.min.0123456789abcdef.js"),
        ("a/b.c/d.tar.gz", "a/b.c/d.tar.0123456789abcdef.gz"),
    ] {
        assert_eq!(hashed_path(logical, H), hashed, "{logical}");
    }
}

#[test]
fn extensionless_and_dotfiles() {
    for (logical, hashed) in [
        ("LICENSE", "LICENSE.0123456789abcdef"),
        ("dir.d/README", "dir.d/README.0123456789abcdef"),
        (".htaccess", ".htaccess.0123456789abcdef"),
        ("x/.env.local", "x/.env.0123456789abcdef.local"),
        ("trailing.", "trailing.0123456789abcdef."),
    ] {
        assert_eq!(hashed_path(logical, H), hashed, "{logical}");
    }
}

#[test]
fn percent_encoded_paths_take_the_hash_in_the_same_place() {
    assert_eq!(
        hashed_path("img/my%20logo%231.png", H),
        "img/my%20logo%231.0123456789abcdef.png"
    );
}

#[test]
fn splits_back() {
    for logical in [
        "css/app.css",
        "app.css",
        "js/app.min.js",
        "a/b.c/d.tar.gz",
        "LICENSE",
        "dir.d/README",
        ".htaccess",
        "x/.env.local",
        "trailing.",
        "docs/read me.txt",
        "fonts/Ünïcode.woff2",
    ] {
        let hashed = hashed_path(logical, H);
        assert_eq!(
            split_hashed(&hashed),
            Some((logical.to_owned(), H)),
            "{logical} -> {hashed}"
        );
    }
}

#[test]
fn other_shapes_are_not_hashed_names() {
    for path in [
        "css/app.css",
        "css/app.0123456789ABCDEF.css",
        "css/app.0123456789abcde.css",
        "css/app.0123456789abcdefa.css",
        "css/app-0123456789abcdef.css",
        "css/.0123456789abcdef",
        ".0123456789abcdef",
        "0123456789abcdef",
        "",
        "é.0123456789abcdeé",
    ] {
        assert_eq!(split_hashed(path), None, "{path}");
    }
}

#[test]
fn an_extensionless_name_with_a_dot_is_not_mistaken() {
    // The hashed name of `a.b` is `a.<hash>.b`, never `a.b.<hash>`.
    assert_eq!(split_hashed(&format!("a.b.{H}")), None);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn hashed_names_split_back(
            // Any file name but `.` and `..`, which no file has.
            logical in "([a-z.]{1,6}/){0,2}([a-zA-Z0-9 _-]|\\.[a-zA-Z0-9 _-]|\\.\\.[a-zA-Z0-9 _.-])[a-zA-Z0-9 ._-]{0,10}",
            hash in "[0-9a-f]{16}",
        ) {
            let hashed = hashed_path(&logical, &hash);
            prop_assert_eq!(split_hashed(&hashed), Some((logical.clone(), hash.as_str())));
        }

        #[test]
        fn a_split_names_the_path_again(path in "\\PC{0,40}") {
            if let Some((logical, hash)) = split_hashed(&path) {
                prop_assert_eq!(hashed_path(&logical, hash), path);
            }
        }
    }
}
