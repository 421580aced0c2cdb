//! Runtime tests: genesis presets build, and the basic acts of the chain execute.

use codec::Encode;
use egov_runtime::{
	genesis_config_presets::{get_preset, preset_names, PRODUCTION_RUNTIME_PRESET},
	AccountId, Balances, CollatorSelection, Council, CouncilMembership, IdentityRegistry, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeGenesisConfig, RuntimeOrigin, Session, System, UNIT,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo},
	pallet_balances, pallet_collator_selection, pallet_collective, pallet_session, pallet_sudo,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{traits::Hash, BuildStorage, DispatchError},
};

fn config_of(preset: &str) -> RuntimeGenesisConfig {
	let json = get_preset(&preset.into()).unwrap_or_else(|| panic!("preset {preset} exists"));
	serde_json::from_slice(&json).unwrap_or_else(|e| panic!("preset {preset} decodes: {e}"))
}

fn ext_of(preset: &str) -> TestExternalities {
	let storage = config_of(preset).build_storage().expect("genesis storage builds");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// Ferdie, appointed the civil registry by root.
fn civil_registry() -> AccountId {
	let registry = account(Sr25519Keyring::Ferdie);
	assert_ok!(IdentityRegistry::appoint_authority(
		RuntimeOrigin::root(),
		registry.clone(),
		egov_primitives::Role::CivilRegistry,
		polkadot_sdk::frame_support::BoundedVec::default()
	));
	registry
}

#[test]
fn every_genesis_preset_builds() {
	let names: Vec<String> = preset_names()
		.iter()
		.map(|p| String::from_utf8_lossy(p.as_ref()).into_owned())
		.collect();
	assert_eq!(
		names,
		[DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET, PRODUCTION_RUNTIME_PRESET]
	);
	for name in &names {
		ext_of(name).execute_with(|| {
			assert!(!pallet_collator_selection::Invulnerables::<Runtime>::get().is_empty());
			assert!(!CouncilMembership::members().is_empty(), "{name} has a council");
			assert_eq!(
				pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(),
				CouncilMembership::members().into_inner(),
				"{name}: the council is initialised from its membership"
			);
			assert_eq!(
				Session::validators().len(),
				pallet_collator_selection::Invulnerables::<Runtime>::get().len()
			);
		});
	}
}

#[test]
fn unknown_preset_is_refused() {
	assert!(get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn production_preset_has_no_sudo() {
	let config = config_of(PRODUCTION_RUNTIME_PRESET);
	assert_eq!(config.sudo.key, None);
	let json: serde_json::Value =
		serde_json::from_slice(&get_preset(&PRODUCTION_RUNTIME_PRESET.into()).unwrap()).unwrap();
	assert!(json["sudo"]["key"].is_null(), "production preset JSON: {}", json["sudo"]);
	ext_of(PRODUCTION_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		// Every ministry collates and sits on the council.
		let council = CouncilMembership::members().into_inner();
		let collators = pallet_collator_selection::Invulnerables::<Runtime>::get().into_inner();
		assert_eq!(council.len(), 5);
		let mut sorted_council = council.clone();
		sorted_council.sort();
		let mut sorted_collators = collators.clone();
		sorted_collators.sort();
		assert_eq!(sorted_council, sorted_collators);
		// No dev key holds power in production.
		for k in Sr25519Keyring::iter() {
			assert!(!council.contains(&k.to_account_id()));
		}
	});
}

#[test]
fn only_the_dev_preset_has_sudo() {
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account(Sr25519Keyring::Alice)))
	});
	// The relay-chain network runs as production does: governance is the only way to Root.
	ext_of(LOCAL_TESTNET_RUNTIME_PRESET)
		.execute_with(|| assert_eq!(pallet_sudo::Key::<Runtime>::get(), None));
}

#[test]
fn local_testnet_has_three_ministry_collators() {
	ext_of(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let collators = pallet_collator_selection::Invulnerables::<Runtime>::get();
		assert_eq!(collators.len(), 3);
	});
}

#[test]
fn balance_transfer_executes() {
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let dave = account(Sr25519Keyring::Dave);
		let before = Balances::free_balance(&dave);
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(alice.clone()),
			dave.clone().into(),
			5 * UNIT
		));
		assert_eq!(Balances::free_balance(&dave), before + 5 * UNIT);
		System::assert_last_event(RuntimeEvent::Balances(pallet_balances::Event::Transfer {
			from: alice.clone(),
			to: dave.clone(),
			amount: 5 * UNIT,
		}));
		// Overdrawing is refused and changes nothing.
		let total = Balances::total_issuance();
		assert!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(dave.clone()),
			alice.into(),
			before + 6 * UNIT
		)
		.is_err());
		assert_eq!(Balances::total_issuance(), total);
		assert_eq!(Balances::free_balance(&dave), before + 5 * UNIT);
	});
}

#[test]
fn council_motion_executes_a_governance_call() {
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		let [alice, bob, charlie] =
			[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie].map(account);
		let call = RuntimeCall::CollatorSelection(
			pallet_collator_selection::Call::set_desired_candidates { max: 7 },
		);
		// A single ministry cannot act for the council.
		assert_noop!(
			CollatorSelection::set_desired_candidates(RuntimeOrigin::signed(alice.clone()), 7),
			DispatchError::BadOrigin
		);

		let len = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = polkadot_sdk::sp_runtime::traits::BlakeTwo256::hash_of(&call);
		assert_ok!(Council::propose(RuntimeOrigin::signed(alice.clone()), 2, Box::new(call), len));
		assert_ok!(Council::vote(RuntimeOrigin::signed(alice.clone()), hash, 0, true));
		// Two of three ministries reach the two-thirds governance threshold.
		assert_ok!(Council::vote(RuntimeOrigin::signed(bob), hash, 0, true));
		assert_ok!(Council::close(RuntimeOrigin::signed(charlie), hash, 0, weight, len));
		assert_eq!(pallet_collator_selection::DesiredCandidates::<Runtime>::get(), 7);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Council(pallet_collective::Event::Executed { result: Ok(()), .. })
		)));
	});
}

#[test]
fn council_motion_below_two_thirds_cannot_act() {
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let call = RuntimeCall::CollatorSelection(
			pallet_collator_selection::Call::set_desired_candidates { max: 9 },
		);
		let len = call.encoded_size() as u32;
		// Threshold 1 executes at once, with a one-member origin: below two thirds.
		assert_ok!(Council::propose(RuntimeOrigin::signed(alice), 1, Box::new(call), len));
		assert_ne!(pallet_collator_selection::DesiredCandidates::<Runtime>::get(), 9);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Council(pallet_collective::Event::Executed {
				result: Err(DispatchError::BadOrigin),
				..
			})
		)));
	});
}

/// Collation belongs to the ministries the council makes invulnerable: no account can
/// bond its way into the collator set, even once the council raises `DesiredCandidates`.
#[test]
fn nobody_can_bond_their_way_into_the_collator_set() {
	ext_of(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_ok!(CollatorSelection::set_desired_candidates(RuntimeOrigin::root(), 5));
		let eve = account(Sr25519Keyring::Eve);
		assert_ok!(Balances::force_set_balance(
			RuntimeOrigin::root(),
			eve.clone().into(),
			1_000 * UNIT
		));
		let keys = egov_runtime::SessionKeys {
			aura: Sr25519Keyring::Eve.public().into(),
			authority_discovery: Sr25519Keyring::Eve.public().into(),
		};
		// Eve's session keys, as `Session::set_keys` with a valid ownership proof stores them.
		pallet_session::NextKeys::<Runtime>::insert(&eve, keys);
		assert_noop!(
			CollatorSelection::register_as_candidate(RuntimeOrigin::signed(eve)),
			pallet_collator_selection::Error::<Runtime>::TooManyCandidates
		);
	});
}

/// XCM delivery is not priced, so only Root (governance) may send: a signed account
/// sending to the relay chain is refused before anything is queued.
#[test]
fn only_governance_sends_xcm() {
	use polkadot_sdk::staging_xcm::prelude::*;
	ext_of(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let eve = account(Sr25519Keyring::Eve);
		assert_ok!(Balances::force_set_balance(
			RuntimeOrigin::root(),
			eve.clone().into(),
			1_000 * UNIT
		));
		let message = Xcm::<()>(vec![ClearOrigin]);
		assert_noop!(
			egov_runtime::PolkadotXcm::send(
				RuntimeOrigin::signed(eve),
				Box::new(VersionedLocation::from(Location::parent())),
				Box::new(VersionedXcm::from(message)),
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn only_governance_changes_the_council() {
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		let dave = account(Sr25519Keyring::Dave);
		assert_noop!(
			CouncilMembership::add_member(RuntimeOrigin::signed(dave.clone()), dave.clone().into()),
			DispatchError::BadOrigin
		);
		assert_ok!(CouncilMembership::add_member(RuntimeOrigin::root(), dave.clone().into()));
		assert!(pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get()
			.contains(&dave));
	});
}

/// The figure in the identity pallet's docs: bytes of state (keys and values) that one
/// more citizen adds to the pallet, with the runtime's real 32-byte accounts.
#[test]
fn state_per_citizen_is_310_bytes() {
	use polkadot_sdk::{
		frame_support::traits::StorageInfoTrait,
		sp_core::H256,
		sp_io::{self, hashing::twox_128},
	};
	fn pallet_bytes() -> usize {
		let prefix = twox_128(b"IdentityRegistry");
		let mut total = 0;
		let mut key = prefix.to_vec();
		while let Some(next) = sp_io::storage::next_key(&key) {
			if !next.starts_with(&prefix) {
				break;
			}
			total += next.len() + sp_io::storage::get(&next).map_or(0, |v| v.len());
			key = next;
		}
		total
	}
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		let registry = civil_registry();
		let register = |who: Sr25519Keyring, n: u8| {
			assert_ok!(IdentityRegistry::register_citizen(
				RuntimeOrigin::signed(registry.clone()),
				account(who),
				H256::repeat_byte(n),
				1,
				egov_primitives::Majority::Adult
			));
		};
		// The first registration also creates the id counter; measure the second.
		register(Sr25519Keyring::Dave, 1);
		let before = pallet_bytes();
		register(Sr25519Keyring::Eve, 2);
		assert_eq!(pallet_bytes() - before, 310);
		assert!(!IdentityRegistry::storage_info().is_empty());
	});
}

#[test]
fn a_feeless_call_is_not_charged_for_the_payment_check_it_skips() {
	use egov_runtime::feeless::SkipPaymentIfFeeless;
	use polkadot_sdk::{
		pallet_skip_feeless_payment::SkipCheckIfFeeless,
		pallet_transaction_payment::ChargeTransactionPayment,
		sp_core::H256,
		sp_runtime::traits::{DispatchTransaction, TransactionExtension},
	};
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		// A citizen's key rotation, accepted feelessly by the new account (its notice starts).
		let registry = civil_registry();
		let dave = account(Sr25519Keyring::Dave);
		assert_ok!(IdentityRegistry::register_citizen(
			RuntimeOrigin::signed(registry.clone()),
			dave.clone(),
			H256::repeat_byte(1),
			1,
			egov_primitives::Majority::Adult
		));
		let citizen = pallet_identity_registry::CitizenOf::<Runtime>::get(&dave).unwrap();
		let accept = |new: &AccountId| {
			assert_ok!(IdentityRegistry::initiate_account_rotation(
				RuntimeOrigin::signed(registry.clone()),
				citizen,
				new.clone()
			));
			let call = RuntimeCall::IdentityRegistry(
				pallet_identity_registry::Call::accept_account_rotation {},
			);
			assert!(polkadot_sdk::frame_support::dispatch::CheckIfFeeless::is_feeless(
				&call,
				&RuntimeOrigin::signed(new.clone())
			));
			call
		};
		let payment = ChargeTransactionPayment::<Runtime>::from(0);

		// Upstream: the payment check is skipped, but its weight stays on the block.
		let new = account(Sr25519Keyring::Charlie);
		let call = accept(&new);
		let upstream = SkipCheckIfFeeless::<Runtime, _>::from(payment.clone());
		let mut info = call.get_dispatch_info();
		info.extension_weight = upstream.weight(&call);
		assert!(info.extension_weight.ref_time() > 0);
		let post = upstream
			.dispatch_transaction(RuntimeOrigin::signed(new.clone()), call, &info, 0, 0)
			.unwrap()
			.unwrap();
		assert_eq!(post.actual_weight, Some(info.call_weight + info.extension_weight));

		// Ours: the skipped check's weight is refunded.
		let newer = account(Sr25519Keyring::Bob);
		let call = accept(&newer);
		let ours = SkipPaymentIfFeeless::<Runtime, _>::from(payment.clone());
		let mut info = call.get_dispatch_info();
		info.extension_weight = ours.weight(&call);
		let post = ours
			.dispatch_transaction(RuntimeOrigin::signed(newer.clone()), call, &info, 0, 0)
			.unwrap()
			.unwrap();
		assert_eq!(post.actual_weight, Some(info.call_weight));
		assert!(pallet_identity_registry::PendingRotations::<Runtime>::get(&newer)
			.is_some_and(|p| p.citizen == citizen && p.notice_ends.is_some()));

		// A call that pays is charged for the check, as before.
		let call = RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![] });
		let mut info = call.get_dispatch_info();
		info.extension_weight = ours_for_payer().weight(&call);
		let post = ours_for_payer()
			.dispatch_transaction(RuntimeOrigin::signed(dave.clone()), call, &info, 0, 0)
			.unwrap()
			.unwrap();
		assert_eq!(post.actual_weight, Some(info.call_weight + info.extension_weight));
	});
	fn ours_for_payer() -> SkipPaymentIfFeeless<Runtime, ChargeTransactionPayment<Runtime>> {
		ChargeTransactionPayment::<Runtime>::from(0).into()
	}
}

/// Governance: who can reach Root (a runtime upgrade), with the `production` preset, which
/// has no sudo. The upgrade is `System::authorize_upgrade(code_hash)`; each attempt that
/// leaves out a step must leave `AuthorizedUpgrade` empty.
mod governance {
	use super::*;
	use egov_runtime::{
		genesis_config_presets::PRODUCTION_NOTICE_PERIOD, PublicNotice, Scheduler,
		TechnicalMembership, Treasury,
	};
	use polkadot_sdk::{
		frame_support::{storage::storage_prefix, traits::Hooks},
		frame_system,
		pallet_collective::Instance1 as Council,
		pallet_collective::Instance2 as Technical,
		pallet_membership, pallet_treasury, pallet_whitelist,
		sp_core::H256,
		sp_runtime::traits::BlakeTwo256,
	};

	fn hash(call: &RuntimeCall) -> H256 {
		BlakeTwo256::hash_of(call)
	}

	/// A motion of collective `I` proposed by `ayes[0]`, voted for by `ayes`, closed.
	fn motion<I: 'static>(ayes: &[AccountId], call: RuntimeCall)
	where
		Runtime: pallet_collective::Config<I, Proposal = RuntimeCall>,
	{
		let len = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let h = hash(&call);
		let index = pallet_collective::ProposalCount::<Runtime, I>::get();
		let threshold = ayes.len() as u32;
		assert_ok!(pallet_collective::Pallet::<Runtime, I>::propose(
			RuntimeOrigin::signed(ayes[0].clone()),
			threshold,
			Box::new(call),
			len
		));
		if threshold < 2 {
			return;
		}
		for who in ayes {
			assert_ok!(pallet_collective::Pallet::<Runtime, I>::vote(
				RuntimeOrigin::signed(who.clone()),
				h,
				index,
				true
			));
		}
		assert_ok!(pallet_collective::Pallet::<Runtime, I>::close(
			RuntimeOrigin::signed(ayes[0].clone()),
			h,
			index,
			weight,
			len
		));
	}

	fn council() -> Vec<AccountId> {
		CouncilMembership::members().into_inner()
	}

	fn committee() -> Vec<AccountId> {
		[Sr25519Keyring::Dave, Sr25519Keyring::Eve, Sr25519Keyring::Ferdie]
			.map(account)
			.to_vec()
	}

	fn announce(call: RuntimeCall) -> RuntimeCall {
		RuntimeCall::PublicNotice(pallet_public_notice::Call::announce { call: Box::new(call) })
	}

	fn dispatch_whitelisted(call: RuntimeCall) -> RuntimeCall {
		RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
			call: Box::new(call),
		})
	}

	fn whitelist(call: &RuntimeCall) -> RuntimeCall {
		RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash: hash(call) })
	}

	fn upgrade(code_hash: H256) -> RuntimeCall {
		RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash })
	}

	/// The code hash authorized for upgrade, read from storage as an observer would.
	fn authorized_upgrade() -> Option<H256> {
		polkadot_sdk::frame_support::storage::unhashed::get::<(H256, bool)>(&storage_prefix(
			b"System",
			b"AuthorizedUpgrade",
		))
		.map(|(code_hash, _)| code_hash)
	}

	/// Runs the scheduler of every block up to and including `n`.
	fn run_to(n: u32) {
		while System::block_number() < n {
			let next = System::block_number() + 1;
			System::set_block_number(next);
			Scheduler::on_initialize(next);
		}
	}

	/// Passes the notice period from now.
	fn serve_notice() {
		run_to(System::block_number() + PRODUCTION_NOTICE_PERIOD);
	}

	/// The production preset with its technical committee appointed the only way the
	/// council can: an announced act, enacted after notice.
	fn production_with_committee() -> TestExternalities {
		let mut ext = ext_of(PRODUCTION_RUNTIME_PRESET);
		ext.execute_with(|| {
			assert!(TechnicalMembership::members().is_empty());
			let council = council();
			let appoint =
				RuntimeCall::TechnicalMembership(pallet_membership::Call::reset_members {
					members: committee(),
				});
			// Directly, even by the whole council, it is refused: it needs notice.
			motion::<Council>(&council, appoint.clone());
			assert!(TechnicalMembership::members().is_empty());

			motion::<Council>(&council[..4], announce(appoint));
			run_to(System::block_number() + PRODUCTION_NOTICE_PERIOD - 1);
			assert!(TechnicalMembership::members().is_empty(), "not before the notice ran");
			run_to(System::block_number() + 1);
			let mut expected = committee();
			expected.sort();
			assert_eq!(TechnicalMembership::members().into_inner(), expected);
		});
		ext
	}

	const CODE: H256 = H256::repeat_byte(7);

	#[test]
	fn upgrade_with_the_committee_the_council_and_notice() {
		production_with_committee().execute_with(|| {
			let up = upgrade(CODE);
			motion::<Technical>(&committee()[..2], whitelist(&up));
			motion::<Council>(&council()[..4], announce(dispatch_whitelisted(up)));
			run_to(System::block_number() + PRODUCTION_NOTICE_PERIOD - 1);
			assert_eq!(authorized_upgrade(), None, "not before the notice ran");
			run_to(System::block_number() + 1);
			assert_eq!(authorized_upgrade(), Some(CODE));
		});
	}

	#[test]
	fn the_council_alone_cannot_upgrade() {
		production_with_committee().execute_with(|| {
			let council = council();
			motion::<Council>(&council, upgrade(CODE));
			motion::<Council>(&council[..4], announce(upgrade(CODE)));
			motion::<Council>(&council[..4], announce(dispatch_whitelisted(upgrade(CODE))));
			serve_notice();
			assert_eq!(authorized_upgrade(), None);
		});
	}

	#[test]
	fn the_committee_alone_cannot_upgrade() {
		production_with_committee().execute_with(|| {
			let up = upgrade(CODE);
			let committee = committee();
			motion::<Technical>(&committee, whitelist(&up));
			motion::<Technical>(&committee, up.clone());
			motion::<Technical>(&committee, dispatch_whitelisted(up.clone()));
			motion::<Technical>(&committee, announce(dispatch_whitelisted(up)));
			serve_notice();
			assert_eq!(authorized_upgrade(), None);
		});
	}

	#[test]
	fn a_council_majority_below_three_quarters_cannot_announce() {
		production_with_committee().execute_with(|| {
			let up = upgrade(CODE);
			motion::<Technical>(&committee()[..2], whitelist(&up));
			// 3 of 5 ministries.
			motion::<Council>(&council()[..3], announce(dispatch_whitelisted(up)));
			serve_notice();
			assert_eq!(authorized_upgrade(), None);
		});
	}

	#[test]
	fn a_whitelisted_hash_authorizes_only_its_own_call() {
		production_with_committee().execute_with(|| {
			motion::<Technical>(&committee()[..2], whitelist(&upgrade(H256::repeat_byte(8))));
			motion::<Council>(&council()[..4], announce(dispatch_whitelisted(upgrade(CODE))));
			serve_notice();
			assert_eq!(authorized_upgrade(), None);
		});
	}

	#[test]
	fn an_upgrade_cancelled_in_its_notice_never_happens() {
		production_with_committee().execute_with(|| {
			let up = upgrade(CODE);
			let act = dispatch_whitelisted(up.clone());
			motion::<Technical>(&committee()[..2], whitelist(&up));
			motion::<Council>(&council()[..4], announce(act.clone()));
			run_to(System::block_number() + 10);
			motion::<Council>(
				&council()[..4],
				RuntimeCall::PublicNotice(pallet_public_notice::Call::cancel {
					call_hash: hash(&act),
				}),
			);
			serve_notice();
			assert_eq!(authorized_upgrade(), None);
			assert_noop!(
				PublicNotice::cancel(RuntimeOrigin::root(), hash(&act)),
				pallet_public_notice::Error::<Runtime>::NotAnnounced
			);
		});
	}

	#[test]
	fn the_committee_can_withdraw_its_whitelisting_during_the_notice() {
		production_with_committee().execute_with(|| {
			let up = upgrade(CODE);
			motion::<Technical>(&committee()[..2], whitelist(&up));
			motion::<Council>(&council()[..4], announce(dispatch_whitelisted(up.clone())));
			motion::<Technical>(
				&committee()[..2],
				RuntimeCall::Whitelist(pallet_whitelist::Call::remove_whitelisted_call {
					call_hash: hash(&up),
				}),
			);
			serve_notice();
			assert_eq!(authorized_upgrade(), None);
		});
	}

	#[test]
	fn an_emergency_upgrade_needs_the_whole_council_and_the_committee() {
		production_with_committee().execute_with(|| {
			let up = upgrade(CODE);
			motion::<Technical>(&committee()[..2], whitelist(&up));
			motion::<Council>(&council()[..4], dispatch_whitelisted(up.clone()));
			assert_eq!(authorized_upgrade(), None, "four of five is not unanimous");
			motion::<Council>(&council(), dispatch_whitelisted(up));
			assert_eq!(authorized_upgrade(), Some(CODE), "no notice in an emergency");
		});
	}

	#[test]
	fn a_council_motion_spends_from_the_treasury() {
		production_with_committee().execute_with(|| {
			let treasury = egov_runtime::configs::governance::TreasuryAccount::get();
			assert_ok!(Balances::force_set_balance(
				RuntimeOrigin::root(),
				treasury.clone().into(),
				1_000 * UNIT
			));
			let school = account(Sr25519Keyring::Two);
			let spend = RuntimeCall::Treasury(pallet_treasury::Call::spend {
				asset_kind: Box::new(()),
				amount: 100 * UNIT,
				beneficiary: Box::new(school.clone()),
				valid_from: None,
			});
			// Nobody spends alone: a ministry, or a third of the council.
			assert_noop!(
				Treasury::spend(
					RuntimeOrigin::signed(council()[0].clone()),
					Box::new(()),
					UNIT,
					Box::new(school.clone()),
					None
				),
				DispatchError::BadOrigin
			);
			motion::<Council>(&council()[..1], spend.clone());
			assert_noop!(
				Treasury::payout(RuntimeOrigin::signed(school.clone()), 0),
				pallet_treasury::Error::<Runtime>::InvalidIndex
			);

			motion::<Council>(&council()[..4], spend);
			assert_ok!(Treasury::payout(RuntimeOrigin::signed(school.clone()), 0));
			assert_eq!(Balances::free_balance(&school), 100 * UNIT);
			assert_eq!(Balances::free_balance(&treasury), 900 * UNIT);
		});
	}
}

/// No proxy of any type casts a ballot in its principal's name, directly or inside a
/// batch: the call is filtered before it runs (without the filter it would run and fail
/// only on the missing election).
#[test]
fn no_proxy_of_any_type_can_cast_a_ballot() {
	use egov_runtime::{configs::institutions::ProxyType, Proxy};
	use polkadot_sdk::{frame_system, pallet_proxy, pallet_utility};
	let mut ext = ext_of(DEV_RUNTIME_PRESET);
	ext.execute_with(|| {
		let voter = account(Sr25519Keyring::Alice);
		let proxy = account(Sr25519Keyring::Bob);
		let ballot = || {
			RuntimeCall::Elections(pallet_elections::Call::cast_ballot {
				election: 0,
				ballot: egov_ballot::EncryptedBallot {
					ciphertexts: Default::default(),
					option_proofs: Default::default(),
					sum_proof: None,
				},
			})
		};
		let filtered: DispatchError = frame_system::Error::<Runtime>::CallFiltered.into();
		for kind in
			[ProxyType::Any, ProxyType::NonTransfer, ProxyType::Governance, ProxyType::CancelProxy]
		{
			assert_ok!(Proxy::add_proxy(
				RuntimeOrigin::signed(voter.clone()),
				proxy.clone().into(),
				kind,
				0
			));
			for call in [
				ballot(),
				RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![ballot()] }),
			] {
				System::reset_events();
				assert_ok!(Proxy::proxy(
					RuntimeOrigin::signed(proxy.clone()),
					voter.clone().into(),
					None,
					Box::new(call)
				));
				let refused = System::events().iter().any(|r| {
					matches!(
						&r.event,
						RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(e) })
							if *e == filtered
					) || matches!(
						&r.event,
						RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { error, .. })
							if *error == filtered
					)
				});
				assert!(
					refused,
					"{kind:?}: the ballot must be filtered, got {:?}",
					System::events()
				);
			}
			assert_ok!(Proxy::remove_proxies(RuntimeOrigin::signed(voter.clone())));
		}
	});
}

/// A `NonTransfer` proxy moves neither money nor title: no escrow deposit of the
/// principal's funds, no creditor payoff redirected to itself, no transfer approved
/// through a multisig, no balance transfer, and it cannot grant itself a `Property` proxy.
/// The registries' business still goes through. A `Property` proxy reaches the escrow
/// pallet (here it fails only on the missing deal) and nothing that moves plain funds.
#[test]
fn a_non_transfer_proxy_moves_no_money_or_title() {
	use egov_runtime::{configs::institutions::ProxyType, Proxy};
	use polkadot_sdk::{frame_system, pallet_multisig, pallet_proxy};
	ext_of(DEV_RUNTIME_PRESET).execute_with(|| {
		let principal = account(Sr25519Keyring::Alice);
		let proxy = account(Sr25519Keyring::Bob);
		let deposit = || {
			RuntimeCall::PropertyTransfers(pallet_property_transfers::Call::deposit {
				deal: 0,
				amount: 10 * UNIT,
			})
		};
		let transfer = || {
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: proxy.clone().into(),
				value: 10 * UNIT,
			})
		};
		let proxied = |call: RuntimeCall| {
			System::reset_events();
			assert_ok!(Proxy::proxy(
				RuntimeOrigin::signed(proxy.clone()),
				principal.clone().into(),
				None,
				Box::new(call)
			));
			System::events()
				.into_iter()
				.find_map(|r| match r.event {
					RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result }) => {
						Some(result)
					},
					_ => None,
				})
				.expect("the proxy call ran")
		};
		let filtered: DispatchError = frame_system::Error::<Runtime>::CallFiltered.into();

		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(principal.clone()),
			proxy.clone().into(),
			ProxyType::NonTransfer,
			0
		));
		let before = Balances::free_balance(&principal);
		for call in [
			deposit(),
			RuntimeCall::PropertyTransfers(pallet_property_transfers::Call::approve_as_creditor {
				deal: 0,
				payout: proxy.clone(),
			}),
			RuntimeCall::Multisig(pallet_multisig::Call::as_multi_threshold_1 {
				other_signatories: vec![account(Sr25519Keyring::Charlie)],
				call: Box::new(transfer()),
			}),
			transfer(),
			RuntimeCall::Proxy(pallet_proxy::Call::add_proxy {
				delegate: proxy.clone().into(),
				proxy_type: ProxyType::Property,
				delay: 0,
			}),
		] {
			assert_eq!(proxied(call.clone()), Err(filtered), "{call:?} must be filtered");
		}
		assert_eq!(Balances::free_balance(&principal), before);
		assert_eq!(
			proxied(RuntimeCall::System(frame_system::Call::remark { remark: b"ok".to_vec() })),
			Ok(())
		);

		assert_ok!(Proxy::remove_proxies(RuntimeOrigin::signed(principal.clone())));
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(principal.clone()),
			proxy.clone().into(),
			ProxyType::Property,
			0
		));
		let reached = proxied(deposit());
		assert!(reached.is_err() && reached != Err(filtered), "got {reached:?}");
		assert_eq!(proxied(transfer()), Err(filtered));
	});
}
