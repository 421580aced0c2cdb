//! Replacing a citizen's key: the civil registry starts it after checking the person in
//! person; the citizen accepts with the new key (feeless) and, after the notice period in
//! which the old key may object, completes it; a court confirms or cancels a disputed one.

use crate::{
	act::act,
	chain::{parse_account, Chain, Endpoint},
	elections::Output,
	registry::citizen_id,
	secret::SignerArgs,
};
use anyhow::Result;
use clap::Subcommand;
use pallet_identity_registry::Call as RegistryCall;

#[derive(Subcommand)]
pub enum RotationCommand {
	/// Start replacing a citizen's account with a new one (civil registry).
	Start {
		/// Citizen id or current account.
		citizen: String,
		/// The new account (SS58 address).
		new_account: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Accept, signing with the new key (feeless, needs no tokens): the notice period
	/// starts.
	Accept {
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Complete after the notice period, signing with the new key (feeless).
	Complete {
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Object with the current key: the rotation then needs a court's confirmation.
	Object {
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Confirm an accepted rotation by court order (court): it completes now.
	Confirm {
		/// Citizen id or current account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Cancel a pending rotation (civil registry; a court once the old key objected).
	Cancel {
		/// Citizen id or current account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
}

pub async fn run(url: &Endpoint, cmd: RotationCommand, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	let (call, signer) = match cmd {
		RotationCommand::Start { citizen, new_account, signer } => (
			RegistryCall::initiate_account_rotation {
				citizen: citizen_id(&chain, &citizen).await?,
				new_account: parse_account(&new_account)?,
			},
			signer,
		),
		RotationCommand::Accept { signer } => (RegistryCall::accept_account_rotation {}, signer),
		RotationCommand::Complete { signer } => {
			(RegistryCall::complete_account_rotation {}, signer)
		},
		RotationCommand::Object { signer } => (RegistryCall::object_to_account_rotation {}, signer),
		RotationCommand::Confirm { citizen, signer } => (
			RegistryCall::confirm_account_rotation { citizen: citizen_id(&chain, &citizen).await? },
			signer,
		),
		RotationCommand::Cancel { citizen, signer } => (
			RegistryCall::cancel_account_rotation { citizen: citizen_id(&chain, &citizen).await? },
			signer,
		),
	};
	act(&chain, &signer, call, out).await.map(|_| ())
}
