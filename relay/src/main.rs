//! The upstream Polkadot relay-chain node, unchanged: the validators of the local network.

fn main() -> color_eyre::eyre::Result<()> {
	color_eyre::install()?;
	polkadot_cli::run()?;
	Ok(())
}
