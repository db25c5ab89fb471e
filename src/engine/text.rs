//! Text from outside (a URL, a trace, a key) quoted back in a message: cut to a length, and
//! for a terminal, with control characters escaped.

/// At most `max_chars` characters of `text`, then "…" if there were more.
pub fn shortened(text: &str, max_chars: usize) -> String {
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().nth(max_chars).is_some() {
        out.push('…');
    }
    out
}

/// `bytes` as text for a terminal message: invalid UTF-8 replaced, at most `max_chars`
/// characters (then "…"), and control characters escaped, so the text cannot move the cursor or
/// change colours.
pub fn shown(bytes: &[u8], max_chars: usize) -> String {
    let mut out = String::new();
    for c in shortened(&String::from_utf8_lossy(bytes), max_chars).chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_after_the_limit_and_controls_escaped() {
        assert_eq!(shortened("abc", 3), "abc");
        assert_eq!(shortened("abcd", 3), "abc…");
        assert_eq!(shortened("éé", 1), "é…");
        assert_eq!(shown("é\u{7}".as_bytes(), 80), "é\\u{7}");
        assert_eq!(shown(b"\x1b[2Jxyz", 4), "\\u{1b}[2J…");
        assert_eq!(shown(b"a\xffb", 80), "a\u{fffd}b");
    }
}
