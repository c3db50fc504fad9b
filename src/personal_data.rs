//! Personal data a page should not publish, as `check` recognizes it: e-mail addresses in
//! prose and front matter (the ground rules ask for names or handles; an address on a public
//! site is harvested for spam). Addresses at the documentation domains (`example.com`,
//! `*.example`, RFC 2606) are examples, not anyone's.

use std::ops::Range;

/// The e-mail addresses in `text`: `local@host.tld`, the host with at least one dot and an
/// alphabetic top-level name, not at an example domain.
pub fn email_addresses(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let host = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = bytes.get(..at).map_or(at, |b| {
            b.iter().rposition(|&c| !local(c)).map_or(0, |i| i + 1)
        });
        let end = bytes.get(at + 1..).map_or(at + 1, |b| {
            b.iter()
                .position(|&c| !host(c))
                .map_or(bytes.len(), |i| at + 1 + i)
        });
        let Some(name) = text.get(start..at).map(|n| n.trim_matches('.')) else {
            continue;
        };
        let Some(domain) = text
            .get(at + 1..end)
            .map(|d| d.trim_end_matches(['.', '-']))
        else {
            continue;
        };
        let tld = domain.rsplit('.').next().unwrap_or("");
        let real = !name.is_empty()
            && domain.contains('.')
            && tld.len() >= 2
            && tld.chars().all(|c| c.is_ascii_alphabetic())
            && !is_example(domain);
        if real {
            out.push(start..at + 1 + domain.len());
        }
    }
    out
}

/// A documentation domain (RFC 2606): `example.com`, `example.org`, `example.net`, anything
/// under `.example`, and their subdomains.
fn is_example(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    d.ends_with(".example")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|e| d == *e || d.ends_with(&format!(".{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        email_addresses(text)
            .into_iter()
            .filter_map(|r| text.get(r))
            .collect()
    }

    #[test]
    fn addresses_are_found_and_examples_are_not() {
        assert_eq!(found("Contact dana.k@gmail.com."), ["dana.k@gmail.com"]);
        assert_eq!(found("Dana <dana+ops@corp.io>"), ["dana+ops@corp.io"]);
        assert_eq!(
            found("mailto:ravi@mail.acme.co.uk"),
            ["ravi@mail.acme.co.uk"]
        );
        for none in [
            "ravi@example.org",
            "ops@team.example",
            "a@sub.example.com",
            "@dana on Slack",
            "image@sha256:abc",
            "user@host",
            "v1.2@3.4",
            "pip install x==1.0 @ git+https://…",
        ] {
            assert_eq!(found(none), Vec::<&str>::new(), "{none}");
        }
    }
}
