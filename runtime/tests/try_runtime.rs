//! Upgrade checks against a chain in use: the `production` and `local_testnet` genesis,
//! then what a registry in operation holds (authorities, citizens and a legal entity,
//! credentials, a finished election and one in the middle of voting, titles with co-owners,
//! encumbrances and a court order, escrow deals settled, cancelled and half-way), all made
//! by real calls. The state is exported and handed to the runtime built with its
//! try-runtime checks (`egov_try_runtime`), which runs `Executive::try_runtime_upgrade(All)`
//! in a WASM executor: every migration with its pre- and post-upgrade checks, then every
//! pallet's `try_state`.
//!
//! The attack tests corrupt that state natively before exporting it and expect the WASM
//! check to name the broken invariant: so the checks that pass above really ran.
//!
//! The same helpers build one more attack, natively: a block carrying a ballot with a
//! forged proof, applied through the runtime's signed extensions and ended by its hooks.

use codec::Encode;
use egov_ballot::{
	BallotContext, Ciphertext, Dealing, DecryptionShare, DkgContext, EncryptedBallot, Scalar,
	TransportKey,
};
use egov_primitives::{
	CitizenId, CredentialKind, Day, DistrictId, EntityId, Majority, RevocationReason, Role,
	Subject, MILLIS_PER_DAY,
};
use egov_runtime::{
	genesis_config_presets::{get_preset, PRODUCTION_RUNTIME_PRESET},
	AccountId, Balance, Balances, BlockNumber, Council, CouncilMembership, Elections,
	IdentityRegistry, PropertyRegistry, PropertyTransfers, Runtime, RuntimeCall,
	RuntimeGenesisConfig, RuntimeOrigin, System, DAYS, MILLI_SECS_PER_BLOCK, SLOT_DURATION, UNIT,
};
use egov_try_runtime::{check_upgrade, CheckError, UpgradeReport};
use pallet_elections::{
	BallotKind, ElectionId, ElectionParams, ElectionStatus, Moment, TrackingStatus,
	VoterEligibility,
};
use pallet_property_registry::{EncumbranceKind, Owner, Ppm, TitleId, WHOLE};
use pallet_property_transfers::{DealId, DealStatus, DealTerms};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo, BoundedVec},
	pallet_aura, pallet_collective, pallet_membership, pallet_scheduler, pallet_timestamp,
	sp_consensus_aura::Slot,
	sp_core::{storage::Storage, H256},
	sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	sp_io::{hashing::blake2_256, TestExternalities},
	sp_runtime::{traits::Hash, BuildStorage},
	sp_state_machine::Backend,
};
use rand_core::OsRng;

// --- Who is who -------------------------------------------------------------------------

/// A well-known account for `name`: the tests sign calls directly, so no key is needed.
fn named(name: &str) -> AccountId {
	AccountId::from(blake2_256(name.as_bytes()))
}

fn civil_registry() -> AccountId {
	named("authority/civil-registry")
}
fn business_registry() -> AccountId {
	named("authority/business-registry")
}
fn ministry_of_education() -> AccountId {
	named("authority/ministry-of-education")
}
fn land_registry() -> AccountId {
	named("authority/land-registry")
}
fn notary() -> AccountId {
	named("authority/notary")
}
fn court() -> AccountId {
	named("authority/court")
}
fn election_commission() -> AccountId {
	named("authority/election-commission")
}
/// Election trustee `index` (from 1), as the elections pallet numbers them.
fn trustee(index: u32) -> AccountId {
	named(&format!("authority/election-trustee/{index}"))
}

/// The citizens, their district of residence, and whether they are adults today.
const CITIZENS: [(&str, DistrictId, bool); 12] = [
	("ana", 1, true),
	("ben", 1, true),
	("carla", 1, true),
	("dan", 2, true),
	("eva", 2, true),
	("finn", 2, true),
	("gus", 1, true),
	("hana", 2, true),
	("ivo", 1, true),
	("jana", 2, true),
	// Lives outside the districts of the elections below.
	("karl", 3, true),
	// Comes of age next year.
	("lea", 1, false),
];

fn citizen(name: &str) -> AccountId {
	named(&format!("citizen/{name}"))
}

fn id_of(name: &str) -> CitizenId {
	pallet_identity_registry::CitizenOf::<Runtime>::get(citizen(name))
		.unwrap_or_else(|| panic!("{name} is a citizen"))
}

fn owner(name: &str) -> Owner {
	Owner::Citizen(id_of(name))
}

/// The bank (entity 0, represented by Jana; it holds the house's mortgage and the flat's
/// lien) and a company (entity 1, represented by Finn).
const BANK: EntityId = 0;
const ACME: EntityId = 1;

fn acme_account() -> AccountId {
	named("entity/acme")
}

// --- Time ---------------------------------------------------------------------------------

/// The day the chain starts: 2025-03-03 (days since the Unix epoch).
const GENESIS_DAY: Day = 20_150;

/// Moves to `block`, with the timestamp and Aura slot such a block has (Aura's `try_state`
/// checks that they agree), and clears the events as a new block does.
fn go_to(block: BlockNumber) {
	assert!(block >= System::block_number(), "time only moves forward");
	System::set_block_number(block);
	let now = u64::from(GENESIS_DAY) * MILLIS_PER_DAY + u64::from(block) * MILLI_SECS_PER_BLOCK;
	pallet_timestamp::Now::<Runtime>::put(now);
	pallet_aura::CurrentSlot::<Runtime>::put(Slot::from(now / SLOT_DURATION));
	System::reset_events();
}

fn today() -> Day {
	IdentityRegistry::today()
}

// --- Genesis and export -------------------------------------------------------------------

fn genesis(preset: &str) -> TestExternalities {
	let json = get_preset(&preset.into()).unwrap_or_else(|| panic!("preset {preset} exists"));
	let config: RuntimeGenesisConfig =
		serde_json::from_slice(&json).unwrap_or_else(|e| panic!("preset {preset} decodes: {e}"));
	let storage = config.build_storage().expect("genesis storage builds");
	TestExternalities::new(storage)
}

/// The chain's state as a node would hand it to `try-runtime`: every key and value.
fn export(mut ext: TestExternalities) -> Storage {
	ext.commit_all().expect("no storage transaction is open");
	let backend = ext.as_backend();
	let top: std::collections::BTreeMap<Vec<u8>, Vec<u8>> = backend
		.pairs(Default::default())
		.expect("the state iterates")
		.map(|pair| pair.expect("every pair reads"))
		.collect();
	// Child tries would need exporting too; nothing here uses them.
	assert!(!top.keys().any(|k| k.starts_with(b":child_storage:")), "no child tries");
	Storage { top, children_default: Default::default() }
}

fn wasm() -> &'static [u8] {
	egov_try_runtime::WASM_BINARY.expect("the try-runtime WASM is built (not SKIP_WASM_BUILD)")
}

fn check(ext: TestExternalities) -> Result<UpgradeReport, CheckError> {
	check_upgrade(export(ext), wasm())
}

// --- Authorities, citizens, entities, credentials -----------------------------------------

fn appoint(who: AccountId, role: Role, kinds: &[CredentialKind]) {
	assert_ok!(IdentityRegistry::appoint_authority(
		RuntimeOrigin::root(),
		who,
		role,
		BoundedVec::truncate_from(kinds.to_vec())
	));
}

fn appoint_authorities() {
	appoint(civil_registry(), Role::CivilRegistry, &[]);
	appoint(business_registry(), Role::BusinessRegistry, &[]);
	appoint(
		ministry_of_education(),
		Role::CredentialIssuer,
		&[CredentialKind::Diploma, CredentialKind::ProfessionalLicence],
	);
	appoint(land_registry(), Role::LandRegistry, &[]);
	appoint(notary(), Role::Notary, &[]);
	appoint(court(), Role::Court, &[]);
	appoint(election_commission(), Role::ElectionCommission, &[]);
	for j in 1..=3 {
		appoint(trustee(j), Role::ElectionTrustee, &[]);
	}
}

fn register_citizens() {
	let today = today();
	for (name, district, adult) in CITIZENS {
		assert_ok!(IdentityRegistry::register_citizen(
			RuntimeOrigin::signed(civil_registry()),
			citizen(name),
			H256(blake2_256(format!("civil record of {name}").as_bytes())),
			district,
			if adult { Majority::Adult } else { Majority::Minor }
		));
	}
	// Lea comes of age next year: the civil registry's batch for that day names her.
	assert_ok!(IdentityRegistry::record_majority(
		RuntimeOrigin::signed(civil_registry()),
		BoundedVec::truncate_from(vec![id_of("lea")]),
		today + 300
	));
}

fn register_entities() {
	for (entity, name, rep) in [(BANK, "bank", "jana"), (ACME, "acme", "finn")] {
		assert_eq!(pallet_identity_registry::NextEntityId::<Runtime>::get(), entity);
		assert_ok!(IdentityRegistry::register_entity(
			RuntimeOrigin::signed(business_registry()),
			H256(blake2_256(format!("company filing of {name}").as_bytes())),
			BoundedVec::truncate_from(vec![id_of(rep)])
		));
	}
}

/// Document hashes of the credentials: a diploma, a licence, and a diploma revoked.
fn document(n: u8) -> H256 {
	H256(blake2_256(&[b"document".as_slice(), &[n]].concat()))
}

fn issue_credentials() {
	let issue = |n, subject, kind, expires_on| {
		assert_ok!(IdentityRegistry::issue_credential(
			RuntimeOrigin::signed(ministry_of_education()),
			document(n),
			subject,
			kind,
			today() - 1_000,
			expires_on
		));
	};
	issue(1, Subject::Citizen(id_of("ana")), CredentialKind::Diploma, None);
	issue(
		2,
		Subject::Citizen(id_of("finn")),
		CredentialKind::ProfessionalLicence,
		Some(today() + 2_000),
	);
	issue(3, Subject::Citizen(id_of("gus")), CredentialKind::Diploma, None);
	assert_ok!(IdentityRegistry::revoke_credential(
		RuntimeOrigin::signed(ministry_of_education()),
		document(3),
		ministry_of_education(),
		RevocationReason::IssuedInError
	));
}

// --- Elections ----------------------------------------------------------------------------

/// The finished election: a mayoral election in district 2 with three candidates.
const FINISHED_ELECTION: ElectionId = 0;
/// The election in the middle of voting: a referendum in districts 1 and 2.
const ELECTION_IN_VOTING: ElectionId = 1;

fn bounded<S: polkadot_sdk::frame_support::traits::Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

fn create_election(
	title: &str,
	kind: BallotKind,
	options: &[&str],
	districts: &[DistrictId],
	opens: BlockNumber,
	closes: BlockNumber,
) -> ElectionId {
	let election = pallet_elections::NextElectionId::<Runtime>::get();
	let params = ElectionParams {
		title: bounded(title),
		kind,
		options: BoundedVec::truncate_from(options.iter().map(|o| bounded(o)).collect()),
		districts: BoundedVec::truncate_from(districts.to_vec()),
		voting_opens: Moment::Block(opens),
		voting_closes: Moment::Block(closes),
		election_day: today(),
		trustees: BoundedVec::truncate_from((1..=3).map(trustee).collect()),
		threshold: 2,
	};
	assert_ok!(Elections::create_election(RuntimeOrigin::signed(election_commission()), params));
	election
}

fn dkg_context(election: ElectionId, index: u32) -> DkgContext {
	DkgContext {
		genesis_hash: Elections::genesis_hash(),
		election_id: election,
		trustee_index: index,
		trustees: 3,
		threshold: 2,
	}
}

/// The trustees' key generation, as the CLI runs it. Returns their transport secrets.
fn run_key_generation(election: ElectionId) -> Vec<Scalar> {
	let transport: Vec<(Scalar, TransportKey)> = (1..=3)
		.map(|j| TransportKey::generate(&dkg_context(election, j), &mut OsRng))
		.collect();
	for (j, (_, key)) in (1..).zip(&transport) {
		assert_ok!(Elections::submit_transport_key(
			RuntimeOrigin::signed(trustee(j)),
			election,
			key.clone()
		));
	}
	let keys: Vec<[u8; 32]> = transport.iter().map(|(_, key)| key.key).collect();
	for j in 1..=3 {
		let dealing =
			Dealing::create(&dkg_context(election, j), &keys, &mut OsRng).expect("a dealing");
		assert_ok!(Elections::submit_dealing(RuntimeOrigin::signed(trustee(j)), election, dealing));
	}
	for j in 1..=3 {
		assert_ok!(Elections::confirm_shares(RuntimeOrigin::signed(trustee(j)), election));
	}
	let e = pallet_elections::Elections::<Runtime>::get(election).expect("the election");
	assert_eq!(e.status, ElectionStatus::Ready);
	transport.into_iter().map(|(secret, _)| secret).collect()
}

/// `name`'s ballot with `choices` (one per option), as the CLI makes it.
fn ballot_of(election: ElectionId, name: &str, choices: &[bool]) -> EncryptedBallot {
	let e = pallet_elections::Elections::<Runtime>::get(election).expect("the election");
	let ctx = BallotContext {
		genesis_hash: Elections::genesis_hash(),
		election_id: election,
		voter: citizen(name).encode(),
		public_key: e.public_key.expect("the joint key"),
	};
	let spec = e.params.kind.spec(e.params.options.len() as u32);
	let (ballot, _opening) =
		egov_ballot::encrypt_ballot(&ctx, &spec, choices, &mut OsRng).expect("a valid choice");
	ballot
}

/// `name` casts a ballot with `choices` (one per option) and gets its tracking code.
fn cast(election: ElectionId, name: &str, choices: &[bool]) -> H256 {
	let ballot = ballot_of(election, name, choices);
	assert_ok!(Elections::cast_ballot(RuntimeOrigin::signed(citizen(name)), election, ballot));
	pallet_elections::Ballots::<Runtime>::get(election, id_of(name))
		.expect("the ballot is kept")
		.tracking_code
}

/// Trustee `j`'s secret share, opened from the dealings on chain.
fn trustee_secret(election: ElectionId, j: u32, transport: &[Scalar]) -> Scalar {
	(1..=3)
		.map(|i| {
			pallet_elections::Dealings::<Runtime>::get(election, i)
				.expect("every dealing")
				.open_share(&dkg_context(election, i), j, &transport[j as usize - 1])
				.expect("the share opens")
		})
		.sum()
}

fn post_share(election: ElectionId, j: u32, transport: &[Scalar]) {
	let tally = pallet_elections::Tallies::<Runtime>::get(election).expect("the tally");
	let ctx = Elections::share_context(election, j).expect("the trustee's key");
	let share =
		DecryptionShare::create(&ctx, &trustee_secret(election, j, transport), &tally, &mut OsRng)
			.expect("a share");
	assert_ok!(Elections::submit_decryption_share(
		RuntimeOrigin::signed(trustee(j)),
		election,
		share
	));
}

fn pick(i: usize, n: usize) -> Vec<bool> {
	(0..n).map(|k| k == i).collect()
}

/// Blocks 2 to 9: the mayoral election of district 2, from creation to its checked result.
fn run_finished_election() {
	go_to(2);
	let election = create_election(
		"Mayor of district 2",
		BallotKind::SingleChoice,
		&["Candidate A", "Candidate B", "Candidate C"],
		&[2],
		3,
		8,
	);
	assert_eq!(election, FINISHED_ELECTION);
	let transport = run_key_generation(election);
	go_to(3);
	assert_ok!(Elections::open_voting(RuntimeOrigin::signed(election_commission()), election));
	for (block, name, candidate) in
		[(3, "dan", 0), (4, "eva", 1), (4, "finn", 0), (5, "hana", 2), (6, "jana", 0)]
	{
		go_to(block);
		cast(election, name, &pick(candidate, 3));
	}
	go_to(8);
	assert_ok!(Elections::close_voting(RuntimeOrigin::signed(citizen("ana")), election));
	post_share(election, 1, &transport);
	go_to(9);
	post_share(election, 3, &transport);
	assert_ok!(Elections::publish_result(
		RuntimeOrigin::signed(citizen("ana")),
		election,
		vec![3, 1, 1].try_into().expect("three counts")
	));
}

/// The referendum's ballots, cast from block 20 on: who, and yes (`true`) or no.
const REFERENDUM_BALLOTS: [(&str, bool); 9] = [
	("ana", true),
	("ben", false),
	("carla", true),
	("dan", false),
	("eva", true),
	("finn", true),
	("gus", false),
	("hana", true),
	("jana", true),
];

fn yes_no(yes: bool) -> [bool; 2] {
	[yes, !yes]
}

/// Blocks 10 to 29: the referendum is created, keyed, opened and most citizens vote; Ben
/// changes his mind, and Eva moves to district 1 and votes again. Voting runs a week.
fn run_referendum_to_mid_voting() -> (H256, H256) {
	go_to(10);
	let election = create_election(
		"Referendum on the digital identity card",
		BallotKind::Referendum,
		&["Yes", "No"],
		&[1, 2],
		20,
		20 + 7 * DAYS,
	);
	assert_eq!(election, ELECTION_IN_VOTING);
	run_key_generation(election);
	go_to(20);
	assert_ok!(Elections::open_voting(RuntimeOrigin::signed(election_commission()), election));
	let mut first_of_ben = H256::zero();
	for (block, (name, yes)) in (20..).zip(REFERENDUM_BALLOTS) {
		go_to(block);
		let code = cast(election, name, &yes_no(yes));
		if name == "ben" {
			first_of_ben = code;
		}
	}
	go_to(29);
	let second_of_ben = cast(election, "ben", &yes_no(true));
	assert_ok!(IdentityRegistry::update_district(
		RuntimeOrigin::signed(civil_registry()),
		id_of("eva"),
		1
	));
	cast(election, "eva", &yes_no(false));
	// Those who may not vote here are refused.
	for (name, error) in [
		("karl", pallet_elections::Error::<Runtime>::OutOfDistrict),
		("lea", pallet_elections::Error::<Runtime>::NotAnAdult),
	] {
		let e = pallet_elections::Elections::<Runtime>::get(election).unwrap();
		let ctx = BallotContext {
			genesis_hash: Elections::genesis_hash(),
			election_id: election,
			voter: citizen(name).encode(),
			public_key: e.public_key.unwrap(),
		};
		let ballot =
			egov_ballot::encrypt_ballot(&ctx, &e.params.kind.spec(2), &yes_no(true), &mut OsRng)
				.unwrap()
				.0;
		assert_noop!(
			Elections::cast_ballot(RuntimeOrigin::signed(citizen(name)), election, ballot),
			error
		);
	}
	(first_of_ben, second_of_ben)
}

// --- Property -----------------------------------------------------------------------------

/// Ana's house, mortgaged to the bank, with a right of way for Ben: on sale to Ben.
const HOUSE: TitleId = 0;
/// A farm Carla, Dan and Eva own together: Dan sells his share to Carla.
const FARM: TitleId = 1;
/// Acme's warehouse: sold to Gus, settled.
const WAREHOUSE: TitleId = 2;
/// Hana's flat: a sale cancelled, a tax lien, rectified and frozen by a court.
const FLAT: TitleId = 3;

const HOUSE_SALE: DealId = 0;
const FARM_SALE: DealId = 1;
const WAREHOUSE_SALE: DealId = 2;
const FLAT_SALE: DealId = 3;

const HOUSE_PRICE: Balance = 150_000 * UNIT;
const MORTGAGE: Balance = 40_000 * UNIT;
const FARM_PRICE: Balance = 60_000 * UNIT;
const WAREHOUSE_PRICE: Balance = 80_000 * UNIT;

fn shares(owners: &[(Owner, Ppm)]) -> pallet_property_registry::SharesOf<Runtime> {
	BoundedVec::truncate_from(owners.to_vec())
}

fn create_title(cadastral_id: &str, owners: &[(Owner, Ppm)]) -> TitleId {
	let title = pallet_property_registry::NextTitleId::<Runtime>::get();
	assert_ok!(PropertyRegistry::create_title(
		RuntimeOrigin::signed(land_registry()),
		bounded(cadastral_id),
		H256(blake2_256(format!("parcel data of {cadastral_id}").as_bytes())),
		shares(owners)
	));
	title
}

fn encumber(title: TitleId, kind: EncumbranceKind) {
	assert_ok!(PropertyRegistry::add_encumbrance(
		RuntimeOrigin::signed(land_registry()),
		title,
		kind
	));
}

fn fund(who: AccountId, amount: Balance) {
	assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who.into(), amount));
}

#[allow(clippy::too_many_arguments)]
fn open_deal(
	by: AccountId,
	title: TitleId,
	seller: Owner,
	buyer: Owner,
	share: Ppm,
	price: Balance,
	releases: &[u32],
	land_registry_approval: bool,
	seller_payout: AccountId,
) -> DealId {
	let deal = pallet_property_transfers::NextDealId::<Runtime>::get();
	let terms = DealTerms {
		title,
		seller,
		buyer,
		share,
		price,
		deadline: System::block_number() + 30 * DAYS,
		releases: BoundedVec::truncate_from(releases.to_vec()),
		land_registry_approval,
		seller_payout,
	};
	assert_ok!(PropertyTransfers::open_deal(RuntimeOrigin::signed(by), terms));
	deal
}

fn case(reference: &str) -> H256 {
	H256(blake2_256(reference.as_bytes()))
}

/// Blocks 40 to 60: titles, encumbrances, a court order and the four deals.
fn run_property() {
	go_to(40);
	for (name, amount) in
		[("ben", 200_000 * UNIT), ("carla", 100_000 * UNIT), ("gus", 100_000 * UNIT)]
	{
		fund(citizen(name), amount);
	}
	assert_eq!(create_title("CAD-1001/HOUSE", &[(owner("ana"), WHOLE)]), HOUSE);
	assert_eq!(
		create_title(
			"CAD-1002/FARM",
			&[(owner("carla"), 500_000), (owner("dan"), 300_000), (owner("eva"), 200_000)]
		),
		FARM
	);
	assert_eq!(create_title("CAD-2001/WAREHOUSE", &[(Owner::Entity(ACME), WHOLE)]), WAREHOUSE);
	assert_eq!(create_title("CAD-2002/FLAT", &[(owner("hana"), WHOLE)]), FLAT);
	encumber(HOUSE, EncumbranceKind::Mortgage { creditor: BANK, amount: MORTGAGE });
	encumber(
		HOUSE,
		EncumbranceKind::Easement { beneficiary: owner("ben"), terms: case("right of way") },
	);

	// The house: notarised and paid into escrow; the bank has yet to approve.
	go_to(41);
	let deal = open_deal(
		citizen("ana"),
		HOUSE,
		owner("ana"),
		owner("ben"),
		WHOLE,
		HOUSE_PRICE,
		&[0],
		false,
		citizen("ana"),
	);
	assert_eq!(deal, HOUSE_SALE);
	assert_ok!(PropertyTransfers::approve_as_notary(RuntimeOrigin::signed(notary()), deal));
	go_to(42);
	assert_ok!(PropertyTransfers::deposit(
		RuntimeOrigin::signed(citizen("ben")),
		deal,
		HOUSE_PRICE
	));

	// The farm: Dan's 30 % to Carla; the land registry approved and Eva consented.
	go_to(43);
	let deal = open_deal(
		citizen("dan"),
		FARM,
		owner("dan"),
		owner("carla"),
		300_000,
		FARM_PRICE,
		&[],
		true,
		citizen("dan"),
	);
	assert_eq!(deal, FARM_SALE);
	assert_ok!(PropertyTransfers::approve_as_land_registry(
		RuntimeOrigin::signed(land_registry()),
		deal
	));
	assert_ok!(PropertyTransfers::consent(RuntimeOrigin::signed(citizen("eva")), deal));

	// The warehouse: Acme sells to Gus, all the way to settlement.
	go_to(44);
	let deal = open_deal(
		citizen("finn"),
		WAREHOUSE,
		Owner::Entity(ACME),
		owner("gus"),
		WHOLE,
		WAREHOUSE_PRICE,
		&[],
		false,
		acme_account(),
	);
	assert_eq!(deal, WAREHOUSE_SALE);
	assert_ok!(PropertyTransfers::approve_as_notary(RuntimeOrigin::signed(notary()), deal));
	assert_ok!(PropertyTransfers::deposit(
		RuntimeOrigin::signed(citizen("gus")),
		deal,
		WAREHOUSE_PRICE
	));
	go_to(45);
	let treasury = egov_runtime::configs::governance::TreasuryAccount::get();
	let before = Balances::free_balance(&treasury);
	assert_ok!(PropertyTransfers::settle(RuntimeOrigin::signed(citizen("gus")), deal));
	let duty = WAREHOUSE_PRICE / 50;
	assert_eq!(Balances::free_balance(&treasury), before + duty, "2 % transfer duty");
	assert_eq!(Balances::free_balance(acme_account()), WAREHOUSE_PRICE - duty);

	// The flat: a sale Hana cancels, a tax lien, then a court rectifies and freezes it.
	go_to(50);
	let deal = open_deal(
		citizen("hana"),
		FLAT,
		owner("hana"),
		owner("ivo"),
		WHOLE,
		50_000 * UNIT,
		&[],
		false,
		citizen("hana"),
	);
	assert_eq!(deal, FLAT_SALE);
	assert_ok!(PropertyTransfers::cancel(RuntimeOrigin::signed(citizen("hana")), deal));
	encumber(FLAT, EncumbranceKind::Lien { holder: Owner::Entity(BANK), amount: 5_000 * UNIT });
	go_to(55);
	assert_ok!(PropertyRegistry::rectify_title(
		RuntimeOrigin::signed(court()),
		FLAT,
		Some(shares(&[(owner("hana"), 500_000), (owner("ivo"), 500_000)])),
		None,
		case("District court 2025/117: inheritance")
	));
	assert_ok!(PropertyRegistry::freeze_title(
		RuntimeOrigin::signed(court()),
		FLAT,
		case("District court 2025/131: dispute")
	));
}

// --- Governance ---------------------------------------------------------------------------

/// Block 60: the whole council announces adding the national CERT to the technical
/// committee; it waits out its notice in the scheduler.
fn announce_an_act() -> BlockNumber {
	go_to(60);
	let act = RuntimeCall::TechnicalMembership(pallet_membership::Call::add_member {
		who: named("national-cert").into(),
	});
	let call =
		RuntimeCall::PublicNotice(pallet_public_notice::Call::announce { call: Box::new(act) });
	let council = CouncilMembership::members().into_inner();
	let len = call.encoded_size() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = <Runtime as polkadot_sdk::frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	assert_ok!(Council::propose(
		RuntimeOrigin::signed(council[0].clone()),
		council.len() as u32,
		Box::new(call),
		len
	));
	for member in &council {
		assert_ok!(Council::vote(RuntimeOrigin::signed(member.clone()), hash, index, true));
	}
	assert_ok!(Council::close(RuntimeOrigin::signed(council[0].clone()), hash, index, weight, len));
	60 + pallet_public_notice::NoticePeriod::<Runtime>::get()
}

// --- The realistic state ------------------------------------------------------------------

/// `preset`'s genesis, then a registry in operation, checked natively to be what it says.
fn realistic(preset: &str) -> TestExternalities {
	let mut ext = genesis(preset);
	ext.execute_with(|| {
		go_to(1);
		appoint_authorities();
		register_citizens();
		register_entities();
		issue_credentials();
		run_finished_election();
		let (first_of_ben, second_of_ben) = run_referendum_to_mid_voting();
		run_property();
		let enactment = announce_an_act();
		check_state(first_of_ben, second_of_ben, enactment);
	});
	ext
}

/// What [`realistic`] built, read back through the pallets' getters and runtime APIs.
fn check_state(first_of_ben: H256, second_of_ben: H256, enactment: BlockNumber) {
	use egov_primitives::runtime_api::{CredentialStatus, Eligibility};

	// Registry.
	assert_eq!(pallet_identity_registry::NextCitizenId::<Runtime>::get(), CITIZENS.len() as u64);
	assert_eq!(pallet_identity_registry::NextEntityId::<Runtime>::get(), 2);
	assert_eq!(IdentityRegistry::roles_of(&trustee(2)), vec![Role::ElectionTrustee]);
	assert_eq!(
		IdentityRegistry::eligibility(&citizen("lea"), today()),
		Eligibility::Minor { adult_from: today() + 300 }
	);
	assert_eq!(
		IdentityRegistry::eligibility(&citizen("eva"), today()),
		Eligibility::Eligible { district: 1 }
	);
	assert_eq!(
		IdentityRegistry::entity_view(BANK).expect("the bank").representatives,
		vec![citizen("jana")]
	);
	assert!(matches!(
		IdentityRegistry::credential_status(document(2), &ministry_of_education()),
		CredentialStatus::Valid { kind: CredentialKind::ProfessionalLicence, .. }
	));
	assert!(matches!(
		IdentityRegistry::credential_status(document(3), &ministry_of_education()),
		CredentialStatus::Revoked { reason: RevocationReason::IssuedInError, .. }
	));

	// The finished election.
	let e = pallet_elections::Elections::<Runtime>::get(FINISHED_ELECTION).unwrap();
	assert_eq!((e.status, e.voters, e.ballots_cast), (ElectionStatus::Final, 5, 5));
	assert_eq!(
		pallet_elections::Results::<Runtime>::get(FINISHED_ELECTION).map(|c| c.into_inner()),
		Some(vec![3, 1, 1])
	);
	assert_eq!(
		pallet_elections::DecryptionShares::<Runtime>::iter_key_prefix(FINISHED_ELECTION).count(),
		2
	);

	// The referendum, mid-voting: nine voters, eleven ballots.
	let e = pallet_elections::Elections::<Runtime>::get(ELECTION_IN_VOTING).unwrap();
	assert_eq!((e.status, e.voters, e.ballots_cast), (ElectionStatus::Voting, 9, 11));
	let mut turnout = Elections::turnout(ELECTION_IN_VOTING);
	turnout.sort();
	// Eva moved to district 1 mid-voting: her second ballot still counts in district 2,
	// where the roll fixed at the opening has her.
	assert_eq!(turnout, vec![(1, 4), (2, 5)]);
	assert_eq!(
		Elections::tracking_status(first_of_ben),
		TrackingStatus::Superseded { election: ELECTION_IN_VOTING }
	);
	assert_eq!(
		Elections::tracking_status(second_of_ben),
		TrackingStatus::Counted { election: ELECTION_IN_VOTING, cast_at: 29 }
	);
	assert!(matches!(
		Elections::voter_eligibility(ELECTION_IN_VOTING, &citizen("ivo")),
		VoterEligibility::Eligible { district: 1, casts_left: 5 }
	));
	assert_eq!(
		Elections::voter_eligibility(ELECTION_IN_VOTING, &citizen("karl")),
		VoterEligibility::OutOfDistrict
	);
	assert_eq!(
		Elections::voter_eligibility(ELECTION_IN_VOTING, &citizen("lea")),
		VoterEligibility::Minor
	);

	// Titles.
	assert_eq!(pallet_property_registry::NextTitleId::<Runtime>::get(), 4);
	let house = PropertyRegistry::title_view(HOUSE).unwrap();
	assert_eq!((house.encumbrances.len(), house.history_len), (2, 3));
	let farm = PropertyRegistry::title_view(FARM).unwrap();
	assert_eq!(farm.owners.len(), 3);
	let warehouse = PropertyRegistry::title_view(WAREHOUSE).unwrap();
	assert_eq!(warehouse.owners, vec![(owner("gus"), WHOLE)]);
	assert_eq!(warehouse.history_len, 2, "created, then transferred by the deal");
	let flat = PropertyRegistry::title_view(FLAT).unwrap();
	assert_eq!(flat.owners, vec![(owner("hana"), 500_000), (owner("ivo"), 500_000)]);
	assert!(flat.frozen.is_some());

	// Deals: two open, one settled, one cancelled; the escrow holds the house's price.
	let status = |deal| PropertyTransfers::deal_view(deal).unwrap().status;
	assert_eq!(
		[HOUSE_SALE, FARM_SALE, WAREHOUSE_SALE, FLAT_SALE].map(status),
		[DealStatus::Open, DealStatus::Open, DealStatus::Settled, DealStatus::Cancelled]
	);
	let house_sale = PropertyTransfers::deal_view(HOUSE_SALE).unwrap();
	assert_eq!(house_sale.deposit, Some(citizen("ben")));
	assert!(!house_sale.ready, "the bank has not approved");
	let farm_sale = PropertyTransfers::deal_view(FARM_SALE).unwrap();
	assert_eq!(farm_sale.consents, vec![(owner("eva"), citizen("eva"))]);
	assert_eq!(farm_sale.pending_consents, Vec::<Owner>::new());
	assert!(!farm_sale.ready, "no notary, no deposit yet");
	assert_eq!(PropertyTransfers::deals_of_title(FARM), vec![FARM_SALE]);
	assert_eq!(Balances::free_balance(PropertyTransfers::escrow_account()), HOUSE_PRICE);

	// The announced act waits for its notice.
	assert_eq!(pallet_scheduler::Agenda::<Runtime>::get(enactment).len(), 1);
}

fn assert_upgrade_passes(preset: &str) {
	let report = check(realistic(preset)).unwrap_or_else(|e| panic!("{preset}: {e}"));
	println!(
		"{preset}: {} {} upgrade checks passed; migrations weigh {} (a block allows {})",
		report.version.spec_name,
		report.version.spec_version,
		report.migration_weight,
		report.max_block_weight,
	);
	assert!(report.migration_weight.all_lte(report.max_block_weight));
}

#[test]
fn upgrade_checks_pass_on_a_production_chain_in_use() {
	assert_upgrade_passes(PRODUCTION_RUNTIME_PRESET);
}

#[test]
fn upgrade_checks_pass_on_a_local_testnet_in_use() {
	assert_upgrade_passes(LOCAL_TESTNET_RUNTIME_PRESET);
}

/// The next release (`spec_version + 1`, elections to storage version 2) on the state the
/// current runtime left: its migration's pre- and post-upgrade checks and the new
/// `try_state` (re-votes per district recounted from the ballots) pass.
#[test]
fn the_next_release_migrates_a_chain_in_use() {
	let next = egov_try_runtime::next_release::WASM_BINARY.expect("the next-release WASM is built");
	for preset in [PRODUCTION_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		let state = export(realistic(preset));
		let report = check_upgrade(state.clone(), next).unwrap_or_else(|e| panic!("{preset}: {e}"));
		let current_version = egov_runtime::VERSION.spec_version;
		assert_eq!(
			report.version.spec_version,
			current_version + 1,
			"{preset}: one spec_version up"
		);
		// Ben's and Eva's re-votes are read and counted: more than the XCM migration alone.
		let current = check_upgrade(state, wasm()).unwrap();
		assert!(
			report.migration_weight.ref_time() > current.migration_weight.ref_time(),
			"{preset}: the elections migration ran ({} vs {})",
			report.migration_weight,
			current.migration_weight
		);
		println!("{preset}: next release migrates; migrations weigh {}", report.migration_weight);
	}
}

// --- Attacks: corrupted state must fail the checks ------------------------------------------

fn assert_check_fails(ext: TestExternalities, expected: &str) {
	match check(ext) {
		Err(CheckError::ChecksFailed(msg)) => {
			assert!(msg.contains(expected), "expected {expected:?} in: {msg}");
			println!("caught: {expected}");
		},
		Err(e) => panic!("expected the checks to fail with {expected:?}, got: {e}"),
		Ok(report) => panic!("the corrupted state passed the checks: {report:?}"),
	}
}

#[test]
fn a_tally_that_is_not_the_sum_of_its_ballots_fails_the_checks() {
	let mut ext = realistic(PRODUCTION_RUNTIME_PRESET);
	ext.execute_with(|| {
		// The referendum's tally zeroed: as if every ballot so far had been dropped.
		let zero: egov_ballot::Ciphertexts = vec![Ciphertext::zero()].try_into().expect("one");
		pallet_elections::Tallies::<Runtime>::insert(ELECTION_IN_VOTING, zero);
	});
	assert_check_fails(ext, "the tally is not the sum of the counted ballots");
}

#[test]
fn other_corrupted_state_fails_the_checks() {
	let cases: [(fn(), &str); 4] = [
		(
			|| {
				pallet_elections::Elections::<Runtime>::mutate(ELECTION_IN_VOTING, |e| {
					e.as_mut().unwrap().voters += 1
				})
			},
			"the voter count is not the number of counted ballots",
		),
		(
			|| pallet_identity_registry::CitizenOf::<Runtime>::remove(citizen("ana")),
			"citizen's account not bound to it in CitizenOf",
		),
		(
			|| {
				// Dan's share handed to Carla without a deal or court order.
				pallet_property_registry::Titles::<Runtime>::mutate(FARM, |t| {
					t.as_mut().unwrap().owners =
						shares(&[(owner("carla"), 800_000), (owner("eva"), 200_000)])
				})
			},
			"owners disagree with history",
		),
		(
			|| fund(PropertyTransfers::escrow_account(), UNIT),
			"the escrow account holds less than the open deals' deposits",
		),
	];
	for (corrupt, expected) in cases {
		let mut ext = realistic(LOCAL_TESTNET_RUNTIME_PRESET);
		ext.execute_with(corrupt);
		assert_check_fails(ext, expected);
	}
}

// --- A block with a forged ballot ----------------------------------------------------------

/// Applies `call` signed by `who` as a block applies it: every extension of the runtime's
/// `TxExtension` in order, with the source a block gives them (`InBlock`), then the call.
fn apply_in_block(who: AccountId, call: RuntimeCall) -> Result<(), String> {
	use polkadot_sdk::sp_runtime::{
		generic::Era,
		traits::{DispatchTransaction, TransactionExtension},
	};
	let extension = egov_runtime::tx_extension(System::account_nonce(&who), Era::Immortal);
	let mut info = call.get_dispatch_info();
	info.extension_weight = extension.weight(&call);
	match extension.dispatch_transaction(RuntimeOrigin::signed(who), call, &info, 0, 0) {
		Ok(Ok(_)) => Ok(()),
		Ok(Err(e)) => Err(format!("dispatch: {e:?}")),
		Err(e) => Err(format!("invalid: {e:?}")),
	}
}

/// A block as the runtime executes it, with the runtime's signed extensions and hooks: an
/// honest ballot, then Ben's, whose proof response was forged after it was made (it still
/// answers its challenge, so every check in the block lets it in), then the block's end,
/// where the batch check of the block's proofs panics: no node imports the block. The same
/// block with Ben's ballot as made ends.
#[test]
fn a_block_with_a_forged_ballot_does_not_end() {
	use polkadot_sdk::frame_support::traits::Hooks;
	let block = |forge: bool| {
		std::panic::catch_unwind(move || {
			genesis(PRODUCTION_RUNTIME_PRESET).execute_with(|| {
				go_to(1);
				appoint_authorities();
				register_citizens();
				go_to(10);
				let election = create_election(
					"Referendum",
					BallotKind::Referendum,
					&["Yes", "No"],
					&[1],
					20,
					40,
				);
				run_key_generation(election);
				go_to(20);
				assert_ok!(Elections::open_voting(
					RuntimeOrigin::signed(election_commission()),
					election
				));
				go_to(21);
				let cast_call = |ballot| {
					RuntimeCall::Elections(pallet_elections::Call::cast_ballot { election, ballot })
				};
				let honest = ballot_of(election, "ana", &yes_no(true));
				assert_eq!(apply_in_block(citizen("ana"), cast_call(honest)), Ok(()));
				let mut ben = ballot_of(election, "ben", &yes_no(false));
				if forge {
					ben.option_proofs[0].responses[0] = Scalar::ONE.to_bytes();
				}
				assert_eq!(apply_in_block(citizen("ben"), cast_call(ben)), Ok(()));
				assert_eq!(pallet_elections::QueuedBallots::<Runtime>::decode_len(), Some(2));
				<Elections as Hooks<BlockNumber>>::on_finalize(21);
				assert_eq!(pallet_elections::QueuedBallots::<Runtime>::decode_len(), None);
			})
		})
		.map_err(|panic| {
			panic
				.downcast_ref::<String>()
				.cloned()
				.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
				.unwrap_or_default()
		})
	};
	assert_eq!(block(false), Ok(()));
	assert_eq!(block(true), Err(pallet_elections::FALSE_PROOF_IN_BLOCK.to_string()));
}
