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

/// `bytes` as text for a terminal message: invalid UTF-8 replaced, control characters escaped
/// (so the text cannot move the cursor or change colours), and at most `max_chars` characters
/// once escaped (then "…"), so a run of escaped bytes cannot make a message long either.
pub fn shown(bytes: &[u8], max_chars: usize) -> String {
    // No character is over 4 bytes: this prefix holds the characters shown and one more.
    let prefix = bytes
        .get(..max_chars.saturating_add(1).saturating_mul(4))
        .unwrap_or(bytes);
    let mut out = String::new();
    let mut count = 0;
    for c in String::from_utf8_lossy(prefix).chars() {
        let start = out.len();
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
        count += out[start..].chars().count();
        if count > max_chars {
            out.truncate(start);
            out.push('…');
            break;
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
        assert_eq!(shown(b"\x1b[2Jxyz", 9), "\\u{1b}[2J…");
        assert_eq!(shown(&[0; 100], 13), "\\u{0}\\u{0}…");
        assert_eq!(shown(b"a\xffb", 80), "a\u{fffd}b");
    }
}
