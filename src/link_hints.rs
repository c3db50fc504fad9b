//! Hints for broken links in bodies: the existing file closest to what was written, given as a
//! path relative to the linking file (`../tools/kubeadm.md` for `tools/kubeadm.md` written in a
//! note), where a missing static file belongs, and the address a mistyped scheme meant
//! (`https//x`, `htps://x`). Used by the site graph's link check and the front matter's URL check.

use crate::markdown::join;

/// A content-relative path written relative to `from_dir`, for hints.
pub fn relative_hint(from_dir: &str, rel: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = rel.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(to.get(common..).unwrap_or(&[]));
    parts.join("/")
}

/// The path part of a link as written (no `#anchor`, no `?query`).
fn written_path(dest: &str) -> &str {
    dest.split(['#', '?']).next().unwrap_or(dest)
}

/// "did you mean …?" for a relative link `dest`, written in a file in `from_dir`, whose target
/// does not exist; `exists` answers for content-relative paths, `all` lists them. Tries, in
/// order: the same path from a folder above (a missing `../`), the same file name in another
/// folder, then the closest path by spelling.
pub fn missing_file<'a>(
    from_dir: &str,
    dest: &str,
    exists: impl Fn(&str) -> bool,
    all: impl Iterator<Item = &'a str> + Clone,
) -> Option<String> {
    // `https//example.org`: a web address whose scheme lost its colon reads as a file path.
    if let Some(fixed) = mistyped_scheme(dest) {
        return Some(format!("write `{fixed}`"));
    }
    // `[Dana](dana@example.org)`: an e-mail address needs its `mailto:`.
    if let Some((user, host)) = dest.split_once('@')
        && !user.is_empty()
        && !user.contains(['/', ':'])
        && host.contains('.')
        && !host.contains(['/', '@'])
    {
        return Some(format!(
            "an e-mail address needs `mailto:`: write `mailto:{dest}`"
        ));
    }
    let path = written_path(dest);
    let suffix = |rel: &str| {
        let mut hint = relative_hint(from_dir, rel);
        if let Some(i) = dest.find(['#', '?']) {
            hint.push_str(dest.get(i..).unwrap_or(""));
        }
        format!("did you mean `{hint}`?")
    };
    // A web address written without its scheme (`www.example.com/docs`).
    let host = path.split('/').next().unwrap_or("");
    // `.org` is also an org-mode file: a host only with a path after it.
    if host.starts_with("www.")
        || host.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty()
                && (WEB_ENDINGS.contains(&tld) || (tld == "org" && path.len() > host.len()))
        })
    {
        return Some(format!(
            "a web address needs its scheme: write `https://{}`",
            dest
        ));
    }
    // A page written as its URL (`../tools/kubeadm`, `../tools/kubeadm/`) or a folder (`../tools/`,
    // `..`): the page's file, or the folder's `_index.md`.
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if !last.contains('.') || last == ".." || last == "." {
        let bare = path.trim_end_matches('/');
        for candidate in [format!("{bare}.md"), format!("{bare}/_index.md")] {
            if let Some(rel) = join(from_dir, &candidate)
                && exists(&rel)
            {
                return Some(suffix(&rel));
            }
        }
    }
    // A page's URL written from the page's own URL (`../sibling/` from `notes/x.md`, whose URL
    // is `/notes/x/`): one `../` fewer reaches it from the file's folder.
    if let Some(from_url) = path.strip_prefix("../")
        && !last.contains('.')
    {
        let bare = from_url.trim_end_matches('/');
        for candidate in [format!("{bare}.md"), format!("{bare}/_index.md")] {
            if let Some(rel) = join(from_dir, &candidate)
                && exists(&rel)
            {
                return Some(suffix(&rel));
            }
        }
    }
    // The path as written, from each folder above the file's own.
    let mut dir = from_dir;
    while !dir.is_empty() {
        dir = dir.rfind('/').map_or("", |i| dir.get(..i).unwrap_or(""));
        if let Some(rel) = join(dir, path)
            && exists(&rel)
        {
            return Some(suffix(&rel));
        }
    }
    // From a file near the top, `../x/` climbs out of content/: read it as written from the
    // file's folder for the name.
    let wanted = join(from_dir, path).or_else(|| join(from_dir, path.trim_start_matches("../")))?;
    let wanted = wanted.trim_end_matches('/');
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    // A page written as its URL names its `.md` file.
    let page_name = (!name.contains('.')).then(|| format!("{name}.md"));
    // The same file name in another folder or in another case (`../tools/K3s` for
    // `tools/k3s.md`), nearest in spelling first.
    let same_name = all
        .clone()
        .filter(|rel| {
            rel.rsplit('/').next().is_some_and(|f| {
                f.eq_ignore_ascii_case(name)
                    || page_name
                        .as_deref()
                        .is_some_and(|p| f.eq_ignore_ascii_case(p))
            })
        })
        .min_by_key(|rel| (strsim::levenshtein(rel, wanted), *rel));
    if let Some(rel) = same_name {
        return Some(suffix(rel));
    }
    // A close spelling of the whole path, only among files of the same kind.
    let ext = |p: &str| p.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    all.filter(|rel| ext(rel) == ext(wanted))
        .map(|rel| (strsim::normalized_levenshtein(rel, wanted), rel))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, rel)| suffix(rel))
}

/// The address `s` was meant to be when its `http`/`https` scheme is mistyped: its colon or a
/// slash lost (`https//example.org`, `http:/example.org`, `https:example.org`), or its name
/// misspelt (`htps://example.org`, `hhtp:`, `htttps:`) → `https://example.org`. `None` for
/// anything else: a well-formed address, a scheme of its own (`tcp:`, `otlp:`, `ftp:`), a file
/// such as `https-notes.md`. The one repair both body links and URL fields use.
pub fn mistyped_scheme(s: &str) -> Option<String> {
    let s = s.trim();
    for scheme in ["https", "http"] {
        let Some(rest) = s
            .get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .and_then(|_| s.get(scheme.len()..))
        else {
            continue;
        };
        if rest.starts_with("://") {
            return None;
        }
        let host = rest.trim_start_matches([':', '/', '\\']);
        // Only colons and slashes between the scheme and a host with a dot or a port
        // (`https//example.org`, `http:/localhost:3000`), not a file such as `https-notes.md`.
        let first = host.split(['/', '?', '#']).next().unwrap_or("");
        if host.len() < rest.len()
            && !first.is_empty()
            && (first.contains('.') || first.contains(':') || first == "localhost")
        {
            return Some(format!("{scheme}://{host}"));
        }
    }
    // A misspelt name: one letter off `http`/`https`, or two when it still starts with `h`.
    let (written, rest) = s.split_once(':')?;
    let written = written.trim().to_ascii_lowercase();
    if written.is_empty() || !written.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    // The nearer of the two (`hhtp` is one letter off `http`, two off `https`); `https` on a tie.
    let (d, scheme) = ["https", "http"]
        .into_iter()
        .map(|w| (strsim::damerau_levenshtein(&written, w), w))
        .min_by_key(|(d, _)| *d)?;
    if !(d == 1 || (d == 2 && written.starts_with('h'))) {
        return None;
    }
    let host = rest.trim_start_matches(['/', '\\']);
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// Name endings that make a link's first part a web host, not a file (`example.com/x`).
const WEB_ENDINGS: &[&str] = &["com", "net", "io", "dev", "cloud"];

/// The hint for a site path (`/…`) that matches no generated page or file. `known` lists every
/// site path the build writes.
pub fn missing_site_path<'a>(path: &str, known: impl Iterator<Item = &'a str>) -> String {
    let path = written_path(path);
    let name = path.rsplit('/').next().unwrap_or("");
    let is_file = name
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !matches!(ext, "html" | "htm" | "md"));
    if !is_file {
        // `/tools/kurd/`: the page path nearest in spelling, if one is near.
        let wanted = path.trim_end_matches('/');
        let near = known
            .filter(|k| k.ends_with('/'))
            .map(|k| {
                (
                    strsim::normalized_levenshtein(k.trim_end_matches('/'), wanted),
                    k,
                )
            })
            .filter(|(score, _)| *score >= 0.75)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)));
        return match near {
            Some((_, page)) => format!(
                "did you mean `{page}`? Better: link the page's .md file with a relative path, so the link is checked and works on the code host too"
            ),
            None => "link to the .md file with a relative path instead, so it is checked and works on the code host too".into(),
        };
    }
    if let Some(other) = known.filter(|k| k.rsplit('/').next() == Some(name)).min() {
        return format!("did you mean `{other}`? (a file with that name exists there)");
    }
    format!(
        "a `/…` path to a file is served from the site's `static/` folder: add it as static{path}, or put it beside the page under content/ and link it relatively (e.g. `{name}`)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[&str] = &[
        "notes/local-volumes-to-rook-ceph-csi.md",
        "notes/etcd.md",
        "tools/kubeadm.md",
        "tools/etcd.md",
        "tools/_index.md",
        "architectures/img/topology.png",
    ];

    fn hint(from: &str, dest: &str) -> Option<String> {
        missing_file(from, dest, |r| FILES.contains(&r), FILES.iter().copied())
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_hint("notes", "tools/kubeadm.md"),
            "../tools/kubeadm.md"
        );
        assert_eq!(relative_hint("tools", "tools/kubeadm.md"), "kubeadm.md");
    }

    #[test]
    fn a_missing_parent_step_is_found_first() {
        assert_eq!(
            hint("notes", "tools/kubeadm.md#install").as_deref(),
            Some("did you mean `../tools/kubeadm.md#install`?")
        );
        assert_eq!(
            hint("notes", "topology.png").as_deref(),
            Some("did you mean `../architectures/img/topology.png`?")
        );
        assert_eq!(
            hint("notes", "kubeadmm.md").as_deref(),
            Some("did you mean `../tools/kubeadm.md`?")
        );
        assert_eq!(hint("notes", "nothing-like-it.md"), None);
        // A page written as its URL, or a folder: its file.
        assert_eq!(
            hint("notes", "../tools/kubeadm/").as_deref(),
            Some("did you mean `../tools/kubeadm.md`?")
        );
        assert_eq!(
            hint("notes", "../tools/kubeadm#install").as_deref(),
            Some("did you mean `../tools/kubeadm.md#install`?")
        );
        assert_eq!(
            hint("notes", "../tools/").as_deref(),
            Some("did you mean `../tools/_index.md`?")
        );
        // A web address without its scheme.
        assert_eq!(
            hint("notes", "www.example.com").as_deref(),
            Some("a web address needs its scheme: write `https://www.example.com`")
        );
        assert_eq!(hint("notes", "notes.org"), None);
        assert_eq!(
            hint("notes", "kubernetes.org/docs").as_deref(),
            Some("a web address needs its scheme: write `https://kubernetes.org/docs`")
        );
        assert_eq!(
            hint("notes", "etcd.io/docs/").as_deref(),
            Some("a web address needs its scheme: write `https://etcd.io/docs/`")
        );
    }

    #[test]
    fn a_scheme_without_its_colon_or_a_slash_is_mended() {
        for (written, meant) in [
            ("https//github.com/x", "https://github.com/x"),
            ("http:/example.org/a", "http://example.org/a"),
            ("https:github.com/x", "https://github.com/x"),
            ("HTTPS//example.org", "https://example.org"),
            ("http//localhost:3000/", "http://localhost:3000/"),
            ("htps://github.com/x", "https://github.com/x"),
            ("hhtp://example.org", "http://example.org"),
            ("htttps:example.org", "https://example.org"),
            ("HTPS://Example.org", "https://Example.org"),
        ] {
            assert_eq!(
                mistyped_scheme(written).as_deref(),
                Some(meant),
                "{written}"
            );
        }
        for fine in [
            "https://github.com/x",
            "https-notes.md",
            "http.md",
            "httpserver/x.md",
            "ftp://example.org/x",
            "tcp://10.0.0.1:443",
            "otlp:",
            "htps:",
            "h2c://x",
        ] {
            assert_eq!(mistyped_scheme(fine), None, "{fine}");
        }
        assert_eq!(
            hint("notes", "https//github.com/x").as_deref(),
            Some("write `https://github.com/x`")
        );
    }

    #[test]
    fn a_sibling_written_as_its_url_is_its_file() {
        // From notes/x.md (URL /notes/x/), `../etcd/` is the page /notes/etcd/.
        assert_eq!(
            hint("notes", "../etcd/").as_deref(),
            Some("did you mean `etcd.md`?")
        );
        assert_eq!(
            hint("notes", "../local-volumes-to-rook-ceph-csi#steps").as_deref(),
            Some("did you mean `local-volumes-to-rook-ceph-csi.md#steps`?")
        );
        // A page written as its URL from elsewhere: the `.md` file of that name.
        assert_eq!(
            hint("architectures/img", "../../../kubeadm/").as_deref(),
            Some("did you mean `../../tools/kubeadm.md`?")
        );
    }

    #[test]
    fn static_files_get_a_static_hint() {
        let known = ["/img/logo.svg", "/tools/"];
        assert!(
            missing_site_path("/img/x.png", known.iter().copied()).contains("static/img/x.png")
        );
        assert_eq!(
            missing_site_path("/logo.svg", known.iter().copied()),
            "did you mean `/img/logo.svg`? (a file with that name exists there)"
        );
        assert!(missing_site_path("/tools/kubeadm/", known.iter().copied()).contains(".md file"));
        let known = ["/tools/kured/", "/tools/", "/notes/"];
        assert!(
            missing_site_path("/tools/kurd/", known.iter().copied())
                .starts_with("did you mean `/tools/kured/`?")
        );
    }
}
