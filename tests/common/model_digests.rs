//! Digests of each scenario's default event log, pinned natively and checked in the browser.

/// (scenario, FNV-1a digest of its JSON-lines event log with default options). Cache-aside and
/// write-around share one: both write paths are "database, then invalidate" by definition; the
/// demos differ in what they compare them with.
pub const DIGESTS: &[(&str, u64)] = &[
    ("cache-aside", 0xc23c_0407_ccfd_ab3d),
    ("read-through", 0x52f6_aa9b_bb6b_aa2d),
    ("write-through", 0x448a_0d74_2621_a983),
    ("write-behind", 0xa88d_9a68_8aa9_d5e6),
    ("write-around", 0xc23c_0407_ccfd_ab3d),
    ("update-race", 0x2387_53fb_2a66_a5a8),
    ("stampede", 0x8699_1820_4815_16f2),
    ("expiry-storm", 0xf27f_cb4a_7236_5176),
    ("e-commerce", 0x2af5_f60e_4af8_fc72),
    ("penetration", 0xdb7d_c56c_83a7_b77b),
];
