//! Properties of the ballot cryptography over generated elections: any ballot kind, any
//! valid choices, any trustee set and threshold, any byte changed. Each case's randomness
//! comes from a generated seed, so a failure shrinks and replays (`tests/properties.proptest-regressions`).

use codec::{Decode, Encode};
use egov_ballot::*;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

type TestRng = ChaCha20Rng;

/// Shamir-shares `secret` among `n` trustees with threshold `t` (a dealer: the shape of
/// the shares key generation leaves each trustee with).
fn deal(secret: Scalar, t: usize, n: u32, rng: &mut TestRng) -> Vec<(u32, Scalar)> {
	let coeffs: Vec<Scalar> =
		core::iter::once(secret).chain((1..t).map(|_| Scalar::random(rng))).collect();
	(1..=n)
		.map(|i| {
			let x = Scalar::from(u64::from(i));
			(i, coeffs.iter().rev().fold(Scalar::ZERO, |acc, c| acc * x + c))
		})
		.collect()
}

/// A ballot kind within the crate's bounds (kept small: cases are cheap, many run).
fn spec() -> impl Strategy<Value = BallotSpec> {
	(1u32..=6).prop_flat_map(|options| {
		(0..=options).prop_flat_map(move |max| {
			(0..=max).prop_map(move |min| BallotSpec {
				options,
				min_selections: min,
				max_selections: max,
			})
		})
	})
}

/// A kind and choices it allows.
fn spec_and_choices() -> impl Strategy<Value = (BallotSpec, Vec<bool>)> {
	spec().prop_flat_map(|spec| {
		(spec.min_selections..=spec.max_selections).prop_flat_map(move |selected| {
			Just((0..spec.options).collect::<Vec<u32>>())
				.prop_shuffle()
				.prop_map(move |order| {
					let mut choices = vec![false; spec.options as usize];
					for i in order.iter().take(selected as usize) {
						choices[*i as usize] = true;
					}
					(spec, choices)
				})
		})
	})
}

fn context(voter: u8, election_id: u64, public_key: PointBytes) -> BallotContext {
	BallotContext { genesis_hash: [7; 32], election_id, voter: vec![voter; 32], public_key }
}

/// How many ballots of each option `choices` add up to.
fn counts(spec: &BallotSpec, ballots: &[Vec<bool>]) -> Vec<u64> {
	(0..spec.options as usize)
		.map(|i| ballots.iter().filter(|c| c[i]).count() as u64)
		.collect()
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	/// What a voter's device encrypts verifies, and its opening audits to the same choices.
	#[test]
	fn an_honest_ballot_verifies_and_audits((spec, choices) in spec_and_choices(), seed: u64) {
		let rng = &mut TestRng::seed_from_u64(seed);
		let (_, pk) = keypair(rng);
		let c = context(1, 9, pk);
		let (ballot, opening) = encrypt_ballot(&c, &spec, &choices, rng).unwrap();
		prop_assert_eq!(verify_ballot(&c, &spec, &ballot), Ok(()));
		prop_assert_eq!(audit_ballot(&c, &spec, &ballot, &opening), Ok(()));
		prop_assert_eq!(&opening.choices, &choices);
		// Shown as any other choices, the opening fails its audit.
		for flip in 0..choices.len() {
			let mut lie = opening.clone();
			lie.choices[flip] = !lie.choices[flip];
			prop_assert!(audit_ballot(&c, &spec, &ballot, &lie).is_err());
		}
	}

	/// Any byte of a ballot's encoding changed: it does not decode, or it does not verify.
	#[test]
	fn a_ballot_with_any_byte_changed_fails(
		(spec, choices) in spec_and_choices(),
		seed: u64,
		at: prop::sample::Index,
		xor in 1u8..=255,
	) {
		let rng = &mut TestRng::seed_from_u64(seed);
		let (_, pk) = keypair(rng);
		let c = context(1, 9, pk);
		let (ballot, _) = encrypt_ballot(&c, &spec, &choices, rng).unwrap();
		let mut bytes = ballot.encode();
		let i = at.index(bytes.len());
		bytes[i] ^= xor;
		if let Ok(changed) = EncryptedBallot::decode(&mut &bytes[..]) {
			prop_assert!(verify_ballot(&c, &spec, &changed).is_err(), "byte {} ^ {:#x} verified", i, xor);
		}
	}

	/// A ballot moved to another voter, election, chain or key fails.
	#[test]
	fn a_ballot_rebound_to_another_context_fails(
		(spec, choices) in spec_and_choices(),
		seed: u64,
		voter in 2u8..,
		election in 10u64..,
		genesis in any::<[u8; 32]>().prop_filter("another chain", |g| *g != [7; 32]),
	) {
		let rng = &mut TestRng::seed_from_u64(seed);
		let (_, pk) = keypair(rng);
		let c = context(1, 9, pk);
		let (ballot, _) = encrypt_ballot(&c, &spec, &choices, rng).unwrap();
		let (_, other_key) = keypair(rng);
		for moved in [
			context(voter, 9, pk),
			context(1, election, pk),
			BallotContext { genesis_hash: genesis, ..c.clone() },
			context(1, 9, other_key),
		] {
			prop_assert!(verify_ballot(&moved, &spec, &ballot).is_err());
		}
	}

	/// Adding ballots then subtracting them (re-votes) leaves the tally as it was, in any
	/// order.
	#[test]
	fn a_tally_plus_then_minus_ballots_is_unchanged(
		(spec, first) in spec_and_choices(),
		others in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
		seed: u64,
	) {
		let rng = &mut TestRng::seed_from_u64(seed);
		let (_, pk) = keypair(rng);
		let encrypt = |rng: &mut TestRng, choices: &[bool]| {
			encrypt_ballot(&context(1, 9, pk), &spec, choices, rng).unwrap().0.ciphertexts
		};
		let mut tally = Tally::new(&spec);
		tally.add(&encrypt(rng, &first)).unwrap();
		let before = tally.clone();
		let extra: Vec<Ciphertexts> = others
			.iter()
			.map(|ix| {
				// Another allowed choice: `first` rotated.
				let mut c = first.clone();
				c.rotate_left(ix.index(first.len()));
				encrypt(rng, &c)
			})
			.collect();
		for cts in &extra {
			tally.add(cts).unwrap();
		}
		for cts in extra.iter().rev() {
			tally.subtract(cts).unwrap();
		}
		prop_assert_eq!(&tally, &before);
		prop_assert_eq!(Tally::from_ciphertexts(&tally.ciphertexts().unwrap()).unwrap(), before);
	}

	/// Any `t` or more of `n` trustees' shares decrypt the same, true counts; fewer than
	/// `t` do not.
	#[test]
	fn any_threshold_subset_of_trustees_decrypts_the_true_counts(
		(spec, _) in spec_and_choices(),
		picks in prop::collection::vec(any::<prop::sample::Index>(), 1..6),
		(n, t) in (1u32..=5).prop_flat_map(|n| (Just(n), 1..=n)),
		order in Just((1..=5u32).collect::<Vec<_>>()).prop_shuffle(),
		seed: u64,
	) {
		let rng = &mut TestRng::seed_from_u64(seed);
		let secret = Scalar::random(rng);
		let pk = RistrettoPoint::mul_base(&secret).compress().to_bytes();
		// Each voter's choices: the most selections allowed, varied by rotation.
		let mut base = vec![false; spec.options as usize];
		for x in base.iter_mut().take(spec.max_selections as usize) {
			*x = true;
		}
		let ballots: Vec<Vec<bool>> = picks
			.iter()
			.map(|ix| {
				let mut c = base.clone();
				c.rotate_left(ix.index(base.len()));
				c
			})
			.collect();
		let mut tally = Tally::new(&spec);
		for (v, choices) in ballots.iter().enumerate() {
			let (b, _) = encrypt_ballot(&context(v as u8, 9, pk), &spec, choices, rng).unwrap();
			tally.add(&b.ciphertexts).unwrap();
		}
		let tally = tally.ciphertexts().unwrap();
		let trustees = deal(secret, t as usize, n, rng);
		let share = |i: u32, rng: &mut TestRng| {
			let x = &trustees[i as usize - 1].1;
			let sc = ShareContext {
				genesis_hash: [7; 32],
				election_id: 9,
				trustee_index: i,
				verification_key: RistrettoPoint::mul_base(x).compress().to_bytes(),
				counted_voters: ballots.len() as u64,
			};
			let s = DecryptionShare::create(&sc, x, &tally, rng).unwrap();
			assert_eq!(s.verify(&sc, &tally), Ok(()));
			(i, s)
		};
		let chosen: Vec<u32> = order.iter().copied().filter(|i| *i <= n).collect();
		let shares: Vec<(u32, DecryptionShare)> = chosen.iter().map(|i| share(*i, rng)).collect();
		let truth = counts(&spec, &ballots);
		let voters = ballots.len() as u64;
		for k in 1..=n as usize {
			let refs: Vec<(u32, &DecryptionShare)> = shares[..k].iter().map(|(i, s)| (*i, s)).collect();
			let combined = combine_shares(&refs, tally.len()).unwrap();
			if k >= t as usize {
				prop_assert_eq!(decrypt_result(&spec, &tally, &combined, voters), Ok(truth.clone()));
				prop_assert_eq!(check_result(&spec, &tally, &combined, &truth, voters), Ok(()));
			} else if truth.iter().any(|m| *m > 0) {
				prop_assert!(check_result(&spec, &tally, &combined, &truth, voters).is_err());
			}
		}
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Key generation without a dealer, with any set of dealers that stays honest (the
	/// others were disqualified): each trustee's share matches its public verification key,
	/// and any `t` trustees decrypt ballots cast under the joint key.
	#[test]
	fn key_generation_with_any_honest_subset_of_dealers_decrypts(
		(n, t) in (1u32..=4).prop_flat_map(|n| (Just(n), 1..=n)),
		honest_mask in 1u32..16,
		decrypting in Just((1..=4u32).collect::<Vec<_>>()).prop_shuffle(),
		yes in 0usize..4,
		no in 0usize..4,
		seed: u64,
	) {
		let rng = &mut TestRng::seed_from_u64(seed);
		let dkg = |i: u32| DkgContext { genesis_hash: [7; 32], election_id: 9, trustee_index: i, trustees: n, threshold: t };
		let transport: Vec<(Scalar, TransportKey)> = (1..=n).map(|i| TransportKey::generate(&dkg(i), rng)).collect();
		let keys: Vec<PointBytes> = transport.iter().map(|(_, k)| k.key).collect();
		let honest: Vec<u32> = (1..=n).filter(|i| honest_mask & (1 << (i - 1)) != 0).collect();
		prop_assume!(!honest.is_empty());
		let dealings: Vec<(u32, Dealing)> = honest
			.iter()
			.map(|i| (*i, Dealing::create(&dkg(*i), &keys, rng).unwrap()))
			.collect();
		for (i, d) in &dealings {
			prop_assert_eq!(d.verify_public(&dkg(*i)), Ok(()));
		}
		let commitments: Vec<&[PointBytes]> = dealings.iter().map(|(_, d)| &d.commitments[..]).collect();
		let aggregate = aggregate_commitments(&commitments).unwrap();
		let secrets: Vec<Scalar> = (1..=n)
			.map(|j| {
				let x: Scalar = dealings
					.iter()
					.map(|(i, d)| d.open_share(&dkg(*i), j, &transport[j as usize - 1].0).unwrap())
					.sum();
				assert_eq!(
					RistrettoPoint::mul_base(&x).compress().to_bytes(),
					verification_key(&aggregate, j).unwrap()
				);
				x
			})
			.collect();

		let spec = BallotSpec::REFERENDUM;
		let mut tally = Tally::new(&spec);
		let votes: Vec<bool> = core::iter::repeat(true).take(yes).chain(core::iter::repeat(false).take(no)).collect();
		for (v, choice) in votes.iter().enumerate() {
			let (b, _) = encrypt_ballot(&context(v as u8, 9, aggregate[0]), &spec, &[*choice, !*choice], rng).unwrap();
			tally.add(&b.ciphertexts).unwrap();
		}
		let tally = tally.ciphertexts().unwrap();
		let chosen: Vec<u32> = decrypting.iter().copied().filter(|j| *j <= n).take(t as usize).collect();
		let shares: Vec<(u32, DecryptionShare)> = chosen
			.iter()
			.map(|j| {
				let sc = ShareContext {
					genesis_hash: [7; 32],
					election_id: 9,
					trustee_index: *j,
					verification_key: verification_key(&aggregate, *j).unwrap(),
					counted_voters: votes.len() as u64,
				};
				let s = DecryptionShare::create(&sc, &secrets[*j as usize - 1], &tally, rng).unwrap();
				assert_eq!(s.verify(&sc, &tally), Ok(()));
				(*j, s)
			})
			.collect();
		let refs: Vec<(u32, &DecryptionShare)> = shares.iter().map(|(i, s)| (*i, s)).collect();
		let combined = combine_shares(&refs, tally.len()).unwrap();
		prop_assert_eq!(
			decrypt_result(&spec, &tally, &combined, votes.len() as u64),
			Ok(vec![yes as u64, no as u64])
		);
	}
}
