use super::*;
use curve25519_dalek::traits::Identity;
use rand_core::{CryptoRng, OsRng, RngCore};

/// A deterministic RNG for known-answer tests (splitmix64). Never used outside tests.
struct TestRng(u64);
impl RngCore for TestRng {
	fn next_u32(&mut self) -> u32 {
		self.next_u64() as u32
	}
	fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	fn fill_bytes(&mut self, dest: &mut [u8]) {
		for chunk in dest.chunks_mut(8) {
			let v = self.next_u64().to_le_bytes();
			chunk.copy_from_slice(&v[..chunk.len()]);
		}
	}
	fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
		self.fill_bytes(dest);
		Ok(())
	}
}
impl CryptoRng for TestRng {}

fn ctx(voter: u8, election_id: u64, public_key: PointBytes) -> BallotContext {
	BallotContext { genesis_hash: [7; 32], election_id, voter: vec![voter; 32], public_key }
}

fn setup() -> (Scalar, PointBytes) {
	keypair(&mut OsRng)
}

fn choices(n: usize, selected: &[usize]) -> Vec<bool> {
	(0..n).map(|i| selected.contains(&i)).collect()
}

/// Like `encrypt_ballot` but with arbitrary plaintexts (one per ciphertext) and
/// honest-looking proofs that claim `claimed` for each ciphertext and the sum proof's
/// branch `claimed_sum_index` (when the kind has a sum proof): a cheating client.
fn forge(
	ctx: &BallotContext,
	spec: &BallotSpec,
	values: &[u64],
	claimed: &[usize],
	claimed_sum_index: usize,
) -> EncryptedBallot {
	let h = decompress(&ctx.public_key).unwrap();
	let rs: Vec<Scalar> = values.iter().map(|_| Scalar::random(&mut OsRng)).collect();
	let pts: Vec<_> = values
		.iter()
		.zip(&rs)
		.map(|(m, r)| (RistrettoPoint::mul_base(r), r * h + Scalar::from(*m) * g()))
		.collect();
	let cts: Ciphertexts = pts
		.iter()
		.map(|(a, b)| Ciphertext::from_points(*a, *b))
		.collect::<Vec<_>>()
		.try_into()
		.unwrap();
	let base = ctx.transcript(spec, &cts);
	let option_proofs = pts
		.iter()
		.zip(&rs)
		.zip(claimed)
		.enumerate()
		.map(|(i, ((p, r), c))| {
			let mut t = transcript::option_transcript(&base, i as u32);
			BitProof::prove(&mut t, h, *p, &[0, 1], *c, r, &mut OsRng).unwrap()
		})
		.collect::<Vec<_>>()
		.try_into()
		.unwrap();
	let (sa, sb) = pts
		.iter()
		.fold((RistrettoPoint::identity(), RistrettoPoint::identity()), |(x, y), (a, b)| {
			(x + a, y + b)
		});
	let sr: Scalar = rs.iter().sum();
	let mut t = transcript::sum_transcript(&base);
	let sum_proof = spec.has_sum_proof().then(|| {
		SumProof::prove(&mut t, h, (sa, sb), &spec.sum_values(), claimed_sum_index, &sr, &mut OsRng)
			.unwrap()
	});
	EncryptedBallot { ciphertexts: cts, option_proofs, sum_proof }
}

#[test]
fn referendum_ballot_verifies() {
	let (_, pk) = setup();
	let c = ctx(1, 10, pk);
	for choice in [0, 1] {
		let (ballot, _) =
			encrypt_ballot(&c, &BallotSpec::REFERENDUM, &choices(2, &[choice]), &mut OsRng)
				.unwrap();
		assert_eq!(verify_ballot(&c, &BallotSpec::REFERENDUM, &ballot), Ok(()));
	}
}

#[test]
fn a_fixed_number_of_selections_leaves_the_last_option_implied() {
	let (_, pk) = setup();
	let c = ctx(1, 10, pk);
	// A referendum is one ciphertext and one 0/1 proof.
	let (r, _) =
		encrypt_ballot(&c, &BallotSpec::REFERENDUM, &choices(2, &[1]), &mut OsRng).unwrap();
	assert_eq!((r.ciphertexts.len(), r.option_proofs.len()), (1, 1));
	assert_eq!(r.sum_proof, None);
	// Five candidates: four ciphertexts and a two-branch sum proof (the four sum to 0 or 1).
	let spec = BallotSpec::single_choice(5);
	for chosen in 0..5 {
		let (b, _) = encrypt_ballot(&c, &spec, &choices(5, &[chosen]), &mut OsRng).unwrap();
		assert_eq!(b.ciphertexts.len(), 4);
		assert_eq!(b.sum_proof.as_ref().map(|p| p.commitments.len()), Some(2));
		assert_eq!(verify_ballot(&c, &spec, &b), Ok(()));
	}
	// Approval of up to every option needs no sum proof; of up to some, it does.
	assert!(!BallotSpec::approval(3, 3).has_sum_proof());
	assert!(BallotSpec::approval(3, 2).has_sum_proof());
	assert_eq!(BallotSpec::approval(3, 2).ciphertexts(), 3);
}

#[test]
fn a_sum_proof_must_be_present_exactly_when_the_kind_needs_one() {
	let (_, pk) = setup();
	let c = ctx(1, 10, pk);
	let (referendum, _) =
		encrypt_ballot(&c, &BallotSpec::REFERENDUM, &choices(2, &[0]), &mut OsRng).unwrap();
	let spec = BallotSpec::single_choice(3);
	let (single, _) = encrypt_ballot(&c, &spec, &choices(3, &[0]), &mut OsRng).unwrap();
	let mut with_extra = referendum.clone();
	with_extra.sum_proof = single.sum_proof.clone();
	assert_eq!(verify_ballot(&c, &BallotSpec::REFERENDUM, &with_extra), Err(Error::WrongShape));
	let mut without = single;
	without.sum_proof = None;
	assert_eq!(verify_ballot(&c, &spec, &without), Err(Error::WrongShape));
	// A referendum ballot presented as a two-candidate single choice is the same ballot.
	assert_eq!(verify_ballot(&c, &BallotSpec::single_choice(2), &referendum), Ok(()));
}

#[test]
fn ballot_copied_to_another_voter_election_or_chain_fails() {
	let (_, pk) = setup();
	let spec = BallotSpec::REFERENDUM;
	let c = ctx(1, 10, pk);
	let (ballot, _) = encrypt_ballot(&c, &spec, &choices(2, &[1]), &mut OsRng).unwrap();
	assert_eq!(verify_ballot(&ctx(2, 10, pk), &spec, &ballot), Err(Error::BadChallenge));
	assert_eq!(verify_ballot(&ctx(1, 11, pk), &spec, &ballot), Err(Error::BadChallenge));
	let mut other_chain = c.clone();
	other_chain.genesis_hash = [8; 32];
	assert_eq!(verify_ballot(&other_chain, &spec, &ballot), Err(Error::BadChallenge));
	let (_, other_key) = setup();
	assert!(verify_ballot(&ctx(1, 10, other_key), &spec, &ballot).is_err());
}

#[test]
fn replaced_ciphertext_fails() {
	let (_, pk) = setup();
	let spec = BallotSpec::REFERENDUM;
	let c = ctx(1, 10, pk);
	let (mut ballot, _) = encrypt_ballot(&c, &spec, &choices(2, &[0]), &mut OsRng).unwrap();
	let (other, _) = encrypt_ballot(&c, &spec, &choices(2, &[1]), &mut OsRng).unwrap();
	ballot.ciphertexts[0] = other.ciphertexts[0];
	assert!(verify_ballot(&c, &spec, &ballot).is_err());
}

#[test]
fn an_option_encrypting_two_fails() {
	let (_, pk) = setup();
	let spec = BallotSpec::approval(3, 2);
	let c = ctx(1, 10, pk);
	// Option 0 encrypts 2; its proof claims 1. The sum (2) is within 0..=2.
	let ballot = forge(&c, &spec, &[2, 0, 0], &[1, 0, 0], 2);
	assert_eq!(verify_ballot(&c, &spec, &ballot), Err(Error::InvalidProof));
	// The honest version of the same ballot passes, so the test can fail.
	let honest = forge(&c, &spec, &[1, 0, 0], &[1, 0, 0], 1);
	assert_eq!(verify_ballot(&c, &spec, &honest), Ok(()));
}

#[test]
fn a_sum_out_of_bounds_fails() {
	let (_, pk) = setup();
	let spec = BallotSpec::single_choice(5);
	let c = ctx(1, 10, pk);
	// Two of the four sent candidates marked: every ciphertext is 0/1 but they sum to 2,
	// so the implied fifth would be −1.
	let ballot = forge(&c, &spec, &[1, 1, 0, 0], &[1, 1, 0, 0], 1);
	assert_eq!(verify_ballot(&c, &spec, &ballot), Err(Error::InvalidProof));
	// The honest version passes, so the test can fail.
	let honest = forge(&c, &spec, &[0, 1, 0, 0], &[0, 1, 0, 0], 1);
	assert_eq!(verify_ballot(&c, &spec, &honest), Ok(()));
	// An empty ballot where one or two are required (no implied option there).
	let one_or_two = BallotSpec { options: 5, min_selections: 1, max_selections: 2 };
	let empty = forge(&c, &one_or_two, &[0, 0, 0, 0, 0], &[0, 0, 0, 0, 0], 0);
	assert_eq!(verify_ballot(&c, &one_or_two, &empty), Err(Error::InvalidProof));
	// And the client refuses to build such ballots.
	assert_eq!(
		encrypt_ballot(&c, &spec, &choices(5, &[0, 1]), &mut OsRng).map(|_| ()),
		Err(Error::InvalidChoice)
	);
}

#[test]
fn tampered_proofs_fail() {
	let (_, pk) = setup();
	let spec = BallotSpec::single_choice(5);
	let c = ctx(1, 10, pk);
	let (ballot, _) = encrypt_ballot(&c, &spec, &choices(5, &[3]), &mut OsRng).unwrap();
	assert_eq!(verify_ballot(&c, &spec, &ballot), Ok(()));

	let mut b = ballot.clone();
	b.option_proofs[2].responses[0][0] ^= 1;
	assert!(matches!(verify_ballot(&c, &spec, &b), Err(Error::InvalidProof | Error::BadScalar)));

	let mut b = ballot.clone();
	b.option_proofs[2].challenges[1][0] ^= 1;
	assert!(matches!(verify_ballot(&c, &spec, &b), Err(Error::BadChallenge | Error::BadScalar)));

	let mut b = ballot.clone();
	let sum_proof = b.sum_proof.as_mut().unwrap();
	sum_proof.commitments[0].0 = sum_proof.commitments[0].1;
	assert!(verify_ballot(&c, &spec, &b).is_err());

	let mut b = ballot.clone();
	b.option_proofs.pop();
	assert_eq!(verify_ballot(&c, &spec, &b), Err(Error::WrongShape));

	let mut b = ballot;
	b.ciphertexts[0].a = [0xff; 32];
	assert_eq!(verify_ballot(&c, &spec, &b), Err(Error::BadPoint));
}

#[test]
fn approval_ballots_accept_every_allowed_count() {
	let (_, pk) = setup();
	let spec = BallotSpec::approval(5, 3);
	let c = ctx(1, 10, pk);
	for selected in [&[][..], &[0], &[1, 4], &[0, 2, 4]] {
		let (ballot, _) = encrypt_ballot(&c, &spec, &choices(5, selected), &mut OsRng).unwrap();
		assert_eq!(verify_ballot(&c, &spec, &ballot), Ok(()), "{selected:?}");
	}
	assert_eq!(
		encrypt_ballot(&c, &spec, &choices(5, &[0, 1, 2, 3]), &mut OsRng).map(|_| ()),
		Err(Error::InvalidChoice)
	);
}

#[test]
fn batch_verifies_many_and_catches_one_bad() {
	let (_, pk) = setup();
	let spec = BallotSpec::REFERENDUM;
	let ballots: Vec<_> = (0..20u8)
		.map(|v| {
			let c = ctx(v, 10, pk);
			(
				c.clone(),
				encrypt_ballot(&c, &spec, &choices(2, &[(v % 2) as usize]), &mut OsRng)
					.unwrap()
					.0,
			)
		})
		.collect();
	let mut batch = BatchVerifier::new();
	for (c, b) in &ballots {
		batch.add(c, &spec, b).unwrap();
	}
	assert_eq!(batch.len(), 20);
	assert_eq!(batch.verify(), Ok(()));

	let mut batch = BatchVerifier::new();
	for (i, (c, b)) in ballots.iter().enumerate() {
		if i == 13 {
			let bad = forge(c, &spec, &[2], &[1], 0);
			batch.add(c, &spec, &bad).unwrap();
		} else {
			batch.add(c, &spec, b).unwrap();
		}
	}
	assert_eq!(batch.verify(), Err(Error::InvalidProof));
}

/// A block's batch: ballots of two elections (two keys, each entering the multiplication
/// once) under a seed; one forged ballot anywhere fails the whole batch, and a ballot of
/// the wrong shape is refused before it joins.
#[test]
fn a_seeded_batch_of_two_elections_verifies_and_catches_one_bad() {
	let (_, pk1) = setup();
	let (_, pk2) = setup();
	let ballots: Vec<(BallotContext, BallotSpec, EncryptedBallot)> = (0..12u8)
		.map(|v| {
			let (c, spec, choice) = if v % 3 == 0 {
				(ctx(v, 20, pk2), BallotSpec::single_choice(4), choices(4, &[(v % 4) as usize]))
			} else {
				(ctx(v, 10, pk1), BallotSpec::REFERENDUM, choices(2, &[(v % 2) as usize]))
			};
			let b = encrypt_ballot(&c, &spec, &choice, &mut OsRng).unwrap().0;
			(c, spec, b)
		})
		.collect();
	let seeded = |bad_at: Option<usize>| {
		let mut batch = BatchVerifier::with_seed([9; 32]);
		for (i, (c, spec, b)) in ballots.iter().enumerate() {
			if Some(i) == bad_at {
				let ones = vec![1; spec.ciphertexts() as usize];
				let claimed = vec![1; spec.ciphertexts() as usize];
				let mut values = ones.clone();
				values[0] = 2;
				batch.add(c, spec, &forge(c, spec, &values, &claimed, 0)).unwrap();
			} else {
				batch.add(c, spec, b).unwrap();
			}
		}
		batch.verify()
	};
	assert_eq!(seeded(None), Ok(()));
	for bad_at in [0, 1, 11] {
		assert_eq!(seeded(Some(bad_at)), Err(Error::InvalidProof), "forged ballot at {bad_at}");
	}
	let (c, spec, b) = &ballots[1];
	let mut short = b.clone();
	short.option_proofs.clear();
	let mut batch = BatchVerifier::with_seed([9; 32]);
	assert_eq!(batch.add(c, spec, &short), Err(Error::WrongShape));
	assert_eq!(check_shape(spec, &short), Err(Error::WrongShape));
	assert_eq!(check_shape(spec, b), Ok(()));
	assert!(batch.is_empty());
}

/// The cheap check catches a ballot made for another context (its challenges are of
/// another transcript) but not a forged response, which only the equations catch.
#[test]
fn challenges_bind_the_context_and_leave_responses_to_the_equations() {
	let (_, pk) = setup();
	let (_, other_key) = setup();
	let spec = BallotSpec::single_choice(3);
	let c = ctx(1, 10, pk);
	let b = encrypt_ballot(&c, &spec, &choices(3, &[1]), &mut OsRng).unwrap().0;
	assert_eq!(check_challenges(&c, &spec, &b), Ok(()));
	for other in [ctx(2, 10, pk), ctx(1, 11, pk), ctx(1, 10, other_key)] {
		assert_eq!(check_challenges(&other, &spec, &b), Err(Error::BadChallenge));
	}
	let mut forged = b.clone();
	forged.option_proofs[0].responses[0] = Scalar::ONE.to_bytes();
	assert_eq!(check_challenges(&c, &spec, &forged), Ok(()));
	assert_eq!(verify_ballot(&c, &spec, &forged), Err(Error::InvalidProof));
}

#[test]
fn benaloh_audit_opens_a_spoiled_ballot() {
	let (_, pk) = setup();
	let c = ctx(1, 10, pk);
	let spec = BallotSpec::single_choice(3);
	let (ballot, opening) = encrypt_ballot(&c, &spec, &choices(3, &[2]), &mut OsRng).unwrap();
	assert_eq!(audit_ballot(&c, &spec, &ballot, &opening), Ok(()));
	// A client that encrypted something other than what it showed is caught.
	let mut lie = opening.clone();
	lie.choices = choices(3, &[0]);
	assert_eq!(audit_ballot(&c, &spec, &ballot, &lie), Err(Error::InvalidChoice));
	// The choice of the implied last option is checked too: shown as not selected, the
	// ballot's two ciphertexts (both 0) would still mean candidate 3.
	lie.choices = choices(3, &[]);
	assert_eq!(audit_ballot(&c, &spec, &ballot, &lie), Err(Error::InvalidChoice));
}

/// Shamir-shares `secret` among `n` trustees with threshold `t` (a dealer, for tests).
fn deal(secret: Scalar, t: usize, n: u32) -> Vec<(u32, Scalar)> {
	let coeffs: Vec<Scalar> = core::iter::once(secret)
		.chain((1..t).map(|_| Scalar::random(&mut OsRng)))
		.collect();
	(1..=n)
		.map(|i| {
			let x = Scalar::from(u64::from(i));
			let y = coeffs.iter().rev().fold(Scalar::ZERO, |acc, c| acc * x + c);
			(i, y)
		})
		.collect()
}

#[test]
fn tally_and_threshold_decryption() {
	let (secret, pk) = setup();
	let trustees = deal(secret, 2, 3);
	let spec = BallotSpec::single_choice(3);
	let votes = [0usize, 1, 1, 2, 1, 0, 1];
	let mut tally = Tally::new(&spec);
	for (v, choice) in votes.iter().enumerate() {
		let c = ctx(v as u8, 5, pk);
		let (ballot, _) = encrypt_ballot(&c, &spec, &choices(3, &[*choice]), &mut OsRng).unwrap();
		tally.add(&ballot.ciphertexts).unwrap();
	}
	// A re-vote: voter 0 changes from 0 to 2; the old ballot is subtracted.
	let c = ctx(0, 5, pk);
	let (old, _) = encrypt_ballot(&c, &spec, &choices(3, &[0]), &mut OsRng).unwrap();
	tally.add(&old.ciphertexts).unwrap();
	tally.subtract(&old.ciphertexts).unwrap();
	let stored = tally.ciphertexts().unwrap();
	assert_eq!(Tally::from_ciphertexts(&stored).unwrap(), tally);

	let share_ctx = |i: u32, x: &Scalar| ShareContext {
		genesis_hash: [7; 32],
		election_id: 5,
		trustee_index: i,
		verification_key: RistrettoPoint::mul_base(x).compress().to_bytes(),
		counted_voters: 7,
	};
	let shares: Vec<(u32, DecryptionShare)> = [&trustees[0], &trustees[2]]
		.iter()
		.map(|(i, x)| {
			let s = DecryptionShare::create(&share_ctx(*i, x), x, &stored, &mut OsRng).unwrap();
			assert_eq!(s.verify(&share_ctx(*i, x), &stored), Ok(()));
			(*i, s)
		})
		.collect();
	// A share checked against another trustee's key fails.
	assert_eq!(
		shares[0].1.verify(&share_ctx(2, &trustees[1].1), &stored),
		Err(Error::InvalidProof)
	);
	let refs: Vec<(u32, &DecryptionShare)> = shares.iter().map(|(i, s)| (*i, s)).collect();
	// Two ciphertexts: candidate 3 is implied.
	assert_eq!(stored.len(), 2);
	let combined = combine_shares(&refs, 2).unwrap();
	assert_eq!(check_result(&spec, &stored, &combined, &[2, 4, 1], 7), Ok(()));
	assert_eq!(check_result(&spec, &stored, &combined, &[2, 3, 2], 7), Err(Error::WrongCount));
	// The implied count follows from the number of ballots: claiming another is refused.
	assert_eq!(check_result(&spec, &stored, &combined, &[2, 4, 2], 7), Err(Error::WrongCount));
	assert_eq!(check_result(&spec, &stored, &combined, &[2, 4, 2], 8), Ok(()));
	assert_eq!(check_result(&spec, &stored, &combined, &[2, 4, 0], 5), Err(Error::WrongCount));
	assert_eq!(check_result(&spec, &stored, &combined, &[2, 4], 7), Err(Error::WrongShape));
	// Off chain, the counts are found by a short search.
	assert_eq!(decrypt_result(&spec, &stored, &combined, 7), Ok(vec![2, 4, 1]));
	// One share alone does not decrypt.
	let one = combine_shares(&refs[..1], 2).unwrap();
	assert!(check_result(&spec, &stored, &one, &[2, 4, 1], 7).is_err());
	// Duplicate trustees are refused.
	assert_eq!(combine_shares(&[refs[0], refs[0]], 2), Err(Error::WrongShape));
}

/// Known answers from RFC 9496 (ristretto255 encodings of small multiples of the
/// generator): with r = 1 and H = G, the encryption of 1 is (G, 2G).
#[test]
fn known_answer_elgamal_encoding() {
	let g1 = "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76";
	let g2 = "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919";
	let g3 = "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259";
	let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
	let r = Scalar::ONE;
	let h = g();
	let a = RistrettoPoint::mul_base(&r);
	let b = r * h + g();
	let ct = Ciphertext::from_points(a, b);
	assert_eq!(hex(&ct.a), g1);
	assert_eq!(hex(&ct.b), g2);
	// And 3G, the sum of the two components: addition of encodings agrees with the RFC.
	assert_eq!(hex(&(g() + g() + g()).compress().to_bytes()), g3);
	assert_eq!(discrete_log(&ct.b, 10), Some(2));
}

/// A pinned ballot from a fixed seed: any change to the encoding, the transcript or the
/// proof construction changes these bytes and must be a deliberate, versioned change.
#[test]
fn known_answer_ballot_is_stable() {
	let mut rng = TestRng(42);
	let secret = Scalar::random(&mut rng);
	let pk = RistrettoPoint::mul_base(&secret).compress().to_bytes();
	let c = ctx(1, 10, pk);
	let (ballot, _) =
		encrypt_ballot(&c, &BallotSpec::REFERENDUM, &choices(2, &[0]), &mut rng).unwrap();
	assert_eq!(verify_ballot(&c, &BallotSpec::REFERENDUM, &ballot), Ok(()));
	let mut t = Transcript::new(b"kat");
	t.append_message(b"ballot", &ballot.encode());
	let mut digest = [0u8; 32];
	t.challenge_bytes(b"digest", &mut digest);
	let hex: String = digest.iter().map(|x| format!("{x:02x}")).collect();
	assert_eq!(hex, KAT_REFERENDUM_DIGEST);
}

use merlin::Transcript;

/// Digest of the pinned referendum ballot (see `known_answer_ballot_is_stable`); format v2:
/// one ciphertext, one 0/1 proof, no sum proof.
const KAT_REFERENDUM_DIGEST: &str =
	"3fccf4fe3eb4b41dabf5f3cc0330e7b0f119dc01a1fc870ca319744521219462";

fn dkg_ctx(i: u32) -> DkgContext {
	DkgContext {
		genesis_hash: [7; 32],
		election_id: 3,
		trustee_index: i,
		trustees: 3,
		threshold: 2,
	}
}

/// Three trustees, threshold two: no dealer, the joint key decrypts a tally with any two
/// trustees' shares, and the chain can check every step.
#[test]
fn distributed_key_generation_two_of_three() {
	let transport: Vec<(Scalar, TransportKey)> =
		(1..=3).map(|i| TransportKey::generate(&dkg_ctx(i), &mut OsRng)).collect();
	for (i, (_, tk)) in transport.iter().enumerate() {
		assert_eq!(tk.verify(&dkg_ctx(i as u32 + 1)), Ok(()));
	}
	// A transport key replayed under another trustee's index fails.
	assert_eq!(transport[0].1.verify(&dkg_ctx(2)), Err(Error::InvalidProof));

	let keys: Vec<PointBytes> = transport.iter().map(|(_, tk)| tk.key).collect();
	let dealings: Vec<Dealing> = (1..=3)
		.map(|i| Dealing::create(&dkg_ctx(i), &keys, &mut OsRng).unwrap())
		.collect();
	for (i, d) in dealings.iter().enumerate() {
		assert_eq!(d.verify_public(&dkg_ctx(i as u32 + 1)), Ok(()));
	}
	let commitments: Vec<&[PointBytes]> = dealings.iter().map(|d| &d.commitments[..]).collect();
	let aggregate = aggregate_commitments(&commitments).unwrap();
	let joint_key = aggregate[0];

	// Each trustee opens its shares and checks them against the public verification key.
	let secrets: Vec<Scalar> = (1..=3u32)
		.map(|j| {
			let e = &transport[j as usize - 1].0;
			let x_j: Scalar = dealings
				.iter()
				.enumerate()
				.map(|(i, d)| d.open_share(&dkg_ctx(i as u32 + 1), j, e).unwrap())
				.sum();
			assert_eq!(
				RistrettoPoint::mul_base(&x_j).compress().to_bytes(),
				verification_key(&aggregate, j).unwrap()
			);
			x_j
		})
		.collect();
	// A share opened by the wrong trustee does not match the commitments.
	assert_eq!(dealings[0].open_share(&dkg_ctx(1), 2, &transport[0].0), Err(Error::InvalidProof));

	// Encrypt three referendum ballots (2 yes, 1 no) under the joint key and decrypt the
	// tally with trustees 1 and 3.
	let spec = BallotSpec::REFERENDUM;
	let mut tally = Tally::new(&spec);
	for (voter, yes) in [(1u8, true), (2, true), (3, false)] {
		let (b, _) =
			encrypt_ballot(&ctx(voter, 3, joint_key), &spec, &[yes, !yes], &mut OsRng).unwrap();
		tally.add(&b.ciphertexts).unwrap();
	}
	let tally = tally.ciphertexts().unwrap();
	let share = |j: u32| {
		let sc = ShareContext {
			genesis_hash: [7; 32],
			election_id: 3,
			trustee_index: j,
			verification_key: verification_key(&aggregate, j).unwrap(),
			counted_voters: 3,
		};
		let s = DecryptionShare::create(&sc, &secrets[j as usize - 1], &tally, &mut OsRng).unwrap();
		assert_eq!(s.verify(&sc, &tally), Ok(()));
		s
	};
	let (s1, s3) = (share(1), share(3));
	let combined = combine_shares(&[(1, &s1), (3, &s3)], 1).unwrap();
	assert_eq!(check_result(&spec, &tally, &combined, &[2, 1], 3), Ok(()));
	assert_eq!(check_result(&spec, &tally, &combined, &[1, 2], 3), Err(Error::WrongCount));
	assert_eq!(decrypt_result(&spec, &tally, &combined, 3), Ok(vec![2, 1]));
}

#[test]
fn dealings_with_bad_shape_or_proof_are_refused() {
	let keys: Vec<PointBytes> =
		(1..=3).map(|i| TransportKey::generate(&dkg_ctx(i), &mut OsRng).1.key).collect();
	let d = Dealing::create(&dkg_ctx(1), &keys, &mut OsRng).unwrap();
	// Replayed by trustee 2 as its own contribution: the proof is bound to trustee 1.
	assert_eq!(d.verify_public(&dkg_ctx(2)), Err(Error::InvalidProof));
	let mut short = d.clone();
	short.shares.pop();
	assert_eq!(short.verify_public(&dkg_ctx(1)), Err(Error::WrongShape));
	// Cancelling another trustee's key (C_0 = −X_other) needs the discrete log: the proof
	// for a copied-and-negated commitment fails.
	let mut rogue = d.clone();
	rogue.commitments[0] = (-decompress(&d.commitments[0]).unwrap()).compress().to_bytes();
	assert_eq!(rogue.verify_public(&dkg_ctx(1)), Err(Error::InvalidProof));
	// The identity cannot be a joint key.
	let o = RistrettoPoint::identity().compress().to_bytes();
	assert_eq!(aggregate_commitments(&[&[o, o]]), Err(Error::BadPoint));
}

#[test]
fn a_share_proves_a_decryption_of_the_final_tally_only() {
	let x = Scalar::random(&mut OsRng);
	let pk = RistrettoPoint::mul_base(&x).compress().to_bytes();
	let spec = BallotSpec::REFERENDUM;
	let mut tally = Tally::new(&spec);
	let mut ballots = Vec::new();
	for (voter, yes) in [(1u8, true), (2, false), (3, true)] {
		let (b, _) = encrypt_ballot(&ctx(voter, 9, pk), &spec, &[yes, !yes], &mut OsRng).unwrap();
		tally.add(&b.ciphertexts).unwrap();
		ballots.push(b);
	}
	let final_tally = tally.ciphertexts().unwrap();
	let sc = ShareContext {
		genesis_hash: [7; 32],
		election_id: 9,
		trustee_index: 1,
		verification_key: pk,
		counted_voters: 3,
	};
	let share = DecryptionShare::create(&sc, &x, &final_tally, &mut OsRng).unwrap();
	assert_eq!(share.verify(&sc, &final_tally), Ok(()));
	// Not a share of this election's final state with another count of voters...
	let other_count = ShareContext { counted_voters: 4, ..sc.clone() };
	assert_eq!(share.verify(&other_count, &final_tally), Err(Error::InvalidProof));
	// ...nor of a tally with the same `A` and another `B` (the proof covers the whole tally).
	let mut other_b = final_tally.clone();
	other_b[0].b = ballots[0].ciphertexts[0].b;
	assert_eq!(share.verify(&sc, &other_b), Err(Error::InvalidProof));
	// A share made of one voter's ballot, offered as the election's (its `D` does decrypt
	// that ballot), does not verify against the final tally.
	let of_a_ballot =
		DecryptionShare::create(&sc, &x, &ballots[1].ciphertexts, &mut OsRng).unwrap();
	assert_eq!(of_a_ballot.verify(&sc, &final_tally), Err(Error::InvalidProof));
}

/// A dealer who sends one trustee a share that does not match its commitments (the attack
/// that leaves an election undecryptable after everyone voted) is convicted by that
/// trustee's complaint, which anyone checks; a false complaint, or one replayed by another
/// trustee or against another dealing, proves nothing.
#[test]
fn a_bad_share_is_convicted_by_a_checkable_complaint() {
	let transport: Vec<(Scalar, TransportKey)> =
		(1..=3).map(|i| TransportKey::generate(&dkg_ctx(i), &mut OsRng)).collect();
	let keys: Vec<PointBytes> = transport.iter().map(|(_, tk)| tk.key).collect();
	let honest = Dealing::create(&dkg_ctx(1), &keys, &mut OsRng).unwrap();
	let mut cheat = Dealing::create(&dkg_ctx(2), &keys, &mut OsRng).unwrap();
	// Dealer 2 sends trustee 3 a share off by one: still public-valid.
	let masked = scalar(&cheat.shares[2].masked).unwrap() + Scalar::ONE;
	cheat.shares[2].masked = masked.to_bytes();
	assert_eq!(cheat.verify_public(&dkg_ctx(2)), Ok(()));
	let e3 = &transport[2].0;
	assert_eq!(cheat.open_share(&dkg_ctx(2), 3, e3), Err(Error::InvalidProof));

	let complaint = Complaint::create(&dkg_ctx(2), &cheat, 3, e3, &mut OsRng).unwrap();
	assert_eq!(complaint.convicts(&dkg_ctx(2), &cheat, 3, &keys[2]), Ok(()));
	// Bound to its dealer, recipient and transport key.
	assert_eq!(complaint.convicts(&dkg_ctx(1), &cheat, 3, &keys[2]), Err(Error::InvalidProof));
	assert_eq!(complaint.convicts(&dkg_ctx(2), &cheat, 2, &keys[1]), Err(Error::InvalidProof));
	assert_eq!(complaint.convicts(&dkg_ctx(2), &cheat, 3, &keys[1]), Err(Error::InvalidProof));
	// The real proof with another Diffie-Hellman value fails.
	let mut forged = complaint.clone();
	forged.shared = RistrettoPoint::mul_base(&Scalar::random(&mut OsRng)).compress().to_bytes();
	assert_eq!(forged.convicts(&dkg_ctx(2), &cheat, 3, &keys[2]), Err(Error::InvalidProof));
	// Against the honest dealing there is nothing to complain about...
	assert_eq!(Complaint::create(&dkg_ctx(1), &honest, 3, e3, &mut OsRng), Err(Error::ShareOpens));
	// ...and the same evidence made about a share that opens convicts no one.
	let unfounded = Complaint::reveal(&dkg_ctx(1), &honest, 3, e3, &mut OsRng).unwrap();
	assert_eq!(unfounded.convicts(&dkg_ctx(1), &honest, 3, &keys[2]), Err(Error::ShareOpens));

	// A cheat cannot borrow the honest dealer's ephemeral key for its bad share to trustee
	// 3 (the victim's complaint would reveal the honest share): it does not know its log.
	let mut borrowed = cheat.clone();
	borrowed.shares[2].ephemeral = honest.shares[2].ephemeral;
	assert_eq!(borrowed.verify_public(&dkg_ctx(2)), Err(Error::InvalidProof));
	let mut with_proof = borrowed.clone();
	with_proof.shares[2].proof = honest.shares[2].proof.clone();
	assert_eq!(with_proof.verify_public(&dkg_ctx(2)), Err(Error::InvalidProof));

	// Without the convicted dealer the key still works: qualified dealers 1 and 3.
	let third = Dealing::create(&dkg_ctx(3), &keys, &mut OsRng).unwrap();
	let qualified = [(1u32, &honest), (3, &third)];
	let commitments: Vec<&[PointBytes]> =
		qualified.iter().map(|(_, d)| &d.commitments[..]).collect();
	let aggregate = aggregate_commitments(&commitments).unwrap();
	for j in 1..=3u32 {
		let x_j: Scalar = qualified
			.iter()
			.map(|(i, d)| d.open_share(&dkg_ctx(*i), j, &transport[j as usize - 1].0).unwrap())
			.sum();
		assert_eq!(
			RistrettoPoint::mul_base(&x_j).compress().to_bytes(),
			verification_key(&aggregate, j).unwrap()
		);
	}
}

/// SCALE bytes shaped like an `EncryptedBallot` with `ciphertexts` ciphertexts and no
/// proofs: what a client may send, whatever the bounds.
fn ballot_bytes(ciphertexts: usize) -> Vec<u8> {
	(alloc::vec![Ciphertext::zero(); ciphertexts], Vec::<BitProof>::new(), None::<SumProof>)
		.encode()
}

fn proof_bytes() -> PossessionProof {
	PossessionProof { challenge: [0; 32], response: [0; 32] }
}

/// SCALE bytes shaped like a `Dealing` with `commitments` commitments and `shares` shares.
fn dealing_bytes(commitments: usize, shares: usize) -> Vec<u8> {
	let share = EncryptedShare { ephemeral: [0; 32], masked: [0; 32], proof: proof_bytes() };
	(alloc::vec![[0u8; 32]; commitments], proof_bytes(), alloc::vec![share; shares]).encode()
}

/// SCALE bytes shaped like a `DecryptionShare` with `shares` shares and `proofs` proofs.
fn decryption_share_bytes(shares: usize, proofs: usize) -> Vec<u8> {
	let proof = DleqProof { challenge: [0; 32], response: [0; 32] };
	(alloc::vec![[0u8; 32]; shares], alloc::vec![proof; proofs]).encode()
}

/// Attack: a ballot one ciphertext longer than any ballot kind allows is a vector the runtime
/// would allocate and store before any check. It must not even decode.
#[test]
fn a_ballot_over_its_bound_does_not_decode() {
	let max = MAX_OPTIONS as usize;
	assert!(EncryptedBallot::decode(&mut &ballot_bytes(max)[..]).is_ok());
	assert!(EncryptedBallot::decode(&mut &ballot_bytes(max + 1)[..]).is_err());
	// The proofs are bounded too: a sum proof with one branch more than any kind has.
	let branches = MAX_SUM_RANGE as usize + 1;
	let proof = (
		alloc::vec![([0u8; 32], [0u8; 32]); branches],
		Vec::<[u8; 32]>::new(),
		Vec::<[u8; 32]>::new(),
	);
	assert!(SumProof::decode(&mut &proof.encode()[..]).is_err());
	// And a 0/1 proof has two branches, not three.
	let three =
		(alloc::vec![([0u8; 32], [0u8; 32]); 3], Vec::<[u8; 32]>::new(), Vec::<[u8; 32]>::new());
	assert!(BitProof::decode(&mut &three.encode()[..]).is_err());
}

/// Attack: a dealing with one share or one commitment more than the most trustees.
#[test]
fn a_dealing_over_its_bound_does_not_decode() {
	let max = MAX_TRUSTEES as usize;
	assert!(Dealing::decode(&mut &dealing_bytes(max, max)[..]).is_ok());
	assert!(Dealing::decode(&mut &dealing_bytes(max, max + 1)[..]).is_err());
	assert!(Dealing::decode(&mut &dealing_bytes(max + 1, max)[..]).is_err());
}

/// Attack: a decryption share with one share or one proof more than the most options.
#[test]
fn a_decryption_share_over_its_bound_does_not_decode() {
	let max = MAX_OPTIONS as usize;
	assert!(DecryptionShare::decode(&mut &decryption_share_bytes(max, max)[..]).is_ok());
	assert!(DecryptionShare::decode(&mut &decryption_share_bytes(max + 1, max)[..]).is_err());
	assert!(DecryptionShare::decode(&mut &decryption_share_bytes(max, max + 1)[..]).is_err());
}

/// Each proof is bounded by its own kind: 0/1 proofs by two branches, the sum proof by
/// `MAX_SUM_RANGE`. Bounding every proof by the widest would make the largest ballot
/// (what the runtime's proof-size accounting charges for) six times larger.
#[test]
fn a_ballots_largest_encoding_is_what_its_proofs_can_hold() {
	// 64 ciphertexts of 64 bytes, 64 two-branch proofs of 256 bytes, one 16-branch sum
	// proof of 2048 bytes, and their length prefixes.
	assert_eq!(BitProof::max_encoded_len(), 3 + 2 * 64 + 2 * 32 + 2 * 32);
	assert_eq!(SumProof::max_encoded_len(), 3 + 16 * 128);
	assert_eq!(EncryptedBallot::max_encoded_len(), 2 + 64 * 64 + 2 + 64 * 259 + 1 + 2051);
}
