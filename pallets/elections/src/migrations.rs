//! Storage migrations of the elections pallet, one module per storage version.
//!
//! A chain runs them once, in the block that enacts the runtime carrying them (the
//! runtime's `Migrations` tuple); `egov try-upgrade` runs them first against a copy of the
//! live state, with the checks below.

/// Storage version 1 to 2 (next release): counts the re-votes per district into
/// [`Revotes`](crate::Revotes) from the ballots already cast.
#[cfg(feature = "next-release")]
pub mod v2 {
	use crate::{Ballots, Config, Pallet, Revotes};
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			traits::{Get, UncheckedOnRuntimeUpgrade},
			weights::Weight,
		},
		frame_system,
	};
	#[cfg(feature = "try-runtime")]
	use {
		crate::{DistrictId, ElectionId},
		alloc::{collections::btree_map::BTreeMap, vec::Vec},
		codec::{Decode, Encode},
		polkadot_sdk::{frame_support::ensure, sp_runtime::TryRuntimeError},
	};

	/// Re-votes per district: every ballot entry adds its superseded ballots to the
	/// district of its latest ballot, where `cast_ballot` keeps them from now on.
	///
	/// One read per voter with a ballot and one write per district with re-votes, in the
	/// enacting block: fine for the elections of a test network; for a national election
	/// mid-voting this must become a multi-block migration (`pallet-migrations`), and
	/// `egov try-upgrade` says so by failing on the migration's weight.
	pub struct CountRevotes<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountRevotes<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut entries, mut written) = (0u64, 0u64);
			for (election, _citizen, ballot) in Ballots::<T>::iter() {
				entries += 1;
				let earlier = ballot.superseded.len() as u32;
				if earlier > 0 {
					Revotes::<T>::mutate(election, ballot.district, |n| {
						*n = n.saturating_add(earlier)
					});
					written += 1;
				}
			}
			log::info!(
				target: "runtime::elections",
				"storage v2: re-votes of {entries} ballot entries counted ({written} updates)"
			);
			<T as frame_system::Config>::DbWeight::get().reads_writes(entries + written, written)
		}

		/// The expected counts, from the ballots as they are before the migration.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			ensure!(
				Revotes::<T>::iter().next().is_none(),
				"re-votes are counted before the migration that counts them"
			);
			Ok(expected::<T>().encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let want = BTreeMap::<(ElectionId, DistrictId), u32>::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state does not decode")?;
			let have: BTreeMap<_, _> = Revotes::<T>::iter().map(|(e, d, n)| ((e, d), n)).collect();
			ensure!(have == want, "re-votes per district differ from the ballots");
			ensure!(expected::<T>() == want, "the migration changed the ballots");
			Ok(())
		}
	}

	/// Superseded ballots per (election, district of the latest ballot), from the ballots.
	#[cfg(feature = "try-runtime")]
	fn expected<T: Config>() -> BTreeMap<(ElectionId, DistrictId), u32> {
		let mut out = BTreeMap::new();
		for (election, _, b) in Ballots::<T>::iter() {
			if !b.superseded.is_empty() {
				*out.entry((election, b.district)).or_default() += b.superseded.len() as u32;
			}
		}
		out
	}

	/// [`CountRevotes`], run only on a chain at storage version 1, which it leaves at 2.
	pub type MigrateToV2<T> =
		VersionedMigration<1, 2, CountRevotes<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
