//! Benchmarks of the property transfers (FRAME benchmarking v2). Each measures the worst case
//! of its call: a title with the most owners (the seller and co-owners, all citizens) and
//! the most mortgages, the title's open-deal list full, the matching approver last.
//!
//! Titles are created through the property registry's `create_title` (so `Config::Titles`
//! must be the property registry); mortgages are written straight into the registry's
//! storage, since their creditors need not exist for most calls. Citizens come from
//! `CitizenRegistry::register_for_benchmarks` and roles from `Authorities::grant_role`. The
//! creditor benchmarks need a legal entity: `Config::BenchmarkHelper` registers one; if it
//! cannot (`()`), `approve_as_creditor` reports an overridden conservative weight and
//! `reject` is measured for the land registry instead.

use super::*;
use alloc::{format, vec, vec::Vec};
use egov_primitives::CitizenId;
use pallet_property_registry::{Encumbrance, EncumbranceKind, SharesOf};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{EnsureOrigin, Get},
	frame_system::RawOrigin,
	sp_core::H256,
};

const SEED: u32 = 0;

/// Creditor ids for mortgages whose bank does not matter to the call measured.
const FAKE_CREDITOR: EntityId = EntityId::MAX / 2;

/// A title ready for deals.
struct Setup<T: Config> {
	title: TitleId,
	/// The seller's account and owner; it owns `seller_share`.
	seller: (T::AccountId, Owner),
	seller_share: Ppm,
	/// The buyer's account and owner (not an owner of the title).
	buyer: (T::AccountId, Owner),
	/// The other owners' accounts.
	co_owners: Vec<T::AccountId>,
	/// The mortgages on the title.
	mortgages: Vec<EncumbranceId>,
	/// The price: ten times what the mortgages and a large duty need.
	price: BalanceOf<T>,
}

/// A registered, active citizen with an account made from `name` and `i`.
fn citizen<T: Config>(
	name: &'static str,
	i: u32,
) -> Result<(T::AccountId, CitizenId), BenchmarkError> {
	let who: T::AccountId = account(name, i, SEED);
	let id = <T as Config>::Citizens::register_for_benchmarks(&who, 0)
		.ok_or(BenchmarkError::Stop("the identity registry cannot register benchmark citizens"))?;
	Ok((who, id))
}

/// A comfortable amount: a thousand existential deposits.
fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into()).saturating_mul(1_000u32.into())
}

/// Makes sure `who` holds at least `amount`.
fn fund<T: Config>(who: &T::AccountId, amount: BalanceOf<T>) {
	if T::Currency::balance(who) < amount {
		let _ = T::Currency::set_balance(who, amount);
	}
}

/// A title with the most owners (the seller first, then co-owners) and `m` mortgages (at
/// most what the registry and this pallet allow). The last mortgage's creditor is
/// `last_creditor` if given.
fn setup<T: Config + pallet_property_registry::Config>(
	m: u32,
	last_creditor: Option<EntityId>,
) -> Result<Setup<T>, BenchmarkError> {
	let owners = <T as pallet_property_registry::Config>::MaxOwners::get().max(1);
	let (seller_acc, seller_id) = citizen::<T>("seller", 0)?;
	let mut co_owners = Vec::new();
	let mut listed = vec![Owner::Citizen(seller_id)];
	for i in 1..owners {
		let (who, id) = citizen::<T>("co-owner", i)?;
		co_owners.push(who);
		listed.push(Owner::Citizen(id));
	}
	let (buyer_acc, buyer_id) = citizen::<T>("buyer", 0)?;

	// Equal shares; the seller takes the remainder.
	let each = WHOLE / owners;
	let seller_share = WHOLE.saturating_sub(each.saturating_mul(owners.saturating_sub(1)));
	let shares: SharesOf<T> = BoundedVec::truncate_from(
		listed
			.iter()
			.enumerate()
			.map(|(i, o)| (*o, if i == 0 { seller_share } else { each }))
			.collect::<Vec<_>>(),
	);
	let title = pallet_property_registry::NextTitleId::<T>::get();
	let origin =
		<T as pallet_property_registry::Config>::LandRegistryOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Stop("no land registry origin"))?;
	pallet_property_registry::Pallet::<T>::create_title(
		origin,
		BoundedVec::truncate_from(format!("BENCH-TX-{title}").into_bytes()),
		H256::repeat_byte(1),
		shares,
	)?;
	ensure!(
		T::Titles::title_owners(title).is_some(),
		BenchmarkError::Stop("Config::Titles must be the property registry")
	);

	let m = m
		.min(<T as pallet_property_registry::Config>::MaxEncumbrances::get())
		.min(T::MaxReleases::get());
	let amount: Amount = unit::<T>().saturated_into();
	let mut mortgages = Vec::new();
	pallet_property_registry::Titles::<T>::try_mutate(
		title,
		|maybe| -> Result<(), BenchmarkError> {
			let t = maybe.as_mut().ok_or(BenchmarkError::Stop("no title"))?;
			for i in 0..m {
				let creditor = match last_creditor {
					Some(bank) if i + 1 == m => bank,
					_ => FAKE_CREDITOR.saturating_add(i.into()),
				};
				let e = Encumbrance {
					id: t.next_encumbrance_id,
					kind: EncumbranceKind::Mortgage { creditor, amount },
					registered_at: frame_system::Pallet::<T>::block_number(),
				};
				mortgages.push(e.id);
				t.next_encumbrance_id = t.next_encumbrance_id.saturating_add(1);
				t.encumbrances
					.try_push(e)
					.map_err(|_| BenchmarkError::Stop("too many encumbrances"))?;
			}
			Ok(())
		},
	)?;

	// The duty goes to an existing treasury.
	fund::<T>(&T::Treasury::get(), T::Currency::minimum_balance());
	let price = unit::<T>().saturating_mul(BalanceOf::<T>::from(10u32.saturating_mul(m + 1)));
	Ok(Setup {
		title,
		seller: (seller_acc, Owner::Citizen(seller_id)),
		seller_share,
		buyer: (buyer_acc, Owner::Citizen(buyer_id)),
		co_owners,
		mortgages,
		price,
	})
}

/// The terms of a deal selling `share` of the set-up title to its buyer, releasing every
/// mortgage, with the longest deadline allowed.
fn terms<T: Config>(s: &Setup<T>, share: Ppm, land_registry: bool) -> DealTermsOf<T> {
	DealTerms {
		title: s.title,
		seller: s.seller.1,
		buyer: s.buyer.1,
		share,
		price: s.price,
		deadline: frame_system::Pallet::<T>::block_number()
			.saturating_add(T::MaxDealDuration::get()),
		releases: BoundedVec::truncate_from(s.mortgages.clone()),
		land_registry_approval: land_registry,
		seller_payout: account("proceeds", 0, SEED),
	}
}

/// Opens a deal through the call; returns its id.
fn open<T: Config>(
	s: &Setup<T>,
	share: Ppm,
	land_registry: bool,
) -> Result<DealId, BenchmarkError> {
	let id = NextDealId::<T>::get();
	Pallet::<T>::open_deal(
		RawOrigin::Signed(s.seller.0.clone()).into(),
		terms::<T>(s, share, land_registry),
	)?;
	Ok(id)
}

/// The buyer deposits the price through the call.
fn pay<T: Config>(s: &Setup<T>, deal: DealId) -> Result<(), BenchmarkError> {
	fund::<T>(&s.buyer.0, s.price.saturating_mul(2u32.into()));
	Pallet::<T>::deposit(RawOrigin::Signed(s.buyer.0.clone()).into(), deal, s.price)?;
	Ok(())
}

/// Fills the title's open-deal list with `n` deals of the seller (one opened through the
/// call, the others copies of it written directly).
fn fill<T: Config>(s: &Setup<T>, n: u32) -> Result<(), BenchmarkError> {
	if n == 0 {
		return Ok(());
	}
	let first = open::<T>(s, 1, false)?;
	let template = Deals::<T>::get(first).ok_or(BenchmarkError::Stop("no deal"))?;
	for _ in 1..n {
		let id = NextDealId::<T>::get();
		NextDealId::<T>::put(id.saturating_add(1));
		DealsOfTitle::<T>::try_mutate(s.title, |ids| ids.try_push(id))
			.map_err(|_| BenchmarkError::Stop("too many deals on the title"))?;
		DealsByDeadline::<T>::insert(template.deadline, id, ());
		Deals::<T>::insert(id, template.clone());
	}
	Ok(())
}

/// A notary, by role.
fn notary<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("notary", 0, SEED);
	T::Authorities::grant_role(&who, Role::Notary);
	who
}

/// The land registry, by role.
fn land_registry<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("land-registry", 0, SEED);
	T::Authorities::grant_role(&who, Role::LandRegistry);
	who
}

fn status<T: Config>(deal: DealId) -> Option<DealStatus> {
	Deals::<T>::get(deal).map(|d| d.status)
}

#[benchmarks(where T: pallet_property_registry::Config)]
mod benchmarks {
	use super::*;

	/// `r` mortgages released; the title's open-deal list one short of full.
	#[benchmark]
	fn open_deal(r: Linear<0, { T::MaxReleases::get() }>) -> Result<(), BenchmarkError> {
		let s = setup::<T>(r, None)?;
		fill::<T>(&s, T::MaxDealsPerTitle::get().saturating_sub(1))?;
		let t = terms::<T>(&s, 1, true);
		let id = NextDealId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(s.seller.0.clone()), t);

		assert_eq!(status::<T>(id), Some(DealStatus::Open));
		Ok(())
	}

	/// The last co-owner of a title with the most owners.
	#[benchmark]
	fn consent() -> Result<(), BenchmarkError> {
		let s = setup::<T>(0, None)?;
		let id = open::<T>(&s, s.seller_share, false)?;
		let who = s
			.co_owners
			.last()
			.cloned()
			.ok_or(BenchmarkError::Stop("titles need at least two owners (MaxOwners)"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);

		assert_eq!(Consents::<T>::iter_prefix(id).count(), 1);
		Ok(())
	}

	#[benchmark]
	fn deposit() -> Result<(), BenchmarkError> {
		let s = setup::<T>(0, None)?;
		let id = open::<T>(&s, s.seller_share, false)?;
		fund::<T>(&s.buyer.0, s.price.saturating_mul(2u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(s.buyer.0.clone()), id, s.price);

		assert!(Deals::<T>::get(id).is_some_and(|d| d.deposit.is_some()));
		Ok(())
	}

	#[benchmark]
	fn approve_as_notary() -> Result<(), BenchmarkError> {
		let s = setup::<T>(0, None)?;
		let id = open::<T>(&s, s.seller_share, false)?;
		let who = notary::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);

		assert!(Deals::<T>::get(id).is_some_and(|d| d.notary.is_some()));
		Ok(())
	}

	/// The most mortgages; the signer's bank holds the last one.
	#[benchmark]
	fn approve_as_creditor() -> Result<(), BenchmarkError> {
		let (banker, banker_id) = citizen::<T>("banker", 0)?;
		let bank = T::BenchmarkHelper::entity_represented_by(banker_id, &banker).ok_or(
			// No entity: a conservative estimate (the notary's approval plus three identity
			// reads per mortgage).
			BenchmarkError::Override(BenchmarkResult::from_weight(
				<T as Config>::WeightInfo::approve_as_creditor(),
			)),
		)?;
		let s = setup::<T>(T::MaxReleases::get(), Some(bank))?;
		let id = open::<T>(&s, s.seller_share, false)?;
		let payout: T::AccountId = account("vault", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(banker), id, payout);

		assert!(Deals::<T>::get(id)
			.is_some_and(|d| d.releases.last().is_some_and(|r| r.approval.is_some())));
		Ok(())
	}

	#[benchmark]
	fn approve_as_land_registry() -> Result<(), BenchmarkError> {
		let s = setup::<T>(0, None)?;
		let id = open::<T>(&s, s.seller_share, true)?;
		let who = land_registry::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);

		assert!(Deals::<T>::get(id).is_some_and(|d| d.land_registry.is_some()));
		Ok(())
	}

	/// A deposited deal rejected by the last mortgage's bank, after every other approver
	/// check failed (by the land registry if no entity can be made).
	#[benchmark]
	fn reject() -> Result<(), BenchmarkError> {
		let (banker, banker_id) = citizen::<T>("banker", 0)?;
		let bank = T::BenchmarkHelper::entity_represented_by(banker_id, &banker);
		let s = setup::<T>(T::MaxReleases::get(), bank)?;
		let id = open::<T>(&s, s.seller_share, true)?;
		pay::<T>(&s, id)?;
		let who = match bank {
			Some(_) => banker,
			None => land_registry::<T>(),
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);

		assert_eq!(status::<T>(id), Some(DealStatus::Rejected));
		Ok(())
	}

	/// The seller cancels a deposited deal: refund and clean-up.
	#[benchmark]
	fn cancel() -> Result<(), BenchmarkError> {
		let s = setup::<T>(T::MaxReleases::get(), None)?;
		fill::<T>(&s, T::MaxDealsPerTitle::get().saturating_sub(1))?;
		let id = open::<T>(&s, 1, false)?;
		pay::<T>(&s, id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(s.seller.0.clone()), id);

		assert_eq!(status::<T>(id), Some(DealStatus::Cancelled));
		Ok(())
	}

	/// `r` mortgages paid off and released, every co-owner consenting, the land registry
	/// required; settled by the last co-owner (the last party checked).
	#[benchmark]
	fn settle(r: Linear<0, { T::MaxReleases::get() }>) -> Result<(), BenchmarkError> {
		let s = setup::<T>(r, None)?;
		let id = open::<T>(&s, s.seller_share, true)?;
		pay::<T>(&s, id)?;
		Pallet::<T>::approve_as_notary(RawOrigin::Signed(notary::<T>()).into(), id)?;
		Pallet::<T>::approve_as_land_registry(RawOrigin::Signed(land_registry::<T>()).into(), id)?;
		for who in &s.co_owners {
			Pallet::<T>::consent(RawOrigin::Signed(who.clone()).into(), id)?;
		}
		// The banks' approvals, written directly: their creditors need not exist.
		let mut d = Deals::<T>::get(id).ok_or(BenchmarkError::Stop("no deal"))?;
		for (i, release) in d.releases.iter_mut().enumerate() {
			release.approval = Some(CreditorApproval {
				by: account("banker", i as u32, SEED),
				payout: account("vault", i as u32, SEED),
			});
		}
		Deals::<T>::insert(id, d);
		let caller = s.co_owners.last().cloned().unwrap_or_else(|| s.buyer.0.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert_eq!(status::<T>(id), Some(DealStatus::Settled));
		assert_eq!(
			T::Titles::title_owners(s.title)
				.and_then(|o| o.iter().find(|(owner, _)| *owner == s.buyer.1).map(|(_, x)| *x)),
			Some(s.seller_share)
		);
		Ok(())
	}

	/// A deposited deal past its deadline: refund and clean-up.
	#[benchmark]
	fn expire() -> Result<(), BenchmarkError> {
		let s = setup::<T>(T::MaxReleases::get(), None)?;
		fill::<T>(&s, T::MaxDealsPerTitle::get().saturating_sub(1))?;
		let id = open::<T>(&s, 1, false)?;
		pay::<T>(&s, id)?;
		let deadline = Deals::<T>::get(id).ok_or(BenchmarkError::Stop("no deal"))?.deadline;
		frame_system::Pallet::<T>::set_block_number(deadline.saturating_add(One::one()));
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert_eq!(status::<T>(id), Some(DealStatus::Expired));
		Ok(())
	}

	/// `on_idle` finding one due, deposited deal and expiring it.
	#[benchmark]
	fn on_idle_expire() -> Result<(), BenchmarkError> {
		let s = setup::<T>(T::MaxReleases::get(), None)?;
		let id = open::<T>(&s, s.seller_share, false)?;
		pay::<T>(&s, id)?;
		let deadline = Deals::<T>::get(id).ok_or(BenchmarkError::Stop("no deal"))?.deadline;
		let now = deadline.saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(now);
		ExpiryCursor::<T>::put(deadline);

		#[block]
		{
			Pallet::<T>::expire_due(now, Weight::MAX);
		}

		assert_eq!(status::<T>(id), Some(DealStatus::Expired));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
