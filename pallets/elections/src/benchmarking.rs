//! Benchmarks of the elections pallet (FRAME benchmarking v2), each in its worst case: the
//! last confirmation or complaint (which completes the key), a re-vote (subtract the old
//! ballot, add the new), the most options and trustees.

use super::*;
use alloc::{vec, vec::Vec};
use egov_ballot::{BallotSpec, RistrettoPoint, Scalar};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		dispatch::{DispatchInfo, GetDispatchInfo, PostDispatchInfo},
		traits::{EnsureOrigin, IsSubType},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_runtime::traits::{AsSystemOriginSigner, DispatchTransaction, Dispatchable},
};
use rand_core::{CryptoRng, RngCore};

/// Deterministic randomness for building benchmark inputs inside the runtime. Never used
/// outside benchmarks: real ballots and keys are made by clients with OS randomness.
struct BenchRng(u64);
impl RngCore for BenchRng {
	fn next_u32(&mut self) -> u32 {
		self.next_u64() as u32
	}
	fn next_u64(&mut self) -> u64 {
		let mut b = [0u8; 8];
		self.fill_bytes(&mut b);
		u64::from_le_bytes(b)
	}
	fn fill_bytes(&mut self, dest: &mut [u8]) {
		for chunk in dest.chunks_mut(32) {
			self.0 += 1;
			let h = polkadot_sdk::sp_io::hashing::blake2_256(&self.0.to_le_bytes());
			chunk.copy_from_slice(&h[..chunk.len()]);
		}
	}
	fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
		self.fill_bytes(dest);
		Ok(())
	}
}
impl CryptoRng for BenchRng {}

fn trustees<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who: T::AccountId = account("trustee", i, 0);
			T::Authorities::grant_role(&who, Role::ElectionTrustee);
			who
		})
		.collect()
}

fn label(i: u32) -> Label {
	BoundedVec::truncate_from(alloc::format!("option {i}").into_bytes())
}

fn params<T: Config>(
	kind: BallotKind,
	options: u32,
	trustees: &[T::AccountId],
	threshold: u32,
) -> ElectionParams<T::AccountId, BlockNumberFor<T>> {
	ElectionParams {
		title: BoundedVec::truncate_from(vec![b'x'; MAX_TITLE_LEN as usize]),
		kind,
		options: BoundedVec::truncate_from((0..options).map(label).collect()),
		districts: BoundedVec::truncate_from((0..MAX_DISTRICTS).collect()),
		voting_opens: Moment::Block(0u32.into()),
		voting_closes: Moment::Block(1_000_000u32.into()),
		election_day: 0,
		trustees: BoundedVec::truncate_from(trustees.to_vec()),
		threshold,
	}
}

/// Creates an election through the call; returns its id.
fn create<T: Config>(
	kind: BallotKind,
	options: u32,
	n: u32,
	threshold: u32,
) -> Result<(ElectionId, Vec<T::AccountId>), BenchmarkError> {
	let ts = trustees::<T>(n);
	let origin = T::CommissionOrigin::try_successful_origin()
		.map_err(|_| BenchmarkError::Stop("no commission origin"))?;
	let id = NextElectionId::<T>::get();
	Pallet::<T>::create_election(origin, params::<T>(kind, options, &ts, threshold))?;
	Ok((id, ts))
}

fn dkg_ctx<T: Config>(id: ElectionId, index: u32, n: u32, threshold: u32) -> DkgContext {
	DkgContext {
		genesis_hash: Pallet::<T>::genesis_hash(),
		election_id: id,
		trustee_index: index,
		trustees: n,
		threshold,
	}
}

/// Puts an election straight into a state with a joint key whose polynomial we know.
/// Returns the polynomial's coefficients (trustee `j`'s secret is `f(j)`).
fn known_key<T: Config>(
	id: ElectionId,
	threshold: u32,
	status: ElectionStatus,
) -> Result<Vec<Scalar>, BenchmarkError> {
	let mut rng = BenchRng(id);
	let coefficients: Vec<Scalar> = (0..threshold).map(|_| Scalar::random(&mut rng)).collect();
	let aggregate: egov_ballot::Commitments = coefficients
		.iter()
		.map(|a| RistrettoPoint::mul_base(a).compress().to_bytes())
		.collect::<Vec<_>>()
		.try_into()
		.map_err(|_| BenchmarkError::Stop("threshold over MAX_TRUSTEES"))?;
	let mut e = Elections::<T>::get(id).ok_or(BenchmarkError::Stop("no election"))?;
	e.public_key = Some(*aggregate.first().ok_or(BenchmarkError::Stop("threshold 0"))?);
	e.status = status;
	e.roll_fixed_at = roll_for::<T>(status);
	Elections::<T>::insert(id, e);
	KeyCommitments::<T>::insert(id, aggregate);
	Ok(coefficients)
}

fn set_status<T: Config>(id: ElectionId, status: ElectionStatus) -> Result<(), BenchmarkError> {
	let mut e = Elections::<T>::get(id).ok_or(BenchmarkError::Stop("no election"))?;
	e.status = status;
	e.roll_fixed_at = roll_for::<T>(status);
	Elections::<T>::insert(id, e);
	Ok(())
}

/// The roll an election in `status` has: fixed now if voting opened (voters registered in
/// this block are on it).
fn roll_for<T: Config>(status: ElectionStatus) -> Option<BlockNumberFor<T>> {
	matches!(status, ElectionStatus::Voting | ElectionStatus::Tallying | ElectionStatus::Final)
		.then(frame_system::Pallet::<T>::block_number)
}

fn secret_of(coefficients: &[Scalar], j: u32) -> Scalar {
	let x = Scalar::from(u64::from(j));
	coefficients.iter().rev().fold(Scalar::ZERO, |acc, a| acc * x + a)
}

fn voter<T: Config>(i: u32) -> Result<T::AccountId, BenchmarkError> {
	let who: T::AccountId = account("voter", i, 0);
	T::Citizens::register_for_benchmarks(&who, 0)
		.ok_or(BenchmarkError::Stop("the registry cannot register benchmark citizens"))?;
	Ok(who)
}

fn ballot<T: Config>(
	id: ElectionId,
	who: &T::AccountId,
	spec: &BallotSpec,
	seed: u64,
) -> Result<EncryptedBallot, BenchmarkError> {
	let e = Elections::<T>::get(id).ok_or(BenchmarkError::Stop("no election"))?;
	let ctx = BallotContext {
		genesis_hash: Pallet::<T>::genesis_hash(),
		election_id: id,
		voter: who.encode(),
		public_key: e.public_key.ok_or(BenchmarkError::Stop("no key"))?,
	};
	let choices: Vec<bool> = (0..spec.options).map(|i| i < spec.max_selections).collect();
	egov_ballot::encrypt_ballot(&ctx, spec, &choices, &mut BenchRng(seed))
		.map(|(b, _)| b)
		.map_err(|_| BenchmarkError::Stop("ballot"))
}

/// A voting election of `kind` with `o` options where a voter has cast one ballot; returns
/// the election, the voter and their second ballot (a re-vote: the worst case of a cast).
fn revote<T: Config>(
	kind: BallotKind,
	o: u32,
) -> Result<(ElectionId, T::AccountId, EncryptedBallot), BenchmarkError> {
	let (id, _) = create::<T>(kind, o, 3, 2)?;
	known_key::<T>(id, 2, ElectionStatus::Voting)?;
	let who = voter::<T>(0)?;
	let spec = kind.spec(o);
	Pallet::<T>::cast_ballot(
		RawOrigin::Signed(who.clone()).into(),
		id,
		ballot::<T>(id, &who, &spec, 1)?,
	)?;
	let second = ballot::<T>(id, &who, &spec, 2)?;
	Ok((id, who, second))
}

/// Queues `n` valid referendum ballots of election `id` (voters from `first`), at most
/// what a block holds; returns how many.
fn queue<T: Config>(id: ElectionId, n: u32, first: u32) -> Result<u32, BenchmarkError> {
	let e = Elections::<T>::get(id).ok_or(BenchmarkError::Stop("no election"))?;
	let public_key = e.public_key.ok_or(BenchmarkError::Stop("no key"))?;
	let spec = BallotSpec::REFERENDUM;
	let n = n.min(T::MaxBallotsPerBlock::get().saturating_sub(first));
	let mut queued = Vec::new();
	for i in first..first + n {
		let voter: T::AccountId = account("queued", i, 0);
		let ballot = ballot::<T>(id, &voter, &spec, i as u64)?;
		queued.push(QueuedBallot { election: id, public_key, spec, voter, ballot });
	}
	let queued: BoundedVec<_, T::MaxBallotsPerBlock> =
		queued.try_into().map_err(|_| BenchmarkError::Stop("queue over its bound"))?;
	QueuedBallots::<T>::put(queued);
	Ok(n)
}

/// Every trustee's transport key and dealing for election `id` (`n` trustees), written
/// straight to storage; with `cheat = Some((i, j))` dealer `i`'s share for `j` is wrong.
/// Returns the transport secrets, by index from 1.
fn dealt<T: Config>(
	id: ElectionId,
	n: u32,
	threshold: u32,
	cheat: Option<(u32, u32)>,
) -> Result<Vec<Scalar>, BenchmarkError> {
	let mut rng = BenchRng(7);
	let mut secrets = Vec::new();
	let mut keys = Vec::new();
	for j in 1..=n {
		let (secret, key) = TransportKey::generate(&dkg_ctx::<T>(id, j, n, threshold), &mut rng);
		keys.push(key.key);
		TransportKeys::<T>::insert(id, j, key);
		secrets.push(secret);
	}
	for i in 1..=n {
		let mut d = Dealing::create(&dkg_ctx::<T>(id, i, n, threshold), &keys, &mut rng)
			.map_err(|_| BenchmarkError::Stop("dealing"))?;
		if let Some((dealer, victim)) = cheat {
			if dealer == i {
				let share = &mut d.shares[victim as usize - 1];
				let bumped = Option::<Scalar>::from(Scalar::from_canonical_bytes(share.masked))
					.ok_or(BenchmarkError::Stop("share"))?
					+ Scalar::ONE;
				share.masked = bumped.to_bytes();
			}
		}
		Dealings::<T>::insert(id, i, d);
	}
	Ok(secrets)
}

/// An approval kind whose sum proof has `s` branches (`0..=s−1` selections).
fn kind_with_sum_branches(o: u32, s: u32) -> BallotKind {
	BallotKind::Approval { max_selections: (s - 1).min(o) }
}

#[benchmarks(where
	T: Send + Sync,
	<T as frame_system::Config>::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>
		+ IsSubType<Call<T>>
		+ From<Call<T>>
		+ GetDispatchInfo,
	<T as frame_system::Config>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_election(
		o: Linear<2, { egov_ballot::MAX_OPTIONS }>,
		t: Linear<2, MAX_TRUSTEES>,
	) -> Result<(), BenchmarkError> {
		let ts = trustees::<T>(t);
		let origin = T::CommissionOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Stop("no commission origin"))?;
		let p = params::<T>(BallotKind::SingleChoice, o, &ts, 2);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, p);

		assert_eq!(NextElectionId::<T>::get(), 1);
		Ok(())
	}

	#[benchmark]
	fn submit_transport_key() -> Result<(), BenchmarkError> {
		let (id, ts) = create::<T>(BallotKind::Referendum, 2, 3, 2)?;
		let (_, key) = TransportKey::generate(&dkg_ctx::<T>(id, 1, 3, 2), &mut BenchRng(1));
		#[extrinsic_call]
		_(RawOrigin::Signed(ts[0].clone()), id, key);

		assert!(TransportKeys::<T>::contains_key(id, 1));
		Ok(())
	}

	/// The last dealing, of the most trustees and commitments.
	#[benchmark]
	fn submit_dealing(
		n: Linear<2, MAX_TRUSTEES>,
		t: Linear<2, MAX_TRUSTEES>,
	) -> Result<(), BenchmarkError> {
		let threshold = t.min(n);
		let (id, ts) = create::<T>(BallotKind::Referendum, 2, n, threshold)?;
		let mut rng = BenchRng(7);
		let keys: Vec<[u8; 32]> = (1..=n)
			.map(|j| {
				let (_, key) = TransportKey::generate(&dkg_ctx::<T>(id, j, n, threshold), &mut rng);
				let k = key.key;
				TransportKeys::<T>::insert(id, j, key);
				k
			})
			.collect();
		for j in 1..n {
			let d = Dealing::create(&dkg_ctx::<T>(id, j, n, threshold), &keys, &mut rng)
				.map_err(|_| BenchmarkError::Stop("dealing"))?;
			Dealings::<T>::insert(id, j, d);
		}
		let last = Dealing::create(&dkg_ctx::<T>(id, n, n, threshold), &keys, &mut rng)
			.map_err(|_| BenchmarkError::Stop("dealing"))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(ts[n as usize - 1].clone()), id, last);

		assert!(Dealings::<T>::contains_key(id, n));
		Ok(())
	}

	/// The last confirmation: it builds the key from `n` dealings of `t` commitments.
	#[benchmark]
	fn confirm_shares(
		n: Linear<2, MAX_TRUSTEES>,
		t: Linear<2, MAX_TRUSTEES>,
	) -> Result<(), BenchmarkError> {
		let threshold = t.min(n);
		let (id, ts) = create::<T>(BallotKind::Referendum, 2, n, threshold)?;
		dealt::<T>(id, n, threshold, None)?;
		for j in 1..n {
			ShareConfirmations::<T>::insert(id, j, ());
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(ts[n as usize - 1].clone()), id);

		assert_eq!(Elections::<T>::get(id).map(|e| e.status), Some(ElectionStatus::Ready));
		Ok(())
	}

	/// A complaint that convicts, by the last trustee still to act: it also builds the key.
	#[benchmark]
	fn file_complaint(
		n: Linear<3, MAX_TRUSTEES>,
		t: Linear<2, MAX_TRUSTEES>,
	) -> Result<(), BenchmarkError> {
		// Below `n`, so that the dealers left after the conviction still reach it.
		let threshold = t.min(n - 1);
		let (id, ts) = create::<T>(BallotKind::Referendum, 2, n, threshold)?;
		// Dealer 1 cheats trustee n; every trustee confirmed the shares that do open, so
		// convicting dealer 1 completes the key.
		let transport = dealt::<T>(id, n, threshold, Some((1, n)))?;
		for j in 1..=n {
			ShareConfirmations::<T>::insert(id, j, ());
		}
		let dealing = Dealings::<T>::get(id, 1).ok_or(BenchmarkError::Stop("no dealing"))?;
		let complaint = egov_ballot::Complaint::create(
			&dkg_ctx::<T>(id, 1, n, threshold),
			&dealing,
			n,
			&transport[n as usize - 1],
			&mut BenchRng(11),
		)
		.map_err(|_| BenchmarkError::Stop("complaint"))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(ts[n as usize - 1].clone()), id, 1, complaint);

		assert!(Disqualified::<T>::contains_key(id, 1));
		assert_eq!(Elections::<T>::get(id).map(|e| e.status), Some(ElectionStatus::Ready));
		Ok(())
	}

	#[benchmark]
	fn cancel_election() -> Result<(), BenchmarkError> {
		let (id, _) = create::<T>(BallotKind::Referendum, 2, 3, 2)?;
		let origin = T::CommissionOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Stop("no commission origin"))?;
		let reason: Reason = BoundedVec::truncate_from(vec![b'r'; MAX_REASON_LEN as usize]);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, reason);

		assert_eq!(Elections::<T>::get(id).map(|e| e.status), Some(ElectionStatus::Cancelled));
		Ok(())
	}

	#[benchmark]
	fn open_voting() -> Result<(), BenchmarkError> {
		let (id, _) = create::<T>(BallotKind::Referendum, 2, 3, 2)?;
		known_key::<T>(id, 2, ElectionStatus::Ready)?;
		let origin = T::CommissionOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Stop("no commission origin"))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Elections::<T>::get(id).map(|e| e.status), Some(ElectionStatus::Voting));
		Ok(())
	}

	/// A re-vote in a referendum or single-choice election of `o` options (`o − 1`
	/// ciphertexts; a two-branch sum proof, none for `o = 2`): verify, subtract the old
	/// ballot, add the new one.
	#[benchmark]
	fn cast_ballot_single(
		o: Linear<2, { egov_ballot::MAX_OPTIONS }>,
	) -> Result<(), BenchmarkError> {
		let (id, who, second) = revote::<T>(BallotKind::SingleChoice, o)?;
		#[extrinsic_call]
		cast_ballot(RawOrigin::Signed(who), id, second);

		assert_eq!(Elections::<T>::get(id).map(|e| e.ballots_cast), Some(2));
		Ok(())
	}

	/// A re-vote in an approval election of `o` options whose sum proof has `s` branches.
	#[benchmark]
	fn cast_ballot_approval(
		o: Linear<2, { egov_ballot::MAX_OPTIONS }>,
		s: Linear<2, { egov_ballot::MAX_SUM_RANGE }>,
	) -> Result<(), BenchmarkError> {
		let (id, who, second) = revote::<T>(kind_with_sum_branches(o, s), o)?;
		#[extrinsic_call]
		cast_ballot(RawOrigin::Signed(who), id, second);

		assert_eq!(Elections::<T>::get(id).map(|e| e.ballots_cast), Some(2));
		Ok(())
	}

	/// A referendum re-vote in a block, as the block applies it: [`CheckBallot`] checks its
	/// rules and challenges, then the call queues its proofs (behind another ballot, so it
	/// does not open the batch), subtracts the old ballot and adds the new one. Storage the
	/// extension and the call both read is counted once, as the block reads it once.
	#[benchmark]
	fn cast_ballot_queued() -> Result<(), BenchmarkError> {
		let (id, who, second) = revote::<T>(BallotKind::Referendum, 2)?;
		queue::<T>(id, 1, 1)?;
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::<T>::cast_ballot { election: id, ballot: second }.into();
		let info = call.get_dispatch_info();
		let origin: <T as frame_system::Config>::RuntimeOrigin = RawOrigin::Signed(who).into();
		let applied;
		#[block]
		{
			applied = CheckBallot::<T>::new().dispatch_transaction(origin, call, &info, 0, 0);
		}

		assert!(matches!(applied, Ok(Ok(_))));
		assert_eq!(Elections::<T>::get(id).map(|e| e.ballots_cast), Some(2));
		assert_eq!(QueuedBallots::<T>::decode_len(), Some(2));
		Ok(())
	}

	/// The batch check of `n` queued referendum ballots (of `n` voters): one multi-scalar
	/// multiplication. Measured up to 1,024 ballots; a larger batch costs less per ballot
	/// (larger Pippenger windows), so the fitted line bounds it. The queue never reaches the database (it is emptied in its block),
	/// so reading it adds nothing to the proof.
	#[benchmark(pov_mode = MaxEncodedLen { Elections::QueuedBallots: Ignored })]
	fn verify_queued_ballots(n: Linear<1, 1024>) -> Result<(), BenchmarkError> {
		let (id, _) = create::<T>(BallotKind::Referendum, 2, 3, 2)?;
		known_key::<T>(id, 2, ElectionStatus::Voting)?;
		let n = queue::<T>(id, n, 0)?;
		#[block]
		{
			Pallet::<T>::verify_queued_ballots();
		}

		assert!(QueuedBallots::<T>::get().is_empty());
		assert!(n > 0);
		Ok(())
	}

	#[benchmark]
	fn close_voting() -> Result<(), BenchmarkError> {
		let (id, _) = create::<T>(BallotKind::Referendum, 2, 3, 2)?;
		known_key::<T>(id, 2, ElectionStatus::Voting)?;
		let closes = 1_000_000u32.into();
		frame_system::Pallet::<T>::set_block_number(closes);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert_eq!(Elections::<T>::get(id).map(|e| e.status), Some(ElectionStatus::Tallying));
		Ok(())
	}

	/// A share of an `o`-option tally by a trustee of a threshold-`t` key.
	#[benchmark]
	fn submit_decryption_share(
		o: Linear<2, { egov_ballot::MAX_OPTIONS }>,
		t: Linear<2, MAX_TRUSTEES>,
	) -> Result<(), BenchmarkError> {
		let (id, ts) = create::<T>(BallotKind::SingleChoice, o, t, t)?;
		let poly = known_key::<T>(id, t, ElectionStatus::Voting)?;
		let who = voter::<T>(0)?;
		let spec = BallotKind::SingleChoice.spec(o);
		Pallet::<T>::cast_ballot(
			RawOrigin::Signed(who.clone()).into(),
			id,
			ballot::<T>(id, &who, &spec, 1)?,
		)?;
		set_status::<T>(id, ElectionStatus::Tallying)?;
		let tally = Tallies::<T>::get(id).ok_or(BenchmarkError::Stop("no tally"))?;
		let ctx = Pallet::<T>::share_context(id, t).map_err(|_| BenchmarkError::Stop("no key"))?;
		let share = DecryptionShare::create(&ctx, &secret_of(&poly, t), &tally, &mut BenchRng(3))
			.map_err(|_| BenchmarkError::Stop("share"))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(ts[t as usize - 1].clone()), id, share);

		assert!(DecryptionShares::<T>::contains_key(id, t));
		Ok(())
	}

	/// Counts checked against `t` combined shares of an `o`-option tally.
	#[benchmark]
	fn publish_result(
		o: Linear<2, { egov_ballot::MAX_OPTIONS }>,
		t: Linear<2, MAX_TRUSTEES>,
	) -> Result<(), BenchmarkError> {
		let (id, _) = create::<T>(BallotKind::SingleChoice, o, t, t)?;
		let poly = known_key::<T>(id, t, ElectionStatus::Voting)?;
		let who = voter::<T>(0)?;
		let spec = BallotKind::SingleChoice.spec(o);
		Pallet::<T>::cast_ballot(
			RawOrigin::Signed(who.clone()).into(),
			id,
			ballot::<T>(id, &who, &spec, 1)?,
		)?;
		set_status::<T>(id, ElectionStatus::Tallying)?;
		let tally = Tallies::<T>::get(id).ok_or(BenchmarkError::Stop("no tally"))?;
		for j in 1..=t {
			let ctx =
				Pallet::<T>::share_context(id, j).map_err(|_| BenchmarkError::Stop("no key"))?;
			let share = DecryptionShare::create(
				&ctx,
				&secret_of(&poly, j),
				&tally,
				&mut BenchRng(j.into()),
			)
			.map_err(|_| BenchmarkError::Stop("share"))?;
			DecryptionShares::<T>::insert(id, j, share);
		}
		let mut counts = vec![0u64; o as usize];
		counts[0] = 1;
		let counts = Counts::try_from(counts).map_err(|_| BenchmarkError::Stop("counts"))?;
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, counts);

		assert!(Results::<T>::contains_key(id));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
