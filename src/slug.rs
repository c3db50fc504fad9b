//! Slugs: the URL-safe names of entries, folders and index values (the DESIGN contract:
//! transliterate, lowercase, runs of anything but `a-z 0-9 . _` become `-`).

/// Turns any text into a slug. `"Kubernetes 1.30"` → `"kubernetes-1.30"`, `"Ærø"` → `"aero"`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// True when a slug can name a folder of the output without escaping it.
pub fn is_safe(slug: &str) -> bool {
    !slug.is_empty() && slug.chars().any(|c| c != '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_examples() {
        assert_eq!(slugify("kubeadm"), "kubeadm");
        assert_eq!(slugify("Bare-metal HA (kubeadm)"), "bare-metal-ha-kubeadm");
        assert_eq!(slugify("1.30"), "1.30");
        assert_eq!(slugify("Zürich Ops"), "zurich-ops");
        assert_eq!(slugify("  --a  b--  "), "a-b");
        assert_eq!(slugify("snake_case"), "snake_case");
        assert_eq!(slugify("../etc"), "..-etc");
    }

    #[test]
    fn dots_only_is_unsafe() {
        assert!(!is_safe(".."));
        assert!(!is_safe(""));
        assert!(is_safe("..-etc"));
    }
}
