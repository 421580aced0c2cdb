use crate::{mock::Elections, Elections as ElectionStore};
use crate::{mock::*, *};
use egov_ballot::{BallotSpec, Complaint, Scalar};
use egov_primitives::{CitizenId, Majority};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::CheckIfFeeless,
		traits::{ConstU32, Hooks},
		BoundedVec,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	pallet_timestamp,
	sp_core::H256,
	sp_runtime::DispatchError,
};
use rand_core::OsRng;

type Params = ElectionParams<u64, BlockNumberFor<Test>>;

fn bounded<S: polkadot_sdk::frame_support::traits::Get<u32>, X: Clone>(
	v: &[X],
) -> BoundedVec<X, S> {
	BoundedVec::truncate_from(v.to_vec())
}

fn labels(n: u32) -> Options {
	bounded::<ConstU32<{ egov_ballot::MAX_OPTIONS }>, Label>(
		&(0..n)
			.map(|i| bounded(format!("option {i}").as_bytes()))
			.collect::<Vec<Label>>(),
	)
}

fn counts(c: &[u64]) -> Counts {
	Counts::try_from(c.to_vec()).unwrap()
}

fn params(kind: BallotKind, options: u32) -> Params {
	ElectionParams {
		title: bounded(b"Referendum on the new constitution"),
		kind,
		options: labels(options),
		districts: bounded(&[7, 8]),
		voting_opens: Moment::Block(2),
		voting_closes: Moment::Block(10),
		election_day: TODAY,
		trustees: bounded(&TRUSTEES),
		threshold: 2,
	}
}

/// Registers a citizen: an adult, or (with `adult_from`) a minor whose majority the civil
/// registry then records for that day.
fn register(account: u64, n: u8, district: u32, adult_from: Option<u32>) -> CitizenId {
	let id = pallet_identity_registry::NextCitizenId::<Test>::get();
	let majority = if adult_from.is_some() { Majority::Minor } else { Majority::Adult };
	assert_ok!(Registry::register_citizen(
		RuntimeOrigin::signed(CIVIL),
		account,
		H256([n; 32]),
		district,
		majority
	));
	if let Some(day) = adult_from {
		assert_ok!(Registry::record_majority(
			RuntimeOrigin::signed(CIVIL),
			BoundedVec::truncate_from(vec![id]),
			day
		));
	}
	id
}

fn adult(account: u64) -> CitizenId {
	register(account, account as u8, 7, None)
}

fn dkg_ctx(election: ElectionId, index: u32) -> DkgContext {
	DkgContext {
		genesis_hash: Elections::genesis_hash(),
		election_id: election,
		trustee_index: index,
		trustees: 3,
		threshold: 2,
	}
}

/// The trustees' side of key generation, as the CLI does it: transport keys, dealings,
/// then every trustee confirms its shares. Returns transport secrets.
fn run_dkg(election: ElectionId) -> Vec<Scalar> {
	let transport = post_dealings(election, &[]);
	for t in TRUSTEES {
		assert_ok!(Elections::confirm_shares(RuntimeOrigin::signed(t), election));
	}
	transport
}

/// Transport keys and dealings of the three trustees; for each `(i, j)` in `cheats`, dealer
/// `i` sends trustee `j` a share that does not match its commitments (the dealing still
/// passes every public check). Returns transport secrets.
fn post_dealings(election: ElectionId, cheats: &[(u32, u32)]) -> Vec<Scalar> {
	let transport: Vec<(Scalar, TransportKey)> = (1..=3)
		.map(|j| TransportKey::generate(&dkg_ctx(election, j), &mut OsRng))
		.collect();
	for (j, (_, tk)) in transport.iter().enumerate() {
		assert_ok!(Elections::submit_transport_key(
			RuntimeOrigin::signed(TRUSTEES[j]),
			election,
			tk.clone()
		));
	}
	let keys: Vec<[u8; 32]> = transport.iter().map(|(_, tk)| tk.key).collect();
	for i in 1..=3u32 {
		let mut d = Dealing::create(&dkg_ctx(election, i), &keys, &mut OsRng).unwrap();
		for (_, victim) in cheats.iter().filter(|(dealer, _)| *dealer == i) {
			let share = &mut d.shares[*victim as usize - 1];
			let bumped = Scalar::from_canonical_bytes(share.masked).unwrap() + Scalar::ONE;
			share.masked = bumped.to_bytes();
		}
		assert_ok!(Elections::submit_dealing(
			RuntimeOrigin::signed(TRUSTEES[i as usize - 1]),
			election,
			d
		));
	}
	transport.into_iter().map(|(s, _)| s).collect()
}

/// Trustee `j`'s secret share, opened from the qualified dealings on chain.
fn trustee_secret(election: ElectionId, j: u32, transport: &[Scalar]) -> Scalar {
	Elections::qualified_dealers(election, 3)
		.into_iter()
		.map(|i| {
			Dealings::<Test>::get(election, i)
				.unwrap()
				.open_share(&dkg_ctx(election, i), j, &transport[j as usize - 1])
				.unwrap()
		})
		.sum()
}

/// An election with its key ready and voting open. Returns the transport secrets.
fn open_election(kind: BallotKind, options: u32) -> (ElectionId, Vec<Scalar>) {
	let election = NextElectionId::<Test>::get();
	assert_ok!(Elections::create_election(
		RuntimeOrigin::signed(COMMISSION),
		params(kind, options)
	));
	let transport = run_dkg(election);
	System::set_block_number(2);
	assert_ok!(Elections::open_voting(RuntimeOrigin::signed(COMMISSION), election));
	(election, transport)
}

fn ballot(election: ElectionId, voter: u64, choices: &[bool]) -> EncryptedBallot {
	let e = ElectionStore::<Test>::get(election).unwrap();
	let ctx = BallotContext {
		genesis_hash: Elections::genesis_hash(),
		election_id: election,
		voter: voter.encode(),
		public_key: e.public_key.unwrap(),
	};
	let spec = e.params.kind.spec(e.params.options.len() as u32);
	egov_ballot::encrypt_ballot(&ctx, &spec, choices, &mut OsRng).unwrap().0
}

fn cast(election: ElectionId, voter: u64, choices: &[bool]) -> H256 {
	assert_ok!(Elections::cast_ballot(
		RuntimeOrigin::signed(voter),
		election,
		ballot(election, voter, choices)
	));
	Ballots::<Test>::iter_prefix_values(election)
		.find(|b| b.voter == voter)
		.unwrap()
		.tracking_code
}

fn close(election: ElectionId) {
	System::set_block_number(10);
	assert_ok!(Elections::close_voting(RuntimeOrigin::signed(NOBODY), election));
}

fn post_share(election: ElectionId, j: u32, transport: &[Scalar]) {
	let tally = Tallies::<Test>::get(election).unwrap();
	let ctx = Elections::share_context(election, j).unwrap();
	let share =
		DecryptionShare::create(&ctx, &trustee_secret(election, j, transport), &tally, &mut OsRng)
			.unwrap();
	assert_ok!(Elections::submit_decryption_share(
		RuntimeOrigin::signed(TRUSTEES[j as usize - 1]),
		election,
		share
	));
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

#[test]
fn referendum_from_creation_to_checked_result() {
	run_checked(|| {
		for v in 21..=25 {
			adult(v);
		}
		let (election, transport) = open_election(BallotKind::Referendum, 2);
		assert!(matches!(
			System::events().iter().find_map(|r| match &r.event {
				RuntimeEvent::Elections(Event::ElectionKeyReady { public_key, .. }) =>
					Some(*public_key),
				_ => None,
			}),
			Some(k) if Some(k) == ElectionStore::<Test>::get(election).unwrap().public_key
		));

		let yes = [true, false];
		let no = [false, true];
		cast(election, 21, &yes);
		cast(election, 22, &yes);
		cast(election, 23, &no);
		let first = cast(election, 24, &yes);
		// Voter 24 changes their mind: only the latest ballot counts.
		let second = cast(election, 24, &no);
		assert_eq!(
			last_event(),
			RuntimeEvent::Elections(Event::BallotCast {
				election,
				voter: 24,
				tracking_code: second,
				superseded: Some(first),
			})
		);
		assert_eq!(Elections::tracking_status(first), TrackingStatus::Superseded { election });
		assert_eq!(
			Elections::tracking_status(second),
			TrackingStatus::Counted { election, cast_at: 2 }
		);
		assert_eq!(Elections::tracking_status(H256::repeat_byte(1)), TrackingStatus::Unknown);
		// A code is where to look (election, citizen) and a hash: one made up for a real
		// voter's entry is unknown, not counted.
		let mut forged = second;
		forged.0[31] ^= 1;
		assert_eq!(Elections::tracking_status(forged), TrackingStatus::Unknown);
		assert_eq!(tracking_code_owner(&second).0, election);
		// The voter's entry keeps the superseded code.
		let entry = Ballots::<Test>::iter_prefix_values(election).find(|b| b.voter == 24).unwrap();
		assert_eq!((entry.casts(), entry.superseded.into_inner()), (2, vec![first]));

		let e = ElectionStore::<Test>::get(election).unwrap();
		assert_eq!((e.voters, e.ballots_cast), (4, 5));
		assert_eq!(Elections::turnout(election), vec![(7, 4)]);

		close(election);
		assert_noop!(
			Elections::publish_result(RuntimeOrigin::signed(NOBODY), election, counts(&[2, 2])),
			Error::<Test>::NotEnoughShares
		);
		post_share(election, 1, &transport);
		post_share(election, 3, &transport);
		// Wrong counts are refused, whoever posts them.
		for wrong in [counts(&[3, 1]), counts(&[2, 1]), counts(&[4, 0])] {
			assert_noop!(
				Elections::publish_result(RuntimeOrigin::signed(NOBODY), election, wrong),
				Error::<Test>::WrongCounts
			);
		}
		assert_noop!(
			Elections::publish_result(RuntimeOrigin::signed(NOBODY), election, counts(&[2, 2, 0])),
			Error::<Test>::WrongCounts
		);
		assert_ok!(Elections::publish_result(
			RuntimeOrigin::signed(NOBODY),
			election,
			counts(&[2, 2])
		));
		assert_eq!(Results::<Test>::get(election), Some(counts(&[2, 2])));
		assert_eq!(ElectionStore::<Test>::get(election).unwrap().status, ElectionStatus::Final);
		assert_eq!(
			last_event(),
			RuntimeEvent::Elections(Event::ResultPublished { election, counts: counts(&[2, 2]) })
		);
	});
}

#[test]
fn single_choice_and_approval_elections_count_correctly() {
	run_checked(|| {
		for v in 21..=24 {
			adult(v);
		}
		let (single, t1) = open_election(BallotKind::SingleChoice, 5);
		let (approval, t2) = open_election(BallotKind::Approval { max_selections: 2 }, 4);
		let pick = |i: usize, n: usize| (0..n).map(|k| k == i).collect::<Vec<_>>();
		cast(single, 21, &pick(4, 5));
		cast(single, 22, &pick(0, 5));
		cast(single, 23, &pick(4, 5));
		cast(approval, 21, &[true, true, false, false]);
		cast(approval, 22, &[false, false, false, false]);
		cast(approval, 23, &[false, true, false, true]);
		// Three selections where two are allowed: the client refuses to build it.
		let e = ElectionStore::<Test>::get(approval).unwrap();
		let ctx = BallotContext {
			genesis_hash: Elections::genesis_hash(),
			election_id: approval,
			voter: 24u64.encode(),
			public_key: e.public_key.unwrap(),
		};
		assert!(egov_ballot::encrypt_ballot(
			&ctx,
			&BallotSpec::approval(4, 2),
			&[true, true, true, false],
			&mut OsRng
		)
		.is_err());
		close(single);
		close(approval);
		for (election, transport, counts) in
			[(single, &t1, counts(&[1, 0, 0, 0, 2])), (approval, &t2, counts(&[1, 2, 0, 1]))]
		{
			post_share(election, 2, transport);
			post_share(election, 3, transport);
			assert_ok!(Elections::publish_result(RuntimeOrigin::signed(NOBODY), election, counts));
		}
	});
}

#[test]
fn ineligible_voters_are_refused_with_named_errors() {
	run_checked(|| {
		let suspended = adult(31);
		let deceased = adult(32);
		register(33, 33, 7, Some(TODAY + 1)); // adult only from tomorrow
		register(34, 34, 9, None); // lives in district 9
		assert_ok!(Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), suspended));
		assert_ok!(Registry::record_death(RuntimeOrigin::signed(CIVIL), deceased));
		let (election, _) = open_election(BallotKind::Referendum, 2);
		for (who, err) in [
			(NOBODY, Error::<Test>::NotACitizen),
			(31, Error::<Test>::CitizenNotActive),
			(32, Error::<Test>::CitizenNotActive),
			(33, Error::<Test>::NotAnAdult),
			(34, Error::<Test>::OutOfDistrict),
		] {
			let b = ballot(election, who, &[true, false]);
			assert_noop!(Elections::cast_ballot(RuntimeOrigin::signed(who), election, b), err);
			// And none of them votes for free.
			let call = Call::<Test>::cast_ballot {
				election,
				ballot: ballot(election, who, &[true, false]),
			};
			assert!(!call.is_feeless(&RuntimeOrigin::signed(who)));
		}
		assert_eq!(Elections::voter_eligibility(election, &NOBODY), VoterEligibility::NotACitizen);
		assert_eq!(Elections::voter_eligibility(election, &33), VoterEligibility::Minor);
		assert_eq!(Elections::voter_eligibility(election, &34), VoterEligibility::OutOfDistrict);
	});
}

#[test]
fn eligible_voters_cast_for_free_until_their_ballots_run_out() {
	run_checked(|| {
		adult(21);
		let (election, _) = open_election(BallotKind::Referendum, 2);
		let call =
			|| Call::<Test>::cast_ballot { election, ballot: ballot(election, 21, &[true, false]) };
		assert!(call().is_feeless(&RuntimeOrigin::signed(21)));
		for _ in 0..MAX_BALLOTS {
			cast(election, 21, &[true, false]);
		}
		assert_eq!(Elections::voter_eligibility(election, &21), VoterEligibility::NoBallotsLeft);
		assert!(!call().is_feeless(&RuntimeOrigin::signed(21)));
		assert_noop!(
			Elections::cast_ballot(
				RuntimeOrigin::signed(21),
				election,
				ballot(election, 21, &[true, false])
			),
			Error::<Test>::NoBallotsLeft
		);
	});
}

#[test]
fn bad_ballots_are_refused_with_named_errors() {
	run_checked(|| {
		adult(21);
		adult(22);
		let (election, _) = open_election(BallotKind::Referendum, 2);
		let (other, _) = open_election(BallotKind::Referendum, 2);
		let good = ballot(election, 21, &[true, false]);

		// Copied to another voter: the proofs are bound to voter 21.
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(22), election, good.clone()),
			Error::<Test>::InvalidBallotProof
		);
		// Made for another election.
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), other, good.clone()),
			Error::<Test>::InvalidBallotProof
		);
		// A tampered proof response.
		let mut tampered = good.clone();
		tampered.option_proofs[0].responses[0] = Scalar::ONE.to_bytes();
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), election, tampered),
			Error::<Test>::InvalidBallotProof
		);
		// The opposite vote's ciphertext under the old proofs.
		let mut swapped = good.clone();
		swapped.ciphertexts[0] = ballot(election, 21, &[false, true]).ciphertexts[0];
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), election, swapped),
			Error::<Test>::InvalidBallotProof
		);
		// Wrong shape: one ciphertext missing.
		let mut short = good.clone();
		short.ciphertexts.pop();
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), election, short),
			Error::<Test>::MalformedBallot
		);
		// Bytes that are not a point.
		let mut garbage = good.clone();
		garbage.ciphertexts[0].a = [0xff; 32];
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), election, garbage),
			Error::<Test>::MalformedBallot
		);
		// The same bytes twice: the first counts, the replay is refused.
		assert_ok!(Elections::cast_ballot(RuntimeOrigin::signed(21), election, good.clone()));
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), election, good.clone()),
			Error::<Test>::DuplicateBallot
		);
		// Nor can a superseded one: every code stays unique within the voter's entry.
		assert_ok!(Elections::cast_ballot(
			RuntimeOrigin::signed(21),
			election,
			ballot(election, 21, &[false, true])
		));
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), election, good),
			Error::<Test>::DuplicateBallot
		);
	});
}

#[test]
fn a_rotated_key_supersedes_rather_than_adds_a_vote() {
	run_checked(|| {
		let citizen = adult(21);
		let (election, transport) = open_election(BallotKind::Referendum, 2);
		cast(election, 21, &[true, false]);
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), citizen, 41));
		assert_ok!(Registry::accept_account_rotation(RuntimeOrigin::signed(41)));
		// After the rotation's notice (5 blocks in the mock), still before the close.
		System::set_block_number(8);
		assert_ok!(Registry::complete_account_rotation(RuntimeOrigin::signed(41)));
		cast(election, 41, &[false, true]);
		assert_eq!(ElectionStore::<Test>::get(election).unwrap().voters, 1);
		close(election);
		post_share(election, 1, &transport);
		post_share(election, 2, &transport);
		assert_ok!(Elections::publish_result(
			RuntimeOrigin::signed(NOBODY),
			election,
			counts(&[0, 1])
		));
	});
}

/// A referendum in `districts`, key ready, voting open from block 2 (or now, if later).
fn open_district_election(districts: &[DistrictId]) -> ElectionId {
	let election = NextElectionId::<Test>::get();
	let mut p = params(BallotKind::Referendum, 2);
	p.districts = bounded(districts);
	assert_ok!(Elections::create_election(RuntimeOrigin::signed(COMMISSION), p));
	run_dkg(election);
	System::set_block_number(System::block_number().max(2));
	assert_ok!(Elections::open_voting(RuntimeOrigin::signed(COMMISSION), election));
	election
}

fn refused(election: ElectionId, who: u64, err: Error<Test>) {
	let b = ballot(election, who, &[true, false]);
	assert_noop!(Elections::cast_ballot(RuntimeOrigin::signed(who), election, b.clone()), err);
	assert!(
		!Call::<Test>::cast_ballot { election, ballot: b }.is_feeless(&RuntimeOrigin::signed(who))
	);
}

/// Attack: the civil registry removes a citizen who voted and registers the same person
/// again (same account, same commitment): a new citizen id, so a second counted ballot.
/// The roll was fixed when voting opened; the new record is not on it.
#[test]
fn a_removed_and_re_registered_voter_casts_no_second_ballot() {
	run_checked(|| {
		let first = adult(21);
		let (election, _) = open_election(BallotKind::Referendum, 2);
		cast(election, 21, &[true, false]);
		System::set_block_number(3);
		assert_ok!(Registry::remove_citizen(RuntimeOrigin::signed(CIVIL), first));
		let again = adult(21);
		assert_ne!(again, first, "a re-registration is a new record");
		refused(election, 21, Error::<Test>::NotOnTheRoll);
		assert_eq!(Elections::voter_eligibility(election, &21), VoterEligibility::NotOnTheRoll);
		let e = ElectionStore::<Test>::get(election).unwrap();
		assert_eq!((e.voters, e.ballots_cast), (1, 1));
		// An election that opens after the re-registration has the new record on its roll,
		// once.
		let later = open_district_election(&[7]);
		cast(later, 21, &[false, true]);
		assert_eq!(ElectionStore::<Test>::get(later).unwrap().voters, 1);
	});
}

/// Attack: the civil registry adds voters to an election after voting opened. Nobody
/// registered after the opening block is on its roll; in the opening block itself they are.
#[test]
fn citizens_registered_after_voting_opened_cannot_vote_in_it() {
	run_checked(|| {
		adult(21);
		let (election, _) = open_election(BallotKind::Referendum, 2);
		adult(22); // block 2: the roll is the registry at the end of the opening block
		System::set_block_number(3);
		adult(23);
		cast(election, 21, &[true, false]);
		cast(election, 22, &[true, false]);
		refused(election, 23, Error::<Test>::NotOnTheRoll);
		assert_eq!(Elections::voter_eligibility(election, &23), VoterEligibility::NotOnTheRoll);
		assert_eq!(ElectionStore::<Test>::get(election).unwrap().voters, 2);
	});
}

/// Attack: the civil registry adds voters to an open election by recording the majority of
/// minors after voting opened, for a day before the election day. The roll has them as
/// minors; an election opening after the batch has them as adults.
#[test]
fn a_majority_recorded_after_voting_opened_does_not_count_in_it() {
	run_checked(|| {
		let minor = pallet_identity_registry::NextCitizenId::<Test>::get();
		assert_ok!(Registry::register_citizen(
			RuntimeOrigin::signed(CIVIL),
			31,
			H256([31; 32]),
			7,
			Majority::Minor
		));
		let (election, _) = open_election(BallotKind::Referendum, 2);
		refused(election, 31, Error::<Test>::NotAnAdult);
		System::set_block_number(3);
		assert_ok!(Registry::record_majority(
			RuntimeOrigin::signed(CIVIL),
			BoundedVec::truncate_from(vec![minor]),
			TODAY - 1
		));
		refused(election, 31, Error::<Test>::NotAnAdult);
		assert_eq!(Elections::voter_eligibility(election, &31), VoterEligibility::Minor);
		let later = open_district_election(&[7]);
		cast(later, 31, &[true, false]);
	});
}

/// Attack: two district elections run at once; the registry moves a voter from one
/// district to the other mid-election so they vote in both. The roll keeps each voter in
/// the district it had them in: they vote (and re-vote) there only, and the turnout stays.
#[test]
fn a_mid_election_move_does_not_give_a_vote_in_a_second_district() {
	run_checked(|| {
		let mover = adult(21); // district 7
		let in_seven = open_district_election(&[7]);
		let in_eight = open_district_election(&[8]);
		cast(in_seven, 21, &[true, false]);
		System::set_block_number(3);
		assert_ok!(Registry::update_district(RuntimeOrigin::signed(CIVIL), mover, 8));
		refused(in_eight, 21, Error::<Test>::OutOfDistrict);
		assert_eq!(Elections::voter_eligibility(in_eight, &21), VoterEligibility::OutOfDistrict);
		// Still on district 7's roll: a re-vote replaces the ballot there.
		cast(in_seven, 21, &[false, true]);
		assert_eq!(Elections::turnout(in_seven), vec![(7, 1)]);
		assert_eq!(ElectionStore::<Test>::get(in_eight).unwrap().voters, 0);
		// A second move (back to 7) forgets where the roll had them: no vote at all.
		System::set_block_number(4);
		assert_ok!(Registry::update_district(RuntimeOrigin::signed(CIVIL), mover, 7));
		refused(in_seven, 21, Error::<Test>::NotOnTheRoll);
		refused(in_eight, 21, Error::<Test>::NotOnTheRoll);
		// An election opening after the moves has them where they live now.
		let later = open_district_election(&[7]);
		System::set_block_number(5);
		cast(later, 21, &[true, false]);
	});
}

/// Attack: one trustee deals another a share that does not match its commitments. Before,
/// the key was Ready at the last dealing and the bad share surfaced only when trustees
/// decrypted, after everyone voted. Now the key waits for every trustee's confirmation;
/// the victim convicts the dealer with a complaint the chain checks; the key is built
/// without the cheat, and the election runs to a checked result with the victim's share.
#[test]
fn a_dealer_of_a_bad_share_is_convicted_and_the_key_built_without_it() {
	run_checked(|| {
		adult(21);
		adult(22);
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		let transport = post_dealings(0, &[(2, 3)]);
		// Every dealing is in, but no key: voting cannot open.
		assert_eq!(ElectionStore::<Test>::get(0).unwrap().status, ElectionStatus::KeyGeneration);
		System::set_block_number(2);
		assert_noop!(
			Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 0),
			Error::<Test>::WrongStatus
		);
		for t in &TRUSTEES[..2] {
			assert_ok!(Elections::confirm_shares(RuntimeOrigin::signed(*t), 0));
		}
		assert!(ElectionStore::<Test>::get(0).unwrap().public_key.is_none());

		let cheat = Dealings::<Test>::get(0, 2).unwrap();
		let complaint =
			Complaint::create(&dkg_ctx(0, 2), &cheat, 3, &transport[2], &mut OsRng).unwrap();
		// The complaint is bound to its complainer: trustee 1 cannot use it.
		assert_noop!(
			Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[0]), 0, 2, complaint.clone()),
			Error::<Test>::InvalidComplaint
		);
		assert_noop!(
			Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[2]), 0, 3, complaint.clone()),
			Error::<Test>::InvalidComplaint
		);
		assert_ok!(Elections::file_complaint(
			RuntimeOrigin::signed(TRUSTEES[2]),
			0,
			2,
			complaint.clone()
		));
		assert_eq!(
			last_event(),
			RuntimeEvent::Elections(Event::DealerDisqualified {
				election: 0,
				dealer: 2,
				complainer: 3
			})
		);
		assert_noop!(
			Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[2]), 0, 2, complaint),
			Error::<Test>::AlreadyDisqualified
		);
		// The last qualified confirmation builds the key from dealers 1 and 3 only.
		assert_ok!(Elections::confirm_shares(RuntimeOrigin::signed(TRUSTEES[2]), 0));
		let e = ElectionStore::<Test>::get(0).unwrap();
		assert_eq!(e.status, ElectionStatus::Ready);
		let (d1, d3) = (Dealings::<Test>::get(0, 1).unwrap(), Dealings::<Test>::get(0, 3).unwrap());
		let without_cheat =
			egov_ballot::aggregate_commitments(&[&d1.commitments[..], &d3.commitments[..]])
				.unwrap();
		assert_eq!(e.public_key, Some(without_cheat[0]));

		assert_ok!(Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 0));
		cast(0, 21, &[true, false]);
		cast(0, 22, &[true, false]);
		close(0);
		// The victim of the bad share decrypts with the cheat's share left out.
		post_share(0, 3, &transport);
		post_share(0, 1, &transport);
		assert_ok!(Elections::publish_result(RuntimeOrigin::signed(NOBODY), 0, counts(&[2, 0])));
	});
}

/// Two of three dealers convicted: one qualified dealer would know the whole secret alone,
/// fewer than the threshold of two. The election is cancelled, with the reason.
#[test]
fn fewer_qualified_dealers_than_the_threshold_cancel_the_election() {
	run_checked(|| {
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		let transport = post_dealings(0, &[(2, 1), (3, 1)]);
		let complain = |dealer: u32| {
			let d = Dealings::<Test>::get(0, dealer).unwrap();
			let c =
				Complaint::create(&dkg_ctx(0, dealer), &d, 1, &transport[0], &mut OsRng).unwrap();
			Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[0]), 0, dealer, c)
		};
		assert_ok!(complain(2));
		assert_eq!(ElectionStore::<Test>::get(0).unwrap().status, ElectionStatus::KeyGeneration);
		assert_ok!(complain(3));
		assert_eq!(ElectionStore::<Test>::get(0).unwrap().status, ElectionStatus::Cancelled);
		assert_eq!(
			last_event(),
			RuntimeEvent::Elections(Event::ElectionCancelled {
				election: 0,
				reason: bounded(b"fewer qualified dealers than the threshold"),
			})
		);
		assert!(ElectionStore::<Test>::get(0).unwrap().public_key.is_none());
	});
}

/// Calls charged for the most trustees refund to the election's own trustees and threshold
/// (three and two here).
#[test]
fn calls_charged_for_the_most_trustees_refund_the_actual() {
	run_checked(|| {
		adult(21);
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		let transport = post_dealings(0, &[]);
		let most = <() as WeightInfo>::confirm_shares(MAX_TRUSTEES, MAX_TRUSTEES);
		let info = Elections::confirm_shares(RuntimeOrigin::signed(TRUSTEES[0]), 0).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::confirm_shares(3, 2)));
		assert!(info.actual_weight.unwrap().all_lt(most));
		for t in &TRUSTEES[1..] {
			assert_ok!(Elections::confirm_shares(RuntimeOrigin::signed(*t), 0));
		}
		System::set_block_number(2);
		assert_ok!(Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 0));
		cast(0, 21, &[true, false]);
		close(0);
		let share = DecryptionShare::create(
			&Elections::share_context(0, 1).unwrap(),
			&trustee_secret(0, 1, &transport),
			&Tallies::<Test>::get(0).unwrap(),
			&mut OsRng,
		)
		.unwrap();
		let info = Elections::submit_decryption_share(RuntimeOrigin::signed(TRUSTEES[0]), 0, share)
			.unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::submit_decryption_share(1, 2)));
		post_share(0, 2, &transport);
		let info =
			Elections::publish_result(RuntimeOrigin::signed(NOBODY), 0, counts(&[1, 0])).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::publish_result(2, 2)));
	});
}

/// A complaint about a share that opens proves nothing: refused by name, nobody is left
/// out. Confirmations and complaints come from this election's trustees, once, after
/// every dealing.
#[test]
fn unfounded_complaints_and_out_of_turn_confirmations_are_refused() {
	run_checked(|| {
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		assert_noop!(
			Elections::confirm_shares(RuntimeOrigin::signed(TRUSTEES[0]), 0),
			Error::<Test>::DealingsIncomplete
		);
		// Trustee 3 cheats trustee 1; trustee 2 uses the shape of a real complaint (made by
		// trustee 1 about dealer 3) against honest dealer 1: its proof fails for trustee 2.
		let transport = post_dealings(0, &[(3, 1)]);
		let real = Complaint::create(
			&dkg_ctx(0, 3),
			&Dealings::<Test>::get(0, 3).unwrap(),
			1,
			&transport[0],
			&mut OsRng,
		)
		.unwrap();
		assert_noop!(
			Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[1]), 0, 1, real.clone()),
			Error::<Test>::InvalidComplaint
		);
		// Trustee 2 reveals its true Diffie-Hellman value for dealer 1's share, which opens:
		// its client will not make such a complaint, and the chain refuses it as unfounded.
		let honest = Dealings::<Test>::get(0, 1).unwrap();
		assert_eq!(
			Complaint::create(&dkg_ctx(0, 1), &honest, 2, &transport[1], &mut OsRng),
			Err(egov_ballot::Error::ShareOpens)
		);
		let unfounded =
			Complaint::reveal(&dkg_ctx(0, 1), &honest, 2, &transport[1], &mut OsRng).unwrap();
		assert_noop!(
			Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[1]), 0, 1, unfounded),
			Error::<Test>::ComplaintUnfounded
		);
		assert_noop!(
			Elections::file_complaint(RuntimeOrigin::signed(NOBODY), 0, 3, real.clone()),
			Error::<Test>::NotThisElectionsTrustee
		);
		assert_noop!(
			Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[0]), 0, 4, real.clone()),
			Error::<Test>::InvalidComplaint
		);
		assert_noop!(
			Elections::confirm_shares(RuntimeOrigin::signed(NOBODY), 0),
			Error::<Test>::NotThisElectionsTrustee
		);
		assert_ok!(Elections::confirm_shares(RuntimeOrigin::signed(TRUSTEES[1]), 0));
		assert_noop!(
			Elections::confirm_shares(RuntimeOrigin::signed(TRUSTEES[1]), 0),
			Error::<Test>::AlreadySubmitted
		);
		assert_ok!(Elections::file_complaint(RuntimeOrigin::signed(TRUSTEES[0]), 0, 3, real));
		assert_eq!(Elections::qualified_dealers(0, 3), vec![1, 2]);
	});
}

#[test]
fn origin_matrix() {
	run_checked(|| {
		adult(21);
		let bad = DispatchError::BadOrigin;
		for who in [NOBODY, TRUSTEES[0], CIVIL, 21] {
			assert_noop!(
				Elections::create_election(
					RuntimeOrigin::signed(who),
					params(BallotKind::Referendum, 2)
				),
				bad
			);
		}
		assert_noop!(
			Elections::create_election(RuntimeOrigin::root(), params(BallotKind::Referendum, 2)),
			bad
		);
		assert_noop!(
			Elections::create_election(RuntimeOrigin::none(), params(BallotKind::Referendum, 2)),
			bad
		);
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		let (tk, _) = (TransportKey::generate(&dkg_ctx(0, 1), &mut OsRng).1, ());
		for who in [COMMISSION, SPARE_TRUSTEE, NOBODY] {
			assert_noop!(
				Elections::submit_transport_key(RuntimeOrigin::signed(who), 0, tk.clone()),
				Error::<Test>::NotThisElectionsTrustee
			);
		}
		assert_noop!(
			Elections::cancel_election(RuntimeOrigin::signed(TRUSTEES[0]), 0, bounded(b"no")),
			bad
		);
		let transport = run_dkg(0);
		System::set_block_number(2);
		for who in [NOBODY, TRUSTEES[0], 21] {
			assert_noop!(Elections::open_voting(RuntimeOrigin::signed(who), 0), bad);
		}
		assert_ok!(Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 0));
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::none(), 0, ballot(0, 21, &[true, false])),
			bad
		);
		System::set_block_number(10);
		assert_noop!(Elections::close_voting(RuntimeOrigin::none(), 0), bad);
		assert_ok!(Elections::close_voting(RuntimeOrigin::signed(21), 0));
		// Shares only from this election's trustees.
		let tally = Tallies::<Test>::get(0).unwrap();
		let share = DecryptionShare::create(
			&Elections::share_context(0, 1).unwrap(),
			&trustee_secret(0, 1, &transport),
			&tally,
			&mut OsRng,
		)
		.unwrap();
		for who in [COMMISSION, SPARE_TRUSTEE, 21] {
			assert_noop!(
				Elections::submit_decryption_share(RuntimeOrigin::signed(who), 0, share.clone()),
				Error::<Test>::NotThisElectionsTrustee
			);
		}
		// Trustee 2 cannot pass off trustee 1's share.
		assert_noop!(
			Elections::submit_decryption_share(
				RuntimeOrigin::signed(TRUSTEES[1]),
				0,
				share.clone()
			),
			Error::<Test>::InvalidDecryptionShare
		);
		assert_ok!(Elections::submit_decryption_share(
			RuntimeOrigin::signed(TRUSTEES[0]),
			0,
			share.clone()
		));
		assert_noop!(
			Elections::submit_decryption_share(RuntimeOrigin::signed(TRUSTEES[0]), 0, share),
			Error::<Test>::AlreadySubmitted
		);
		assert_noop!(Elections::publish_result(RuntimeOrigin::none(), 0, counts(&[0, 0])), bad);
	});
}

#[test]
fn bad_election_parameters_are_refused() {
	run_checked(|| {
		let create = |p: Params| Elections::create_election(RuntimeOrigin::signed(COMMISSION), p);
		let mut p = params(BallotKind::Referendum, 3);
		assert_noop!(create(p.clone()), Error::<Test>::InvalidOptions);
		p = params(BallotKind::SingleChoice, 1);
		assert_noop!(create(p), Error::<Test>::InvalidOptions);
		p = params(BallotKind::Approval { max_selections: 5 }, 4);
		assert_noop!(create(p), Error::<Test>::InvalidOptions);
		p = params(BallotKind::Referendum, 2);
		p.title = bounded(b"");
		assert_noop!(create(p), Error::<Test>::InvalidOptions);
		p = params(BallotKind::Referendum, 2);
		p.voting_closes = Moment::Block(2);
		assert_noop!(create(p), Error::<Test>::InvalidSchedule);
		p = params(BallotKind::Referendum, 2);
		p.voting_closes = Moment::Time(u64::MAX);
		assert_noop!(create(p), Error::<Test>::InvalidSchedule);
		for threshold in [0, 1, 4] {
			p = params(BallotKind::Referendum, 2);
			p.threshold = threshold;
			assert_noop!(create(p), Error::<Test>::InvalidThreshold);
		}
		p = params(BallotKind::Referendum, 2);
		p.trustees = bounded(&[TRUSTEES[0], TRUSTEES[1], NOBODY]);
		assert_noop!(create(p), Error::<Test>::NotATrusteeByRole);
		p = params(BallotKind::Referendum, 2);
		p.trustees = bounded(&[TRUSTEES[0], TRUSTEES[1], TRUSTEES[0]]);
		assert_noop!(create(p), Error::<Test>::DuplicateTrustee);
	});
}

#[test]
fn key_generation_checks_every_step() {
	run_checked(|| {
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		let (_, tk1) = TransportKey::generate(&dkg_ctx(0, 1), &mut OsRng);
		// Trustee 2 replays trustee 1's key: the proof names trustee 1.
		assert_noop!(
			Elections::submit_transport_key(RuntimeOrigin::signed(TRUSTEES[1]), 0, tk1.clone()),
			Error::<Test>::InvalidTransportKey
		);
		assert_ok!(Elections::submit_transport_key(
			RuntimeOrigin::signed(TRUSTEES[0]),
			0,
			tk1.clone()
		));
		assert_noop!(
			Elections::submit_transport_key(RuntimeOrigin::signed(TRUSTEES[0]), 0, tk1.clone()),
			Error::<Test>::AlreadySubmitted
		);
		let keys = [tk1.key; 3];
		let d = Dealing::create(&dkg_ctx(0, 1), &keys, &mut OsRng).unwrap();
		assert_noop!(
			Elections::submit_dealing(RuntimeOrigin::signed(TRUSTEES[0]), 0, d.clone()),
			Error::<Test>::TransportKeysIncomplete
		);
		for j in 2..=3u32 {
			let (_, tk) = TransportKey::generate(&dkg_ctx(0, j), &mut OsRng);
			assert_ok!(Elections::submit_transport_key(
				RuntimeOrigin::signed(TRUSTEES[j as usize - 1]),
				0,
				tk
			));
		}
		// Voting cannot open without the key.
		System::set_block_number(2);
		assert_noop!(
			Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 0),
			Error::<Test>::WrongStatus
		);
		// Trustee 2 passes off trustee 1's dealing.
		assert_noop!(
			Elections::submit_dealing(RuntimeOrigin::signed(TRUSTEES[1]), 0, d.clone()),
			Error::<Test>::InvalidDealing
		);
		let mut short = d.clone();
		short.commitments.pop();
		assert_noop!(
			Elections::submit_dealing(RuntimeOrigin::signed(TRUSTEES[0]), 0, short),
			Error::<Test>::InvalidDealing
		);
		assert_ok!(Elections::submit_dealing(RuntimeOrigin::signed(TRUSTEES[0]), 0, d.clone()));
		assert_noop!(
			Elections::submit_dealing(RuntimeOrigin::signed(TRUSTEES[0]), 0, d),
			Error::<Test>::AlreadySubmitted
		);
		assert_eq!(ElectionStore::<Test>::get(0).unwrap().status, ElectionStatus::KeyGeneration);
	});
}

#[test]
fn schedule_and_cancellation_are_enforced() {
	run_checked(|| {
		adult(21);
		let mut p = params(BallotKind::Referendum, 2);
		p.voting_opens = Moment::Time(TODAY as u64 * egov_primitives::MILLIS_PER_DAY + 1_000);
		p.voting_closes = Moment::Time(TODAY as u64 * egov_primitives::MILLIS_PER_DAY + 60_000);
		assert_ok!(Elections::create_election(RuntimeOrigin::signed(COMMISSION), p));
		run_dkg(0);
		assert_noop!(
			Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 0),
			Error::<Test>::TooEarly
		);
		let at = |ms: u64| {
			pallet_timestamp::Now::<Test>::put(TODAY as u64 * egov_primitives::MILLIS_PER_DAY + ms)
		};
		at(1_000);
		assert_ok!(Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 0));
		assert_noop!(
			Elections::cancel_election(RuntimeOrigin::signed(COMMISSION), 0, bounded(b"late")),
			Error::<Test>::WrongStatus
		);
		assert_noop!(
			Elections::close_voting(RuntimeOrigin::signed(NOBODY), 0),
			Error::<Test>::VotingStillOpen
		);
		at(60_000);
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), 0, ballot(0, 21, &[true, false])),
			Error::<Test>::VotingClosed
		);
		assert_ok!(Elections::close_voting(RuntimeOrigin::signed(NOBODY), 0));
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(21), 0, ballot(0, 21, &[true, false])),
			Error::<Test>::WrongStatus
		);

		// A second election is cancelled before voting: nothing can happen to it after.
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		assert_ok!(Elections::cancel_election(
			RuntimeOrigin::signed(COMMISSION),
			1,
			bounded(b"court order 12/2026")
		));
		assert_eq!(
			last_event(),
			RuntimeEvent::Elections(Event::ElectionCancelled {
				election: 1,
				reason: bounded(b"court order 12/2026")
			})
		);
		let (_, tk) = TransportKey::generate(&dkg_ctx(1, 1), &mut OsRng);
		assert_noop!(
			Elections::submit_transport_key(RuntimeOrigin::signed(TRUSTEES[0]), 1, tk),
			Error::<Test>::WrongStatus
		);
		assert_noop!(
			Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 1),
			Error::<Test>::WrongStatus
		);
		assert_noop!(
			Elections::open_voting(RuntimeOrigin::signed(COMMISSION), 7),
			Error::<Test>::NoSuchElection
		);
	});
}

#[test]
fn a_share_that_does_not_decrypt_the_tally_is_refused() {
	run_checked(|| {
		adult(21);
		let (election, transport) = open_election(BallotKind::Referendum, 2);
		cast(election, 21, &[true, false]);
		close(election);
		let tally = Tallies::<Test>::get(election).unwrap();
		// Trustee 1 uses a wrong secret (e.g. tries to skew the result).
		let wrong = trustee_secret(election, 1, &transport) + Scalar::ONE;
		let share = DecryptionShare::create(
			&Elections::share_context(election, 1).unwrap(),
			&wrong,
			&tally,
			&mut OsRng,
		)
		.unwrap();
		assert_noop!(
			Elections::submit_decryption_share(RuntimeOrigin::signed(TRUSTEES[0]), election, share),
			Error::<Test>::InvalidDecryptionShare
		);
	});
}

#[test]
fn shares_of_anything_but_the_final_tally_are_refused() {
	run_checked(|| {
		for v in [21, 22, 23] {
			adult(v);
		}
		let (election, transport) = open_election(BallotKind::Referendum, 2);
		let secret = trustee_secret(election, 1, &transport);
		// Trustee 1's share of `ciphertexts`, bound to the election as it stands.
		let share_of = |ciphertexts: &[Ciphertext]| {
			let ctx = Elections::share_context(election, 1).unwrap();
			DecryptionShare::create(&ctx, &secret, ciphertexts, &mut OsRng).unwrap()
		};
		let submit = |share| {
			Elections::submit_decryption_share(RuntimeOrigin::signed(TRUSTEES[0]), election, share)
		};
		cast(election, 21, &[true, false]);
		// A share made while voting (of the tally so far, one voter counted): not
		// accepted while voting...
		let early = share_of(&Tallies::<Test>::get(election).unwrap());
		assert_noop!(submit(early.clone()), Error::<Test>::WrongStatus);
		cast(election, 22, &[false, true]);
		cast(election, 23, &[true, false]);
		close(election);
		// ...nor after the close, when the final tally counts three voters.
		assert_noop!(submit(early), Error::<Test>::InvalidDecryptionShare);
		// A share made of one voter's ballot (what a lying node might show a trustee as
		// "the tally"), bound to this closed election: refused.
		let one_ballot = Ballots::<Test>::iter_prefix_values(election)
			.find(|b| b.voter == 22)
			.unwrap()
			.ballot
			.ciphertexts;
		assert_noop!(submit(share_of(&one_ballot)), Error::<Test>::InvalidDecryptionShare);
		// The share of the final tally is accepted.
		post_share(election, 1, &transport);
	});
}

mod check_ballot {
	//! The pool-side defence: what `CheckBallot` refuses never enters a block; what it
	//! leaves to the block (the equations of the proofs) fails the block.
	use super::*;
	use crate::extension::refusal;
	use polkadot_sdk::{
		frame_support::dispatch::GetDispatchInfo,
		sp_runtime::{
			traits::DispatchTransaction,
			transaction_validity::{
				InvalidTransaction, TransactionSource, TransactionValidityError,
			},
		},
	};

	fn call(election: ElectionId, ballot: EncryptedBallot) -> RuntimeCall {
		RuntimeCall::Elections(Call::cast_ballot { election, ballot })
	}

	/// What the transaction pool says about `who` sending `call`.
	fn pool(who: u64, call: &RuntimeCall) -> Result<ValidTransaction, TransactionValidityError> {
		CheckBallot::<Test>::new()
			.validate_only(
				RuntimeOrigin::signed(who),
				call,
				&call.get_dispatch_info(),
				0,
				TransactionSource::External,
				0,
			)
			.map(|(v, _, _)| v)
	}

	/// Applies `call` from `who` in a block, through the extension.
	fn apply(who: u64, call: RuntimeCall) -> Result<(), TransactionValidityError> {
		let info = call.get_dispatch_info();
		CheckBallot::<Test>::new()
			.dispatch_transaction(RuntimeOrigin::signed(who), call, &info, 0, 0)
			.map(|r| assert!(r.is_ok(), "a ballot the extension lets through counts: {r:?}"))
	}

	fn ballots_cast(election: ElectionId) -> u32 {
		ElectionStore::<Test>::get(election).unwrap().ballots_cast
	}

	use polkadot_sdk::sp_runtime::transaction_validity::ValidTransaction;

	#[test]
	fn junk_ballots_are_refused_by_the_pool_and_in_the_block() {
		run_checked(|| {
			adult(21);
			adult(22);
			register(33, 33, 7, Some(TODAY + 1));
			let (election, _) = open_election(BallotKind::Referendum, 2);
			let (other, _) = open_election(BallotKind::Referendum, 2);
			let good = ballot(election, 21, &[true, false]);
			let mut tampered = good.clone();
			tampered.option_proofs[0].responses[0] = Scalar::ONE.to_bytes();
			let mut swapped = good.clone();
			swapped.ciphertexts[0] = ballot(election, 21, &[false, true]).ciphertexts[0];
			let mut short = good.clone();
			short.ciphertexts.pop();
			let mut garbage = good.clone();
			garbage.ciphertexts[0].a = [0xff; 32];
			// A forged proof response: the pool refuses it; in the block it answers its
			// challenges and is left to the block's batch check, which fails the block
			// (`a_block_with_a_forged_proof_does_not_end`).
			let forged = call(election, tampered);
			assert_eq!(pool(21, &forged), Err(refusal::<Test>(Error::InvalidBallotProof)));
			// Junk that both refuse: a ballot made for another voter, election or content
			// does not answer its challenges in this context.
			let cases: Vec<(u64, RuntimeCall, Error<Test>)> = vec![
				(22, call(election, good.clone()), Error::InvalidBallotProof),
				(21, call(other, good.clone()), Error::InvalidBallotProof),
				(21, call(election, swapped), Error::InvalidBallotProof),
				(21, call(election, short), Error::MalformedBallot),
				(21, call(election, garbage), Error::MalformedBallot),
				(
					NOBODY,
					call(election, ballot(election, NOBODY, &[true, false])),
					Error::NotACitizen,
				),
				(33, call(election, ballot(election, 33, &[true, false])), Error::NotAnAdult),
				(21, call(99, good.clone()), Error::NoSuchElection),
			];
			for (who, c, err) in cases {
				let name = format!("{err:?}");
				let want = refusal::<Test>(err);
				assert_eq!(pool(who, &c), Err(want), "pool, {name}");
				assert_eq!(apply(who, c), Err(want), "block, {name}");
				assert_eq!(ballots_cast(election), 0, "{name} changed nothing");
			}
			assert_eq!(CheckedBallot::<Test>::get(), None);
			assert!(QueuedBallots::<Test>::get().is_empty());

			// The same ballot a second time.
			assert_eq!(apply(21, call(election, good.clone())), Ok(()));
			assert_eq!(
				pool(21, &call(election, good.clone())),
				Err(refusal::<Test>(Error::DuplicateBallot))
			);
			assert_eq!(
				apply(21, call(election, good)),
				Err(refusal::<Test>(Error::DuplicateBallot))
			);
			assert_eq!(ballots_cast(election), 1);

			// After the closing moment, before anyone called `close_voting`.
			System::set_block_number(10);
			let late = call(election, ballot(election, 22, &[true, false]));
			assert_eq!(pool(22, &late), Err(refusal::<Test>(Error::VotingClosed)));
			assert_eq!(apply(22, late), Err(refusal::<Test>(Error::VotingClosed)));
			assert_eq!(ballots_cast(election), 1);
		});
	}

	#[test]
	fn a_voter_cannot_get_more_ballots_into_a_block_than_allowed() {
		run_checked(|| {
			adult(21);
			let (election, _) = open_election(BallotKind::Referendum, 2);
			// All of them are valid against the state the pool sees...
			let calls: Vec<RuntimeCall> = (0..=MAX_BALLOTS)
				.map(|_| call(election, ballot(election, 21, &[true, false])))
				.collect();
			for c in &calls {
				assert!(pool(21, c).is_ok());
			}
			// ...but in the block each is checked against the ballots before it.
			let mut calls = calls.into_iter();
			for c in calls.by_ref().take(MAX_BALLOTS as usize) {
				assert_eq!(apply(21, c), Ok(()));
			}
			let last = calls.next().unwrap();
			assert_eq!(apply(21, last), Err(refusal::<Test>(Error::NoBallotsLeft)));
			assert_eq!(ballots_cast(election), MAX_BALLOTS);
		});
	}

	#[test]
	fn valid_ballots_are_prioritised_and_kept_once_in_the_pool() {
		run_checked(|| {
			let citizen = adult(21);
			let (election, _) = open_election(BallotKind::Referendum, 2);
			let b = ballot(election, 21, &[false, true]);
			let v = pool(21, &call(election, b.clone())).unwrap();
			assert_eq!(v.priority, BALLOT_PRIORITY);
			let code = tracking_code(election, citizen, &21u64.encode(), &b);
			assert_eq!(v.provides, vec![(b"egov-ballot", code).encode()]);
			// Calls that are not ballots pass through untouched.
			let other = RuntimeCall::Elections(Call::close_voting { election });
			assert_eq!(pool(21, &other), Ok(ValidTransaction::default()));
		});
	}

	#[test]
	fn only_the_ballot_the_extension_checked_is_left_to_the_batch() {
		run_checked(|| {
			let citizen = adult(21);
			adult(22);
			let (election, _) = open_election(BallotKind::Referendum, 2);
			// A checked ballot's marker left behind must not let another ballot through.
			let verified = ballot(election, 21, &[true, false]);
			CheckedBallot::<Test>::put(tracking_code(
				election,
				citizen,
				&21u64.encode(),
				&verified,
			));
			assert_eq!(
				Elections::cast_ballot(RuntimeOrigin::signed(22), election, verified.clone()),
				Err(Error::<Test>::InvalidBallotProof.into())
			);
			assert_eq!(ballots_cast(election), 0);
			assert!(QueuedBallots::<Test>::get().is_empty());
			CheckedBallot::<Test>::kill();
			// Through the extension the marker lives for one extrinsic only.
			assert_eq!(apply(21, call(election, verified)), Ok(()));
			assert_eq!(CheckedBallot::<Test>::get(), None);
		});
	}

	/// A ballot with a forged proof that a dishonest author puts in its block: given the
	/// election and a valid ballot of voter 21.
	type Forgery = fn(EncryptedBallot) -> EncryptedBallot;

	/// Executes a block as an importing node does: a valid ballot, then voter 21's ballot
	/// made by `forge`, then the block's end. Returns whether the block ended (it imports),
	/// or why it panicked (it does not).
	fn block_ends(forge: Forgery) -> Result<(), String> {
		let executed = std::panic::catch_unwind(|| {
			new_test_ext().execute_with(|| {
				adult(21);
				adult(23);
				let (election, _) = open_election(BallotKind::Referendum, 2);
				let forged = forge(ballot(election, 21, &[true, false]));
				assert_eq!(apply(23, call(election, ballot(election, 23, &[false, true]))), Ok(()));
				// In the block, with its rules and challenges checked, it is applied...
				assert_eq!(apply(21, call(election, forged)), Ok(()));
				assert_eq!(QueuedBallots::<Test>::decode_len(), Some(2));
				// ...and the block's end verifies the equations.
				Elections::on_finalize(System::block_number());
			})
		});
		executed.map_err(|panic| {
			panic
				.downcast_ref::<String>()
				.cloned()
				.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
				.unwrap_or_default()
		})
	}

	#[test]
	fn a_block_with_a_forged_proof_does_not_end() {
		// The valid block first, so the test cannot pass by always panicking.
		assert_eq!(block_ends(|good| good), Ok(()));
		let refused = Err(FALSE_PROOF_IN_BLOCK.to_string());
		let forgeries: [(&str, Forgery); 3] = [
			("the first response", |mut b| {
				b.option_proofs[0].responses[0] = Scalar::ONE.to_bytes();
				b
			}),
			("the second response", |mut b| {
				let r = Scalar::from_canonical_bytes(b.option_proofs[0].responses[1]).unwrap();
				b.option_proofs[0].responses[1] = (r + Scalar::ONE).to_bytes();
				b
			}),
			("both responses swapped", |mut b| {
				let r = &mut b.option_proofs[0].responses;
				let first = r[0];
				r[0] = r[1];
				r[1] = first;
				b
			}),
		];
		for (name, forge) in forgeries {
			assert_eq!(block_ends(forge), refused, "{name} forged");
		}
	}

	#[test]
	fn a_blocks_ballots_are_verified_together_at_its_end() {
		run_checked(|| {
			let voters: Vec<u64> = (21..21 + MAX_BALLOTS_PER_BLOCK_IN_MOCK as u64 + 1).collect();
			for v in &voters {
				adult(*v);
			}
			let (election, _) = open_election(BallotKind::Referendum, 2);
			let mut calls: Vec<(u64, RuntimeCall)> = voters
				.iter()
				.map(|v| (*v, call(election, ballot(election, *v, &[*v % 2 == 0, *v % 2 == 1]))))
				.collect();
			let (late_voter, late) = calls.pop().unwrap();
			let mut queued = vec![];
			let mut weights = vec![];
			for (v, c) in calls {
				let info = c.get_dispatch_info();
				let post = CheckBallot::<Test>::new()
					.dispatch_transaction(RuntimeOrigin::signed(v), c, &info, 0, 0)
					.unwrap()
					.unwrap();
				let actual = post.actual_weight.unwrap();
				assert!(actual.all_lte(info.call_weight), "charged no more than declared");
				weights.push(actual);
				queued.push(QueuedBallots::<Test>::decode_len().unwrap_or(0));
			}
			assert_eq!(queued, vec![1, 2, 3]);
			// A full block takes no more ballots: the pool keeps this one for the next.
			assert!(pool(late_voter, &late).is_ok());
			assert_eq!(
				apply(late_voter, late.clone()),
				Err(InvalidTransaction::ExhaustsResources.into())
			);
			Elections::on_finalize(System::block_number());
			assert!(QueuedBallots::<Test>::get().is_empty());
			assert_eq!(ballots_cast(election), MAX_BALLOTS_PER_BLOCK_IN_MOCK);
			// The next block takes it.
			System::set_block_number(System::block_number() + 1);
			assert_eq!(apply(late_voter, late), Ok(()));
			// The ballot that opens the batch pays its fixed cost and reads the election's
			// keys from the database; the others pay their share of the batch, without
			// those database accesses.
			let base = <() as WeightInfo>::verify_queued_ballots(0);
			let share = <() as WeightInfo>::verify_queued_ballots(1).saturating_sub(base);
			let (reads, writes) = WARM_KEYS;
			let warm_db = Weight::from_parts(
				<Test as frame_system::Config>::DbWeight::get()
					.reads_writes(reads, writes)
					.ref_time(),
				0,
			);
			assert!(warm_db.ref_time() > 0);
			assert_eq!(weights[0], weights[1].saturating_add(base).saturating_add(warm_db));
			assert_eq!(weights[1], weights[2]);
			assert_eq!(
				weights[1],
				<() as WeightInfo>::cast_ballot_queued()
					.saturating_add(share)
					.saturating_sub(warm_db)
			);
		});
	}
}

/// A final referendum (election 0: four voters, one re-vote, shares of trustees 1 and 3,
/// result published) and one in voting (election 1: two voters).
fn recorded_elections() -> (ElectionId, ElectionId) {
	for v in 21..=25 {
		adult(v);
	}
	let (done, transport) = open_election(BallotKind::Referendum, 2);
	let (voting, _) = open_election(BallotKind::Referendum, 2);
	for (v, yes) in [(21, true), (22, true), (23, false), (24, true), (24, false)] {
		cast(done, v, &[yes, !yes]);
	}
	cast(voting, 21, &[true, false]);
	cast(voting, 25, &[false, true]);
	close(done);
	post_share(done, 1, &transport);
	post_share(done, 3, &transport);
	assert_ok!(Elections::publish_result(RuntimeOrigin::signed(NOBODY), done, counts(&[2, 2])));
	assert_ok!(Elections::do_try_state());
	(done, voting)
}

/// Each way a bug or a migration could rewrite an election's record is caught by
/// `try_state`, with the invariant it breaks.
#[test]
fn try_state_catches_every_rewritten_election_record() {
	type Corruption = fn(ElectionId, ElectionId);
	let cases: Vec<(&str, Corruption)> = vec![
		("the tally is not the sum of the counted ballots", |_, voting| {
			// A ballot silently dropped: its entry goes, the tally keeps it.
			let (citizen, _) = Ballots::<Test>::iter_prefix(voting).next().unwrap();
			Ballots::<Test>::remove(voting, citizen);
		}),
		("the tally is not the sum of the counted ballots", |_, voting| {
			let extra = ballot(voting, 22, &[true, false]);
			Tallies::<Test>::mutate(voting, |t| {
				let mut tally = Tally::from_ciphertexts(t.as_ref().unwrap()).unwrap();
				tally.add(&extra.ciphertexts).unwrap();
				*t = Some(tally.ciphertexts().unwrap());
			});
		}),
		("a ballot's tracking code does not match the ballot", |_, voting| {
			// The stored ballot swapped for another one of the same voter: the code the
			// voter checks would still say "counted".
			let (citizen, mut b) = Ballots::<Test>::iter_prefix(voting).next().unwrap();
			b.ballot = ballot(voting, b.voter, &[false, true]);
			Ballots::<Test>::insert(voting, citizen, b);
		}),
		("a tracking code points to another election or citizen", |done, voting| {
			let (citizen, mut b) = Ballots::<Test>::iter_prefix(voting).next().unwrap();
			b.superseded
				.try_push(Ballots::<Test>::iter_prefix_values(done).next().unwrap().tracking_code)
				.unwrap();
			Ballots::<Test>::insert(voting, citizen, b);
		}),
		("the voter count is not the number of counted ballots", |_, voting| {
			ElectionStore::<Test>::mutate(voting, |e| e.as_mut().unwrap().voters += 1);
		}),
		("ballots cast is not the sum of every voter's casts", |done, _| {
			ElectionStore::<Test>::mutate(done, |e| e.as_mut().unwrap().ballots_cast -= 1);
		}),
		("turnout per district does not match the ballots", |_, voting| {
			Turnout::<Test>::insert(voting, 7, 1);
			Turnout::<Test>::insert(voting, 8, 1);
		}),
		("a decryption share does not verify under its trustee's key", |done, _| {
			// One trustee's share posted under a second trustee's index.
			DecryptionShares::<Test>::insert(
				done,
				2,
				DecryptionShares::<Test>::get(done, 3).unwrap(),
			);
		}),
		("a result with too few shares", |done, _| DecryptionShares::<Test>::remove(done, 3)),
		("the result does not match the decrypted tally", |done, _| {
			Results::<Test>::insert(done, counts(&[3, 1]));
		}),
		("a result exists exactly when the election is final", |done, _| {
			Results::<Test>::remove(done)
		}),
		("a result exists exactly when the election is final", |_, voting| {
			Results::<Test>::insert(voting, counts(&[1, 1]))
		}),
		("a decryption share before voting closed", |done, voting| {
			DecryptionShares::<Test>::insert(
				voting,
				1,
				DecryptionShares::<Test>::get(done, 1).unwrap(),
			);
		}),
		("the joint key is not A_0", |_, voting| {
			ElectionStore::<Test>::mutate(voting, |e| {
				e.as_mut().unwrap().public_key = Some([0; 32])
			});
		}),
		("the key commitments are not the sum of the dealings", |done, voting| {
			KeyCommitments::<Test>::insert(voting, KeyCommitments::<Test>::get(done).unwrap());
		}),
		("a ballot in an election that never opened", |_, voting| {
			ElectionStore::<Test>::mutate(voting, |e| {
				let e = e.as_mut().unwrap();
				e.status = ElectionStatus::Ready;
				e.roll_fixed_at = None;
			});
		}),
		("an electoral roll fixed other than when voting opened", |_, voting| {
			ElectionStore::<Test>::mutate(voting, |e| e.as_mut().unwrap().roll_fixed_at = None);
		}),
		("a ballot cast before the roll was fixed", |_, voting| {
			// The roll moved after the ballots (cast in block 2): it would let in voters
			// registered after them.
			ElectionStore::<Test>::mutate(voting, |e| e.as_mut().unwrap().roll_fixed_at = Some(3));
		}),
		("an election id is not below NextElectionId", |_, _| NextElectionId::<Test>::put(1)),
		("a checked ballot outlived its extrinsic", |_, _| {
			CheckedBallot::<Test>::put(H256::repeat_byte(7))
		}),
		("queued ballots outlived their block", |_, voting| {
			let queued = QueuedBallot {
				election: voting,
				public_key: [0; 32],
				spec: BallotSpec::REFERENDUM,
				voter: 21,
				ballot: ballot(voting, 21, &[true, false]),
			};
			QueuedBallots::<Test>::put(BoundedVec::truncate_from(vec![queued]))
		}),
		("a queued election outlived its block", |_, voting| {
			LastQueuedElection::<Test>::put(voting)
		}),
		("a tally without its election", |_, _| {
			Tallies::<Test>::insert(9, egov_ballot::Ciphertexts::new())
		}),
	];
	for (expected, corrupt) in cases {
		new_test_ext().execute_with(|| {
			let (done, voting) = recorded_elections();
			corrupt(done, voting);
			assert_eq!(Elections::do_try_state(), Err(expected.into()), "{expected}");
		});
	}
}

/// A second commission member (another ministry's officer) cannot open or cancel an
/// election it did not create; governance can open it, and can end it in any phase
/// before the result, which the creator cannot.
#[test]
fn only_the_creator_or_governance_opens_or_cancels_an_election() {
	run_checked(|| {
		const OTHER_COMMISSIONER: u64 = 3;
		assert_ok!(Registry::appoint_authority(
			RuntimeOrigin::root(),
			OTHER_COMMISSIONER,
			Role::ElectionCommission,
			BoundedVec::new()
		));
		let reason = || bounded(b"trustee 2 never posted a share");
		for v in 21..=22 {
			adult(v);
		}

		// Before voting: the other member is refused by name, the creator may.
		let ours = NextElectionId::<Test>::get();
		assert_ok!(Elections::create_election(
			RuntimeOrigin::signed(COMMISSION),
			params(BallotKind::Referendum, 2)
		));
		assert_noop!(
			Elections::cancel_election(RuntimeOrigin::signed(OTHER_COMMISSIONER), ours, reason()),
			Error::<Test>::NotTheElectionsCreator
		);
		run_dkg(ours);
		System::set_block_number(2);
		assert_noop!(
			Elections::open_voting(RuntimeOrigin::signed(OTHER_COMMISSIONER), ours),
			Error::<Test>::NotTheElectionsCreator
		);
		// Governance opens it for the commission.
		assert_ok!(Elections::open_voting(RuntimeOrigin::root(), ours));
		cast(ours, 21, &[true, false]);

		// In voting the creator can no longer cancel; governance can, with its reason.
		assert_noop!(
			Elections::cancel_election(RuntimeOrigin::signed(COMMISSION), ours, reason()),
			Error::<Test>::WrongStatus
		);
		assert_noop!(
			Elections::cancel_election(RuntimeOrigin::signed(OTHER_COMMISSIONER), ours, reason()),
			Error::<Test>::NotTheElectionsCreator
		);
		assert_ok!(Elections::cancel_election(RuntimeOrigin::root(), ours, reason()));
		assert_eq!(ElectionStore::<Test>::get(ours).unwrap().status, ElectionStatus::Cancelled);
		assert_eq!(
			last_event(),
			RuntimeEvent::Elections(Event::ElectionCancelled { election: ours, reason: reason() })
		);
		assert_noop!(
			Elections::cancel_election(RuntimeOrigin::root(), ours, reason()),
			Error::<Test>::WrongStatus
		);

		// Stuck in tallying (a trustee withholds its share): governance ends it too.
		let (stuck, _) = open_election(BallotKind::Referendum, 2);
		cast(stuck, 22, &[false, true]);
		close(stuck);
		assert_ok!(Elections::cancel_election(RuntimeOrigin::root(), stuck, reason()));
		// A final result is never undone.
		let (done, transport) = open_election(BallotKind::Referendum, 2);
		close(done);
		post_share(done, 1, &transport);
		post_share(done, 2, &transport);
		assert_ok!(Elections::publish_result(RuntimeOrigin::signed(NOBODY), done, counts(&[0, 0])));
		assert_noop!(
			Elections::cancel_election(RuntimeOrigin::root(), done, reason()),
			Error::<Test>::WrongStatus
		);
	});
}

/// The next release (storage version 2): re-votes per district, and the migration that
/// counts the ones cast before it. `cargo test -p pallet-elections --features next-release`.
#[cfg(feature = "next-release")]
mod next_release {
	use super::*;
	use crate::migrations::v2::MigrateToV2;
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};

	fn revotes(election: ElectionId) -> Vec<(DistrictId, u32)> {
		let mut v: Vec<_> = Revotes::<Test>::iter_prefix(election).collect();
		v.sort();
		v
	}

	/// Voter 21 votes three times in district 7, voter 22 twice, then moves to district 8
	/// and votes a third time (still in 7: the roll has them there); voter 23 votes once.
	fn ballots_with_revotes() -> ElectionId {
		let moving = adult(22);
		adult(21);
		adult(23);
		let (election, _) = open_election(BallotKind::Referendum, 2);
		for choices in [[true, false], [false, true], [true, false]] {
			cast(election, 21, &choices);
		}
		cast(election, 22, &[true, false]);
		cast(election, 22, &[false, true]);
		cast(election, 23, &[true, false]);
		System::set_block_number(3);
		assert_ok!(Registry::update_district(RuntimeOrigin::signed(CIVIL), moving, 8));
		cast(election, 22, &[true, false]);
		election
	}

	#[test]
	fn revotes_count_in_the_district_of_the_roll() {
		run_checked(|| {
			let election = ballots_with_revotes();
			// 21's two earlier ballots and 22's two, all in 7: a move after the roll was
			// fixed moves nobody's ballots.
			assert_eq!(revotes(election), vec![(7, 4)]);
			assert_eq!(Elections::in_code_storage_version(), StorageVersion::new(2));
		})
	}

	#[test]
	fn the_migration_counts_the_revotes_cast_before_it_once() {
		run_checked(|| {
			let election = ballots_with_revotes();
			// The state a chain on storage version 1 has: the same ballots, no counts.
			let _ = Revotes::<Test>::clear(u32::MAX, None);
			StorageVersion::new(1).put::<Elections>();
			assert_eq!(
				Elections::do_try_state(),
				Err("re-votes per district do not match the ballots".into()),
				"version 2 code on version 1 state is caught"
			);

			MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(revotes(election), vec![(7, 4)]);
			assert_eq!(Elections::on_chain_storage_version(), StorageVersion::new(2));
			// A second upgrade does not count them again.
			MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(revotes(election), vec![(7, 4)]);
			// Voting goes on after it: another re-vote, in 7.
			cast(election, 23, &[false, true]);
			assert_eq!(revotes(election), vec![(7, 5)]);
		})
	}

	#[test]
	fn only_a_revote_pays_for_counting_revotes() {
		run_checked(|| {
			adult(21);
			let (election, _) = open_election(BallotKind::Referendum, 2);
			let first = ballot(election, 21, &[true, false]);
			let declared = Elections::cast_ballot_weight(&first);
			let counting = <Test as frame_system::Config>::DbWeight::get().reads_writes(2, 2);
			let info = Elections::cast_ballot(RuntimeOrigin::signed(21), election, first).unwrap();
			assert_eq!(info.actual_weight, Some(declared - counting));
			let again = ballot(election, 21, &[false, true]);
			let info = Elections::cast_ballot(RuntimeOrigin::signed(21), election, again).unwrap();
			assert_eq!(info.actual_weight, Some(declared));
		})
	}

	#[test]
	fn try_state_catches_rewritten_revotes() {
		run_checked(|| {
			let election = ballots_with_revotes();
			Revotes::<Test>::insert(election, 9, 1);
			assert_eq!(
				Elections::do_try_state(),
				Err("re-votes per district do not match the ballots".into())
			);
			Revotes::<Test>::remove(election, 9);
		})
	}
}

/// Every storage item has a largest encoded size, so the runtime's proof-size accounting can
/// bound it: no stored vector is unbounded.
#[test]
fn every_storage_item_has_a_bounded_size() {
	use polkadot_sdk::frame_support::traits::StorageInfoTrait;
	let info = <crate::Pallet<Test> as StorageInfoTrait>::storage_info();
	let names: Vec<String> = info
		.iter()
		.map(|i| String::from_utf8_lossy(&i.storage_name).into_owned())
		.collect();
	for stored in ["Elections", "Dealings", "Ballots", "Tallies", "DecryptionShares", "Results"] {
		assert!(names.iter().any(|n| n == stored), "{stored} is in the storage info");
	}
	for (item, name) in info.iter().zip(&names) {
		assert!(item.max_size.is_some_and(|s| s > 0), "{name} has no largest size");
	}
}

/// Attack: a ballot with one ciphertext more than any election has options, sent as a
/// `cast_ballot`. An unbounded vector decodes (and is allocated) before any rule of the
/// pallet runs; a bounded one makes the whole call fail to decode, in the pool and in a
/// block alike.
#[test]
fn an_over_long_ballot_does_not_decode_as_a_cast_ballot_call() {
	use codec::Decode;
	let election: ElectionId = 3;
	// The pallet's index in the runtime, then `cast_ballot`'s call index.
	let pallet_index = RuntimeCall::Elections(Call::close_voting { election }).encode()[0];
	let cast_ballot = |ciphertexts: usize| {
		let ballot = (
			alloc::vec![Ciphertext::zero(); ciphertexts],
			Vec::<egov_ballot::BitProof>::new(),
			None::<egov_ballot::SumProof>,
		);
		let mut bytes = alloc::vec![pallet_index, 5];
		bytes.extend((election, ballot).encode());
		RuntimeCall::decode(&mut &bytes[..])
	};
	let max = egov_ballot::MAX_OPTIONS as usize;
	assert!(matches!(
		cast_ballot(max),
		Ok(RuntimeCall::Elections(Call::cast_ballot { election: 3, ref ballot }))
			if ballot.ciphertexts.len() == max
	));
	assert!(cast_ballot(max + 1).is_err());
}
