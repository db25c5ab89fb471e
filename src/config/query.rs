//! Query strings (`?a=1&b=two`) read and written without the browser, so the URL API is tested
//! natively. Reading follows the WHATWG `application/x-www-form-urlencoded` rules: `+` is a space,
//! `%XX` is a byte, and bytes that are not UTF-8 become U+FFFD. Nothing here can fail.

/// A query string's name/value pairs, in order, decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The pairs as they appeared, duplicates included.
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Reads `text`, with or without its leading `?`. A pair without `=` has an empty value.
    pub fn parse(text: &str) -> Query {
        let text = text.strip_prefix('?').unwrap_or(text);
        let pairs = text
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect();
        Query { pairs }
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The first value given for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(found, _)| found == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Decodes one component: `+` is a space, `%XX` a byte (a `%` not followed by two hex digits
/// stays as it is).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        match (bytes[i], escaped) {
            (_, Some((high, low))) => {
                out.push(high * 16 + low);
                i += 2;
            }
            (b'+', None) => out.push(b' '),
            (byte, None) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|digit| digit as u8)
}

/// Writes pairs as a query string without the `?`. Letters, digits and `-._~,` stay as they are
/// (commas keep lists readable); everything else is percent-encoded.
pub fn encode(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~,".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_like_url_search_params() {
        let query = Query::parse("?demo=lru&size=4&note=a+b%20c&flag&=x&bad=%zz%4");
        assert_eq!(query.get("demo"), Some("lru"));
        assert_eq!(query.get("note"), Some("a b c"));
        assert_eq!(query.get("flag"), Some(""));
        assert_eq!(query.get(""), Some("x"));
        assert_eq!(query.get("bad"), Some("%zz%4"));
        assert_eq!(query.get("missing"), None);
        assert_eq!(Query::parse("").pairs(), &[]);
        assert_eq!(Query::parse("a=1&a=2").get("a"), Some("1"));
        // Invalid UTF-8 becomes the replacement character instead of failing.
        assert_eq!(Query::parse("k=%FF").get("k"), Some("\u{FFFD}"));
        assert_eq!(
            Query::parse("demo=%3Cscript%3E").get("demo"),
            Some("<script>")
        );
    }

    #[test]
    fn encoding_round_trips() {
        let text = encode(&[("demo", "lru".to_owned()), ("x", "a b&c=d/é,1".to_owned())]);
        assert_eq!(text, "demo=lru&x=a%20b%26c%3Dd%2F%C3%A9,1");
        let query = Query::parse(&text);
        assert_eq!(query.get("x"), Some("a b&c=d/é,1"));
    }
}
