//! Digests of each scenario's default event log, pinned natively and checked in the browser.

/// (scenario, FNV-1a digest of its JSON-lines event log with default options). Cache-aside and
/// write-around share one: both write paths are "database, then invalidate" by definition; the
/// demos differ in what they compare them with.
pub const DIGESTS: &[(&str, u64)] = &[
    ("cache-aside", 0x0133_e02e_61fe_8697),
    ("read-through", 0xd7f9_7f61_f1b8_2191),
    ("write-through", 0x70db_5bbc_161c_29de),
    ("write-behind", 0x42d4_aae2_3a72_61ad),
    ("write-around", 0x0133_e02e_61fe_8697),
    ("update-race", 0x2387_53fb_2a66_a5a8),
    ("stampede", 0x8699_1820_4815_16f2),
    ("expiry-storm", 0xf27f_cb4a_7236_5176),
    ("e-commerce", 0x2af5_f60e_4af8_fc72),
    ("penetration", 0xdb7d_c56c_83a7_b77b),
];
