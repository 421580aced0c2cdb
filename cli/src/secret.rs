//! Where a command's signing key comes from. Never from the command line, where every user
//! of the machine sees it (`ps`, `/proc`) and the shell keeps it in its history; the dev
//! chain's keys (`//Alice`, `//Bob/stash`) are the exception, since they derive from a
//! phrase everyone knows.

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use polkadot_sdk::sp_core::{sr25519, Pair};
use std::{io::IsTerminal, path::PathBuf};

/// The environment variable a signing secret may come from.
pub const SECRET_ENV: &str = "EGOV_SEED";

/// The signer of a command: `--seed //Dev` on the dev chain, else `--seed-file`, else
/// `$EGOV_SEED`, else a prompt on the terminal.
#[derive(Args, Clone, Debug)]
pub struct SignerArgs {
	/// A dev key of the dev chain (`//Alice`, `//Bob`, `//Alice/stash`): public, derived from
	/// the well-known dev phrase. Real secrets are refused here; use --seed-file,
	/// $EGOV_SEED or the prompt.
	#[arg(long, global = true)]
	pub seed: Option<String>,
	/// A file holding the signer's secret (mnemonic, `0x` seed or secret URI); it must be
	/// readable by its owner only.
	#[arg(long, global = true)]
	pub seed_file: Option<PathBuf>,
}

impl SignerArgs {
	/// The signing key, from the first source given (see [`SignerArgs`]).
	pub fn pair(&self) -> Result<sr25519::Pair> {
		if let Some(uri) = &self.seed {
			if !is_dev_uri(uri) {
				bail!(
					"a secret on the command line is visible to every user of this machine and \
					 stays in shell history: --seed takes only dev keys (//Alice); give a real \
					 secret with --seed-file FILE, ${SECRET_ENV} or at the prompt"
				);
			}
			return signer(uri);
		}
		if let Some(path) = &self.seed_file {
			return signer(read_secret_file(path)?.trim());
		}
		if let Ok(secret) = std::env::var(SECRET_ENV) {
			return signer(secret.trim());
		}
		if std::io::stdin().is_terminal() {
			let secret = rpassword::prompt_password("secret phrase or seed of the signer: ")
				.context("reading the secret from the terminal")?;
			return signer(secret.trim());
		}
		bail!("no signer: give --seed-file FILE, ${SECRET_ENV}, or run on a terminal to be asked")
	}
}

/// A dev-chain key: a hard derivation of the public dev phrase, so not a secret.
pub fn is_dev_uri(uri: &str) -> bool {
	uri.starts_with("//")
}

/// A signing key from a secret URI: `//Alice`, a mnemonic, or `0x…` seed, with optional
/// derivation paths.
pub fn signer(suri: &str) -> Result<sr25519::Pair> {
	// The error would echo the secret; say only what is wrong.
	sr25519::Pair::from_string(suri, None)
		.map_err(|_| anyhow!("the secret is not a mnemonic, a 0x seed or a secret URI"))
}

/// Reads a file that holds a secret, refusing one that others may read (as ssh does).
pub fn read_secret_file(path: &PathBuf) -> Result<String> {
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(path)
			.with_context(|| format!("reading {}", path.display()))?
			.permissions()
			.mode();
		if mode & 0o077 != 0 {
			bail!(
				"{} holds a secret but others may read it (mode {:o}); chmod 600 it",
				path.display(),
				mode & 0o777
			);
		}
	}
	std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Writes a new file that only its owner can read; refuses to overwrite one.
pub fn write_secret_file(path: &PathBuf, contents: &str) -> Result<()> {
	use std::io::Write;
	let mut opts = std::fs::OpenOptions::new();
	opts.write(true).create_new(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
	opts.open(path)
		.with_context(|| format!("creating {}", path.display()))?
		.write_all(contents.as_bytes())?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	const PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

	#[test]
	fn a_real_secret_on_the_command_line_is_refused() {
		let args = SignerArgs { seed: Some(PHRASE.into()), seed_file: None };
		let err = args.pair().map(|_| ()).unwrap_err().to_string();
		assert!(err.contains("only dev keys"), "{err}");
		assert!(!err.contains("bottom"), "the refusal must not echo the secret: {err}");
		let seed = SignerArgs { seed: Some(format!("0x{}", "11".repeat(32))), seed_file: None };
		assert!(seed.pair().is_err());
	}

	#[test]
	fn dev_keys_stay_usable_on_the_command_line() {
		let args = SignerArgs { seed: Some("//Alice".into()), seed_file: None };
		assert_eq!(
			args.pair().map(|p| p.public()).ok(),
			signer("//Alice").ok().map(|p| p.public())
		);
	}

	#[test]
	fn a_secret_file_others_can_read_is_refused() {
		let dir = std::env::temp_dir().join(format!("egov-secret-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let private = dir.join("private");
		let _ = std::fs::remove_file(&private);
		write_secret_file(&private, PHRASE).unwrap();
		let args = SignerArgs { seed: None, seed_file: Some(private.clone()) };
		assert_eq!(args.pair().map(|p| p.public()).ok(), signer(PHRASE).ok().map(|p| p.public()));
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o644)).unwrap();
			let err = args.pair().map(|_| ()).unwrap_err().to_string();
			assert!(err.contains("chmod 600"), "{err}");
		}
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
