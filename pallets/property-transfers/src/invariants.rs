//! What must hold of this pallet's storage after every block: checked by `try_state` (the
//! try-runtime checks of an upgrade) and after every unit test.
//!
//! A deal is recorded once and kept for good. While it is open it is in exactly two
//! indexes (its title's open deals and its deadline, or the block of its expiry retry), it counts towards its opener's open
//! deals, and its deposit, once paid, is in the escrow account. A migration or a bug that
//! loses a deal, leaves an ended deal in an index, forgets an open one or lets escrow money
//! go is caught here, before the deal's buyer finds out at refund time.
//!
//! Not checked, because other pallets change it legitimately: that a seller still owns the
//! shares its open deals offer, that the mortgages released are still the title's, that
//! the accounts who approved or deposited still hold their roles or act for the parties.

use super::*;
use alloc::collections::btree_map::BTreeMap;
use polkadot_sdk::sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants; the first broken one is the error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextDealId::<T>::get();
		let cursor = ExpiryCursor::<T>::get();
		let mut deals: u64 = 0;
		let mut escrowed: BalanceOf<T> = Zero::zero();
		let mut open_by: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (id, d) in Deals::<T>::iter() {
			ensure!(id < next, "a deal id is not below NextDealId");
			deals = deals.saturating_add(1);
			Self::check_deal(&d)?;
			if d.status != DealStatus::Open {
				continue;
			}
			let indexed_at = match ExpiryRetryAt::<T>::get(id) {
				Some(at) => {
					ensure!(at > d.deadline, "an expiry retry is not after the deal's deadline");
					at
				},
				None => d.deadline,
			};
			ensure!(
				DealsByDeadline::<T>::contains_key(indexed_at, id),
				"an open deal is not indexed by its deadline (or its expiry retry)"
			);
			ensure!(
				DealsOfTitle::<T>::get(d.title).contains(&id),
				"an open deal is not among its title's open deals"
			);
			ensure!(
				cursor.is_some_and(|c| c <= indexed_at),
				"the expiry cursor is past an open deal's deadline (or its expiry retry)"
			);
			let n = open_by.entry(d.opened_by.clone()).or_default();
			*n = n.saturating_add(1);
			if d.deposit.is_some() {
				escrowed = escrowed.saturating_add(d.price);
			}
		}
		// Deals are never removed: every id handed out still has its deal.
		ensure!(deals == next, "a deal below NextDealId is missing");

		let open = |id: DealId| Deals::<T>::get(id).filter(|d| d.status == DealStatus::Open);
		for (deadline, id) in DealsByDeadline::<T>::iter_keys() {
			let d = open(id).ok_or("a deadline index entry is not an open deal")?;
			let indexed_at = ExpiryRetryAt::<T>::get(id).unwrap_or(d.deadline);
			ensure!(
				indexed_at == deadline,
				"a deadline index entry is not at its deal's deadline (or its expiry retry)"
			);
		}
		for (id, _) in ExpiryRetryAt::<T>::iter() {
			open(id).ok_or("an expiry retry is noted for a deal that is not open")?;
		}
		for (title, ids) in DealsOfTitle::<T>::iter() {
			ensure!(!ids.is_empty(), "an empty open-deal list is stored");
			ensure!(
				ids.windows(2).all(|w| w[0] < w[1]),
				"a title's open deals are not in opening order"
			);
			for id in ids {
				let d = open(id).ok_or("a title lists a deal that is not open")?;
				ensure!(d.title == title, "a title lists another title's deal");
			}
		}

		let counted: BTreeMap<T::AccountId, u32> = OpenDealsOf::<T>::iter().collect();
		ensure!(counted == open_by, "OpenDealsOf is not the count of each opener's open deals");
		ensure!(
			open_by.values().all(|n| *n <= T::MaxDealsPerAccount::get()),
			"an account has more open deals than MaxDealsPerAccount"
		);

		for (id, owner) in Consents::<T>::iter_keys() {
			let d = Deals::<T>::get(id).ok_or("a consent to an unknown deal")?;
			ensure!(
				owner != d.seller && owner != d.buyer,
				"a consent by the deal's seller or buyer"
			);
		}

		// What refunds and settlements pay out of escrow must be there to pay.
		let available = T::Currency::reducible_balance(
			&Self::escrow_account(),
			Preservation::Expendable,
			Fortitude::Polite,
		);
		ensure!(
			available >= escrowed,
			"the escrow account holds less than the open deals' deposits"
		);
		Ok(())
	}

	/// What `open_deal` checked of the terms and the calls since keep true of one deal.
	fn check_deal(d: &DealOf<T>) -> Result<(), TryRuntimeError> {
		ensure!(d.share > 0 && d.share <= WHOLE, "a deal sells no share or more than a whole");
		ensure!(!d.price.is_zero(), "a deal has a zero price");
		ensure!(d.buyer != d.seller, "a deal's buyer is its seller");
		ensure!(d.deadline > d.opened_at, "a deal's deadline is not after its opening");
		let releases = &d.releases;
		ensure!(
			releases
				.iter()
				.enumerate()
				.all(|(i, r)| !releases[..i].iter().any(|x| x.encumbrance == r.encumbrance)),
			"a deal releases a mortgage twice"
		);
		let mortgages = releases
			.iter()
			.fold(BalanceOf::<T>::zero(), |sum, r| sum.saturating_add(r.amount.saturated_into()));
		ensure!(mortgages <= d.price, "a deal's mortgages exceed its price");
		ensure!(
			d.land_registry.is_none() || d.land_registry_required,
			"a land registry approval on a deal that needs none"
		);
		// Titles are never removed from the registry.
		ensure!(T::Titles::title_owners(d.title).is_some(), "a deal's title does not exist");
		if d.status == DealStatus::Settled {
			ensure!(
				d.deposit.is_some()
					&& d.notary.is_some()
					&& (d.land_registry.is_some() || !d.land_registry_required)
					&& releases.iter().all(|r| r.approval.is_some()),
				"a settled deal lacks the deposit or an approval"
			);
		}
		Ok(())
	}
}
