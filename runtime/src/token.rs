// The chain's token as wallets show it. Also read by `build.rs` (through `include!`), which
// puts symbol and decimals into the metadata hash that offline signers check: a chain spec
// declaring other values than these would make every Ledger signature fail.

/// The token's symbol.
pub const TOKEN_SYMBOL: &str = "EGOV";
/// Decimal places of the token: one unit is `10^TOKEN_DECIMALS` of the smallest balance.
pub const TOKEN_DECIMALS: u8 = 12;
