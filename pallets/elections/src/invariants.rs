//! What must hold of this pallet's storage after every block: checked by `try_state` (the
//! try-runtime checks of an upgrade, `egov-node try-upgrade`) and after every unit test.
//!
//! The checks recount each election from its stored ballots, as an observer would: a
//! migration or a bug that changed a tally, dropped or duplicated a ballot, or mixed up
//! tracking codes, turnout or shares is caught before the upgrade is enacted.

use super::*;
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use polkadot_sdk::sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks every election's invariants; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		ensure!(CheckedBallot::<T>::get().is_none(), "a checked ballot outlived its extrinsic");
		ensure!(QueuedBallots::<T>::get().is_empty(), "queued ballots outlived their block");
		ensure!(LastQueuedElection::<T>::get().is_none(), "a queued election outlived its block");
		let next = NextElectionId::<T>::get();
		for (id, e) in Elections::<T>::iter() {
			ensure!(id < next, "an election id is not below NextElectionId");
			Self::check_key_generation(id, &e)?;
			Self::check_ballots(id, &e)?;
			Self::check_result_record(id, &e)?;
		}
		let known = |id: &ElectionId| Elections::<T>::contains_key(id);
		ensure!(Tallies::<T>::iter_keys().all(|id| known(&id)), "a tally without its election");
		ensure!(
			Ballots::<T>::iter_keys().all(|(id, _)| known(&id)),
			"a ballot without its election"
		);
		ensure!(
			KeyCommitments::<T>::iter_keys().all(|id| known(&id)),
			"key commitments without their election"
		);
		ensure!(Results::<T>::iter_keys().all(|id| known(&id)), "a result without its election");
		ensure!(
			ShareConfirmations::<T>::iter_keys().all(|(id, _)| known(&id))
				&& Disqualified::<T>::iter_keys().all(|(id, _)| known(&id)),
			"a share confirmation or disqualification without its election"
		);
		Ok(())
	}

	/// Contributions come from the election's trustees, each at most once (storage is keyed
	/// by trustee index); every disqualification is proven by its complaint; the joint key
	/// is the sum of the qualified dealings and exists once every qualified trustee
	/// confirmed its shares.
	fn check_key_generation(
		id: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
	) -> Result<(), TryRuntimeError> {
		let n = e.params.trustees.len() as u32;
		let is_trustee = |j: u32| (1..=n).contains(&j);
		ensure!(
			TransportKeys::<T>::iter_key_prefix(id).all(is_trustee),
			"a transport key from a trustee index outside the election"
		);
		ensure!(
			Dealings::<T>::iter_key_prefix(id).all(is_trustee),
			"a dealing from a trustee index outside the election"
		);
		ensure!(
			DecryptionShares::<T>::iter_key_prefix(id).all(is_trustee),
			"a decryption share from a trustee index outside the election"
		);
		ensure!(
			ShareConfirmations::<T>::iter_key_prefix(id).all(is_trustee),
			"a share confirmation from a trustee index outside the election"
		);
		for (dealer, d) in Disqualified::<T>::iter_prefix(id) {
			let dealing =
				Dealings::<T>::get(id, dealer).ok_or("a disqualified dealer without a dealing")?;
			let key = TransportKeys::<T>::get(id, d.complainer)
				.ok_or("a complaint from a trustee without a transport key")?;
			ensure!(
				d.complainer != dealer
					&& d.complaint
						.convicts(
							&Self::dkg_context(id, e, dealer),
							&dealing,
							d.complainer,
							&key.key
						)
						.is_ok(),
				"a disqualification its complaint does not prove"
			);
		}
		if Dealings::<T>::iter_key_prefix(id).next().is_some() {
			ensure!(
				(1..=n).all(|j| TransportKeys::<T>::contains_key(id, j)),
				"a dealing before every transport key"
			);
		}
		// The roll is fixed exactly when voting opens (a cancelled election may have either).
		let opened = matches!(
			e.status,
			ElectionStatus::Voting | ElectionStatus::Tallying | ElectionStatus::Final
		);
		ensure!(
			e.status == ElectionStatus::Cancelled || e.roll_fixed_at.is_some() == opened,
			"an electoral roll fixed other than when voting opened"
		);
		ensure!(
			e.roll_fixed_at.is_none_or(|b| b <= frame_system::Pallet::<T>::block_number()),
			"an electoral roll fixed in the future"
		);
		let keyed = !matches!(e.status, ElectionStatus::KeyGeneration | ElectionStatus::Cancelled);
		match (e.status, e.public_key) {
			(ElectionStatus::KeyGeneration, key) => {
				ensure!(key.is_none(), "a joint key before key generation completed");
				ensure!(
					!KeyCommitments::<T>::contains_key(id),
					"key commitments before key generation completed"
				);
			},
			(_, Some(key)) => {
				let qualified = Self::qualified_dealers(id, n);
				let dealings: Vec<Dealing> =
					qualified.iter().filter_map(|j| Dealings::<T>::get(id, j)).collect();
				ensure!(
					(1..=n).all(|j| Dealings::<T>::contains_key(id, j)),
					"a joint key without every dealing"
				);
				ensure!(
					qualified.iter().all(|j| ShareConfirmations::<T>::contains_key(id, j)),
					"a joint key before every qualified trustee confirmed its shares"
				);
				let commitments: Vec<&[[u8; 32]]> =
					dealings.iter().map(|d| &d.commitments[..]).collect();
				let aggregate = egov_ballot::aggregate_commitments(&commitments)
					.map_err(|_| "the dealings' commitments do not aggregate")?;
				ensure!(
					KeyCommitments::<T>::get(id).as_ref() == Some(&aggregate),
					"the key commitments are not the sum of the dealings"
				);
				ensure!(aggregate.first() == Some(&key), "the joint key is not A_0");
			},
			(_, None) => ensure!(!keyed, "an election past key generation without a joint key"),
		}
		Ok(())
	}

	/// Recounts the election from its ballots: the tally, voters, ballots cast, turnout and
	/// tracking codes all follow from the stored ballots.
	fn check_ballots(
		id: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
	) -> Result<(), TryRuntimeError> {
		let spec = e.params.kind.spec(e.params.options.len() as u32);
		let stored = Tallies::<T>::get(id).ok_or("an election without its tally")?;
		ensure!(stored.len() == spec.ciphertexts() as usize, "a tally of the wrong shape");
		// Governance may cancel an election after voting opened: its ballots stay.
		let voting_began = matches!(
			e.status,
			ElectionStatus::Voting
				| ElectionStatus::Tallying
				| ElectionStatus::Final
				| ElectionStatus::Cancelled
		);

		let mut tally = Tally::new(&spec);
		let (mut voters, mut casts) = (0u32, 0u32);
		let mut per_district = BTreeMap::<DistrictId, u32>::new();
		#[cfg(feature = "next-release")]
		let mut revotes = BTreeMap::<DistrictId, u32>::new();
		for (citizen, b) in Ballots::<T>::iter_prefix(id) {
			ensure!(voting_began, "a ballot in an election that never opened");
			ensure!(
				e.roll_fixed_at.is_some_and(|roll| roll <= b.cast_at),
				"a ballot cast before the roll was fixed"
			);
			// One entry per citizen (the key); the code ties the entry to this citizen,
			// their account and exactly this ballot.
			ensure!(
				b.tracking_code == tracking_code(id, citizen, &b.voter.encode(), &b.ballot),
				"a ballot's tracking code does not match the ballot"
			);
			let mut codes = BTreeSet::new();
			for code in b.superseded.iter().chain([&b.tracking_code]) {
				ensure!(
					tracking_code_owner(code) == (id, citizen),
					"a tracking code points to another election or citizen"
				);
				ensure!(codes.insert(*code), "a tracking code appears twice in one entry");
			}
			ensure!(
				b.casts() <= T::MaxBallotsPerVoter::get(),
				"more ballots than a voter may cast"
			);
			tally
				.add(&b.ballot.ciphertexts)
				.map_err(|_| "a counted ballot of the wrong shape")?;
			voters = voters.saturating_add(1);
			casts = casts.saturating_add(b.casts());
			*per_district.entry(b.district).or_default() += 1;
			#[cfg(feature = "next-release")]
			if !b.superseded.is_empty() {
				*revotes.entry(b.district).or_default() += b.superseded.len() as u32;
			}
		}
		ensure!(
			tally.ciphertexts().as_ref() == Ok(&stored),
			"the tally is not the sum of the counted ballots"
		);
		ensure!(voters == e.voters, "the voter count is not the number of counted ballots");
		ensure!(casts == e.ballots_cast, "ballots cast is not the sum of every voter's casts");
		let turnout: BTreeMap<DistrictId, u32> =
			Turnout::<T>::iter_prefix(id).filter(|(_, n)| *n > 0).collect();
		ensure!(turnout == per_district, "turnout per district does not match the ballots");
		#[cfg(feature = "next-release")]
		ensure!(
			Revotes::<T>::iter_prefix(id).collect::<BTreeMap<_, _>>() == revotes,
			"re-votes per district do not match the ballots"
		);
		Ok(())
	}

	/// Shares verify against the final tally under their trustee's key; a result exists
	/// exactly when the election is final and matches the combination of the shares.
	fn check_result_record(
		id: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
	) -> Result<(), TryRuntimeError> {
		let tallying = matches!(
			e.status,
			ElectionStatus::Tallying | ElectionStatus::Final | ElectionStatus::Cancelled
		);
		let shares: Vec<(u32, DecryptionShare)> = DecryptionShares::<T>::iter_prefix(id).collect();
		ensure!(tallying || shares.is_empty(), "a decryption share before voting closed");
		if !shares.is_empty() {
			let tally = Tallies::<T>::get(id).ok_or("an election without its tally")?;
			for (j, share) in &shares {
				let ctx =
					Self::share_context(id, *j).map_err(|_| "no verification key for a share")?;
				share
					.verify(&ctx, &tally)
					.map_err(|_| "a decryption share does not verify under its trustee's key")?;
			}
		}
		let result = Results::<T>::get(id);
		ensure!(
			result.is_some() == (e.status == ElectionStatus::Final),
			"a result exists exactly when the election is final"
		);
		if let Some(counts) = result {
			let tally = Tallies::<T>::get(id).ok_or("an election without its tally")?;
			let spec = e.params.kind.spec(e.params.options.len() as u32);
			let mut shares = shares;
			shares.sort_by_key(|(j, _)| *j);
			shares.truncate(e.params.threshold as usize);
			ensure!(shares.len() as u32 == e.params.threshold, "a result with too few shares");
			let refs: Vec<(u32, &DecryptionShare)> = shares.iter().map(|(j, s)| (*j, s)).collect();
			let combined = egov_ballot::combine_shares(&refs, tally.len())
				.map_err(|_| "the shares do not combine")?;
			egov_ballot::check_result(&spec, &tally, &combined, &counts, e.voters.into())
				.map_err(|_| "the result does not match the decrypted tally")?;
		}
		Ok(())
	}
}
