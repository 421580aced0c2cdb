//! Benchmarks of the property registry (FRAME benchmarking v2). Each measures the worst
//! case of its call: the most owners, a title full of encumbrances, the longest cadastral
//! id.

use super::*;
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{EnsureOrigin, Get},
		BoundedVec,
	},
	sp_core::H256,
};

fn land_origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::LandRegistryOrigin::try_successful_origin()
		.map_err(|_| BenchmarkError::Stop("no land registry origin"))
}

fn court_origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::CourtOrigin::try_successful_origin().map_err(|_| BenchmarkError::Stop("no court origin"))
}

/// The longest cadastral id allowed, distinct per `n`.
fn cadastral(n: u32) -> CadastralId {
	BoundedVec::truncate_from(alloc::format!("CAD-{n:060}").into_bytes())
}

/// `n` citizens registered through the identity registry, with accounts from `first` on.
fn citizens<T: Config>(first: u32, n: u32) -> Result<Vec<Owner>, BenchmarkError> {
	(first..first.saturating_add(n))
		.map(|i| {
			let who: T::AccountId = account("owner", i, 0);
			T::Citizens::register_for_benchmarks(&who, 0)
				.map(Owner::Citizen)
				.ok_or(BenchmarkError::Stop("the registry cannot register benchmark citizens"))
		})
		.collect()
}

/// Equal shares making a whole (the last owner takes the remainder).
fn shares<T: Config>(owners: &[Owner]) -> SharesOf<T> {
	let n = (owners.len() as u32).max(1);
	let each = WHOLE / n;
	let mut list: Vec<(Owner, Ppm)> = owners.iter().map(|o| (*o, each)).collect();
	if let Some(last) = list.last_mut() {
		last.1 = last.1.saturating_add(WHOLE.saturating_sub(each.saturating_mul(n)));
	}
	BoundedVec::truncate_from(list)
}

/// A title with the most owners and `encumbrances` mortgages (written directly: their
/// creditor need not exist for the calls measured). Returns its id.
fn full_title<T: Config>(encumbrances: u32) -> Result<TitleId, BenchmarkError> {
	let owners = citizens::<T>(0, T::MaxOwners::get())?;
	let id = NextTitleId::<T>::get();
	Pallet::<T>::create_title(
		land_origin::<T>()?,
		cadastral(0),
		H256::repeat_byte(1),
		shares::<T>(&owners),
	)?;
	Titles::<T>::try_mutate(id, |maybe| -> Result<(), BenchmarkError> {
		let t = maybe.as_mut().ok_or(BenchmarkError::Stop("no title"))?;
		for _ in 0..encumbrances {
			let e = Encumbrance {
				id: t.next_encumbrance_id,
				kind: EncumbranceKind::Mortgage { creditor: 0, amount: u128::MAX },
				registered_at: frame_system::Pallet::<T>::block_number(),
			};
			t.next_encumbrance_id = t.next_encumbrance_id.saturating_add(1);
			t.encumbrances
				.try_push(e)
				.map_err(|_| BenchmarkError::Stop("too many encumbrances"))?;
		}
		Ok(())
	})?;
	Ok(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_title(o: Linear<1, { T::MaxOwners::get() }>) -> Result<(), BenchmarkError> {
		let owners = citizens::<T>(0, o)?;
		let origin = land_origin::<T>()?;
		let id = NextTitleId::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, cadastral(1), H256::repeat_byte(1), shares::<T>(&owners));

		assert!(Titles::<T>::contains_key(id));
		Ok(())
	}

	/// The last encumbrance that fits on a title with the most owners.
	#[benchmark]
	fn add_encumbrance() -> Result<(), BenchmarkError> {
		let id = full_title::<T>(T::MaxEncumbrances::get().saturating_sub(1))?;
		let holder = citizens::<T>(10_000, 1)?
			.first()
			.copied()
			.ok_or(BenchmarkError::Stop("no lien holder"))?;
		let origin = land_origin::<T>()?;
		let kind = EncumbranceKind::Lien { holder, amount: u128::MAX };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, kind);

		assert_eq!(
			Titles::<T>::get(id).map(|t| t.encumbrances.len() as u32),
			Some(T::MaxEncumbrances::get())
		);
		Ok(())
	}

	/// The last of the most encumbrances (mortgages), released by court order: the origin
	/// checked after the land registry's.
	#[benchmark]
	fn release_encumbrance() -> Result<(), BenchmarkError> {
		let id = full_title::<T>(T::MaxEncumbrances::get())?;
		let last = Titles::<T>::get(id)
			.and_then(|t| t.encumbrances.last().map(|e| e.id))
			.ok_or(BenchmarkError::Stop("no encumbrance"))?;
		let origin = court_origin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, last);

		assert!(Titles::<T>::get(id).is_some_and(|t| t.encumbrances.iter().all(|e| e.id != last)));
		Ok(())
	}

	#[benchmark]
	fn freeze_title() -> Result<(), BenchmarkError> {
		let id = full_title::<T>(T::MaxEncumbrances::get())?;
		let origin = court_origin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(9));

		assert!(<Pallet<T> as TitleRegistry<T::AccountId>>::is_frozen(id));
		Ok(())
	}

	#[benchmark]
	fn unfreeze_title() -> Result<(), BenchmarkError> {
		let id = full_title::<T>(T::MaxEncumbrances::get())?;
		Pallet::<T>::freeze_title(court_origin::<T>()?, id, H256::repeat_byte(9))?;
		let origin = court_origin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(10));

		assert!(!<Pallet<T> as TitleRegistry<T::AccountId>>::is_frozen(id));
		Ok(())
	}

	/// New owners (`o` of them) and new parcel data for a full title.
	#[benchmark]
	fn rectify_title(o: Linear<1, { T::MaxOwners::get() }>) -> Result<(), BenchmarkError> {
		let id = full_title::<T>(T::MaxEncumbrances::get())?;
		let owners = citizens::<T>(20_000, o)?;
		let new = shares::<T>(&owners);
		let origin = court_origin::<T>()?;

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			id,
			Some(new.clone()),
			Some(H256::repeat_byte(2)),
			H256::repeat_byte(9),
		);

		assert_eq!(Titles::<T>::get(id).map(|t| t.owners), Some(new));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
