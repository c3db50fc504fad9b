//! Personal data a page should not publish, as `check` recognizes it: e-mail addresses in
//! prose and front matter (the ground rules ask for names or handles; an address on a public
//! site is harvested for spam). Addresses at the documentation domains (`example.com`,
//! `*.example`, RFC 2606) are examples, not anyone's. The importers drop every address from
//! the data they copy, examples included ([`without_email_addresses`]).

use std::ops::Range;

/// The e-mail addresses in `text`: `local@host.tld`, the host with at least one dot and an
/// alphabetic top-level name, not at an example domain.
pub fn email_addresses(text: &str) -> Vec<Range<usize>> {
    addresses(text)
        .filter(|(_, example)| !example)
        .map(|(r, _)| r)
        .collect()
}

/// `text` without the words that hold an e-mail address, example domains included (imported
/// data sets carry contacts we never publish, sometimes inside free text). Words are split on
/// single spaces, so the rest of the text keeps its spacing.
pub fn without_email_addresses(text: &str) -> String {
    let found: Vec<Range<usize>> = addresses(text).map(|(r, _)| r).collect();
    if found.is_empty() {
        return text.to_string();
    }
    let mut start = 0;
    let mut kept = Vec::new();
    for word in text.split(' ') {
        let end = start + word.len();
        if !found.iter().any(|r| r.start < end && start < r.end) {
            kept.push(word);
        }
        start = end + 1;
    }
    kept.join(" ")
}

/// Each address in `text` and whether it is at an example domain.
fn addresses(text: &str) -> impl Iterator<Item = (Range<usize>, bool)> + '_ {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let host = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    text.match_indices('@').filter_map(move |(at, _)| {
        let start = bytes.get(..at).map_or(at, |b| {
            b.iter().rposition(|&c| !local(c)).map_or(0, |i| i + 1)
        });
        let end = bytes.get(at + 1..).map_or(at + 1, |b| {
            b.iter()
                .position(|&c| !host(c))
                .map_or(bytes.len(), |i| at + 1 + i)
        });
        let name = text.get(start..at).map(|n| n.trim_matches('.'))?;
        let domain = text
            .get(at + 1..end)
            .map(|d| d.trim_end_matches(['.', '-']))?;
        let tld = domain.rsplit('.').next().unwrap_or("");
        let address = !name.is_empty()
            && domain.contains('.')
            && tld.len() >= 2
            && tld.chars().all(|c| c.is_ascii_alphabetic());
        address.then(|| (start..at + 1 + domain.len(), is_example(domain)))
    })
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

    #[test]
    fn imported_text_loses_every_address_with_its_word() {
        assert_eq!(
            without_email_addresses("Contact ops@example.com for help."),
            "Contact for help."
        );
        assert_eq!(
            without_email_addresses("Write to Dana <dana@corp.io>, or the list."),
            "Write to Dana or the list."
        );
        assert_eq!(
            without_email_addresses("Use @mentions and a@b, image@sha256:abc"),
            "Use @mentions and a@b, image@sha256:abc"
        );
    }
}
