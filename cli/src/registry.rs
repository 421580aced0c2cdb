//! The civil registry's tools: registration of citizens from its civil records (one or a
//! CSV in bulk), corrections, status changes, majority batches, and entries shown with the
//! record they open to.
//!
//! Personal data never goes on chain. For each person the tool draws a random salt and puts
//! on chain only the commitment `blake2-256(SCALE("egov/civil-record/v1", national id,
//! name, date of birth, salt))`, the account, the district and whether the person is of
//! age. The salts and records stay in the registry's local store (a file only its owner may
//! read): with them the registry can later show that an entry is a given person's record,
//! and nobody without them can link an entry to a person.

use crate::{
	act::act,
	chain::{parse_account, to_hex, AccountId, Chain, Endpoint},
	elections::{progress, Output},
	secret::{read_secret_file, SignerArgs},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use codec::{Decode, Encode};
use egov_primitives::{CitizenId, Commitment, DistrictId, Majority};
use egov_primitives::{CitizenStatus, Subject, ADULT_AT_REGISTRATION, MAJORITY_NOT_RECORDED};
use egov_runtime::{Runtime, RuntimeCall, RuntimeEvent};
use futures::StreamExt;
use pallet_identity_registry::{
	Call as RegistryCall, CitizenByCommitment, CitizenOf, CitizenRecord, Citizens,
	Event as RegistryEvent, MAX_MAJORITY_BATCH,
};
use polkadot_sdk::{pallet_utility, sp_core::crypto::Ss58Codec, sp_crypto_hashing::blake2_256};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::{collections::BTreeMap, path::PathBuf, time::Instant};

/// Batches awaiting finality at once during an import: enough to keep blocks full while
/// each waits for finality, few enough that an interruption leaves little in flight.
pub(crate) const IN_FLIGHT: usize = 4;

/// The age of majority, in years.
const MAJORITY_AGE: u32 = 18;

#[derive(Subcommand)]
pub enum RegistryCommand {
	/// Register every person of a CSV of civil records. Resumable: run it again after an
	/// interruption and nobody is registered twice.
	Import(ImportArgs),
	/// Register one person, as `import` does for each line of a CSV.
	Register {
		#[arg(long)]
		national_id: String,
		#[arg(long)]
		name: String,
		/// YYYY-MM-DD.
		#[arg(long)]
		date_of_birth: String,
		#[arg(long)]
		district: DistrictId,
		/// The account the person signs with (SS58 address).
		#[arg(long)]
		account: String,
		/// The registry's local store of salts and records.
		#[arg(long)]
		store: PathBuf,
		#[arg(long)]
		dry_run: bool,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Record a corrected civil record (a change of name, a mistaken date of birth): a new
	/// salt and a new commitment on chain; the store keeps the corrected record.
	Correct {
		/// The person's national id (as in the store).
		national_id: String,
		#[arg(long)]
		store: PathBuf,
		#[arg(long)]
		name: Option<String>,
		/// YYYY-MM-DD.
		#[arg(long)]
		date_of_birth: Option<String>,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Move a citizen to another district.
	UpdateDistrict {
		/// Citizen id or account.
		citizen: String,
		district: DistrictId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Suspend an active citizen: they can no longer vote or act.
	Suspend {
		/// Citizen id or account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Restore a suspended citizen.
	Restore {
		/// Citizen id or account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Record a citizen's death (the record is kept, closed).
	RecordDeath {
		/// Citizen id or account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Remove a record registered in error (its id is never reused).
	Remove {
		/// Citizen id or account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Record that every minor of the store who is of age on DATE counts as an adult from
	/// DATE: one day for the whole batch, never a date of birth on chain.
	RecordMajority {
		#[arg(long)]
		store: PathBuf,
		/// YYYY-MM-DD (e.g. the first of next month, or an election day).
		#[arg(long)]
		by: String,
		#[arg(long)]
		dry_run: bool,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// A citizen's entry, read with a proof from the finalized head; with --store, whether
	/// it opens to the person's civil record in the store.
	Show {
		/// Citizen id or account.
		citizen: String,
		#[arg(long)]
		store: Option<PathBuf>,
	},
}

#[derive(Args)]
pub struct ImportArgs {
	/// The civil records: a CSV with the header `national_id,name,date_of_birth,district,
	/// account` (dates as YYYY-MM-DD, accounts as SS58 addresses).
	pub csv: PathBuf,
	/// The registry's local store of salts and records (created, readable by its owner
	/// only). Keep it as safe as the records themselves: it links chain entries to people.
	#[arg(long)]
	pub store: PathBuf,
	/// Registrations per transaction.
	#[arg(long, default_value_t = 250)]
	pub batch: usize,
	/// Check the records against the store and the chain and say what would be done;
	/// send and write nothing.
	#[arg(long)]
	pub dry_run: bool,
	#[command(flatten)]
	pub signer: SignerArgs,
}

/// One row of the civil records.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
struct CivilRecord {
	national_id: String,
	name: String,
	date_of_birth: String,
	district: DistrictId,
	account: String,
}

/// A person in the registry's store.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Person {
	record: CivilRecord,
	salt: String,
	commitment: String,
	/// The citizen id once the chain holds the registration.
	citizen: Option<CitizenId>,
	/// A correction sent to the chain and not yet known to be in force: kept until the
	/// chain holds its commitment (then it replaces the record) or not (then it is dropped).
	#[serde(default)]
	pending: Option<Correction>,
}

/// A corrected record with its new salt and commitment.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Correction {
	record: CivilRecord,
	salt: String,
	commitment: String,
}

impl Person {
	/// The stored commitment, checked against the stored record and salt.
	fn commitment(&self) -> Result<Commitment> {
		let salt: [u8; 32] = crate::chain::unhex(&self.salt)?
			.try_into()
			.map_err(|_| anyhow!("a salt is 32 bytes"))?;
		let c = commitment(&self.record, &salt);
		if to_hex(c.as_bytes()) != self.commitment {
			bail!(
				"national id {}: the store's commitment is not its record's and salt's",
				self.record.national_id
			);
		}
		Ok(c)
	}
}

/// A registry's local store of salts and the records they open: a file only its owner may
/// read, tied to one chain.
#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Store<T> {
	format: String,
	genesis_hash: String,
	/// By national id (civil registry) or by the filing's hash (business registry).
	pub entries: BTreeMap<String, T>,
}

const STORE_FORMAT: &str = "egov-civil-registry-store/v1";

impl<T: Serialize + serde::de::DeserializeOwned> Store<T> {
	pub fn load(path: &PathBuf, format: &str, genesis_hash: &str) -> Result<Self> {
		if !path.exists() {
			return Ok(Store {
				format: format.into(),
				genesis_hash: genesis_hash.into(),
				entries: BTreeMap::new(),
			});
		}
		let store: Store<T> = serde_json::from_str(&read_secret_file(path)?)
			.with_context(|| format!("{} is not a {format} store", path.display()))?;
		if store.format != format {
			bail!("{}: a {} store, not a {format} one", path.display(), store.format);
		}
		if store.genesis_hash != genesis_hash {
			bail!(
				"{} belongs to the chain {}, not to this one ({genesis_hash})",
				path.display(),
				store.genesis_hash
			);
		}
		Ok(store)
	}

	/// Writes the store whole, readable by its owner only: a new file renamed over the old,
	/// so an interruption leaves the old store or the new, never half of one.
	pub fn save(&self, path: &PathBuf) -> Result<()> {
		use std::io::Write;
		let tmp = path.with_extension("tmp");
		let _ = std::fs::remove_file(&tmp);
		let mut opts = std::fs::OpenOptions::new();
		opts.write(true).create_new(true);
		#[cfg(unix)]
		std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
		let mut f = opts.open(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
		f.write_all(serde_json::to_string_pretty(self)?.as_bytes())?;
		f.sync_all()?;
		std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
	}
}

/// A fresh random salt.
pub(crate) fn salt() -> [u8; 32] {
	let mut salt = [0u8; 32];
	OsRng.fill_bytes(&mut salt);
	salt
}

/// The commitment the chain holds for a record and its salt.
fn commitment(r: &CivilRecord, salt: &[u8; 32]) -> Commitment {
	let preimage = (b"egov/civil-record/v1", &r.national_id, &r.name, &r.date_of_birth, salt);
	Commitment::from(blake2_256(&preimage.encode()))
}

/// `(year, month, day)` of `YYYY-MM-DD`, a real calendar day.
pub(crate) fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
	let mut parts = s.split('-');
	let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
	if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
		return None;
	}
	let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
	let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
	(1..=12).contains(&m).then_some(())?;
	(d >= 1 && d <= days[m as usize - 1]).then_some((y, m, d))
}

/// The calendar day (UTC) of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (u32, u32, u32) {
	let z = days + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z.rem_euclid(146_097);
	let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let d = doy - (153 * mp + 2) / 5 + 1;
	let m = if mp < 10 { mp + 3 } else { mp - 9 };
	let y = yoe + era * 400 + i64::from(m <= 2);
	(y as u32, m as u32, d as u32)
}

/// Days since 1970-01-01 of a calendar day (the inverse of [`civil_from_days`]).
pub(crate) fn days_from_civil((y, m, d): (u32, u32, u32)) -> u32 {
	let y = i64::from(y) - i64::from(m <= 2);
	let era = y.div_euclid(400);
	let yoe = y - era * 400;
	let mp = (i64::from(m) + 9) % 12;
	let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
	let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	u32::try_from(era * 146_097 + doe - 719_468).unwrap_or(0)
}

/// The day count of a `YYYY-MM-DD` argument.
pub(crate) fn day_arg(s: &str) -> Result<u32> {
	parse_date(s)
		.map(days_from_civil)
		.ok_or_else(|| anyhow!("{s:?} is not a YYYY-MM-DD day"))
}

fn today() -> (u32, u32, u32) {
	civil_from_days(i64::from(crate::elections::today()))
}

/// Adult on `today` if born `MAJORITY_AGE` years before it or earlier.
fn majority(born: (u32, u32, u32), today: (u32, u32, u32)) -> Majority {
	if (born.0 + MAJORITY_AGE, born.1, born.2) <= today {
		Majority::Adult
	} else {
		Majority::Minor
	}
}

/// The rows of a CSV text (RFC 4180: fields separated by commas, quoted with `"` when they
/// hold commas, quotes (doubled) or line breaks), each with the line it starts on.
pub(crate) fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>> {
	let mut rows = Vec::new();
	let (mut row, mut field) = (Vec::new(), String::new());
	let (mut line, mut row_line) = (1usize, 1usize);
	let (mut quoted, mut was_quoted) = (false, false);
	let mut chars = text.chars().peekable();
	while let Some(c) = chars.next() {
		match (quoted, c) {
			(true, '"') if chars.peek() == Some(&'"') => {
				chars.next();
				field.push('"');
			},
			(true, '"') => quoted = false,
			(true, c) => {
				line += usize::from(c == '\n');
				field.push(c);
			},
			(false, '"') if field.trim().is_empty() && !was_quoted => {
				field.clear();
				quoted = true;
				was_quoted = true;
			},
			(false, '"') => bail!("line {line}: a quote inside an unquoted field"),
			(false, ',') => {
				row.push(finish(&mut field, &mut was_quoted));
			},
			(false, '\r') if chars.peek() == Some(&'\n') => {},
			(false, '\n') => {
				row.push(finish(&mut field, &mut was_quoted));
				if !(row.len() == 1 && row[0].is_empty()) {
					rows.push((row_line, std::mem::take(&mut row)));
				}
				row.clear();
				line += 1;
				row_line = line;
			},
			(false, c) if was_quoted => {
				if !c.is_whitespace() {
					bail!("line {line}: text after a quoted field");
				}
			},
			(false, c) => field.push(c),
		}
	}
	if quoted {
		bail!("line {row_line}: a quoted field is never closed");
	}
	if !field.is_empty() || !row.is_empty() {
		row.push(finish(&mut field, &mut was_quoted));
		rows.push((row_line, row));
	}
	Ok(rows)
}

/// A finished field: as quoted, or trimmed when it was not quoted.
fn finish(field: &mut String, was_quoted: &mut bool) -> String {
	let f = std::mem::take(field);
	let f = if *was_quoted { f } else { f.trim().to_string() };
	*was_quoted = false;
	f
}

/// The columns of the civil records, in any order.
const COLUMNS: [&str; 5] = ["national_id", "name", "date_of_birth", "district", "account"];

/// A record's account and majority today, if the record is complete and its date of birth a
/// past calendar day.
fn check_record(r: &CivilRecord, today: (u32, u32, u32)) -> Result<(AccountId, Majority)> {
	if r.national_id.is_empty() || r.name.is_empty() {
		bail!("national_id and name are required");
	}
	let born = parse_date(&r.date_of_birth)
		.filter(|b| *b <= today)
		.ok_or_else(|| anyhow!("date of birth {:?} is not a past YYYY-MM-DD", r.date_of_birth))?;
	Ok((parse_account(&r.account)?, majority(born, today)))
}

/// The records of a CSV file, each checked; every bad line is reported at once.
fn read_records(path: &PathBuf) -> Result<Vec<(CivilRecord, AccountId, Majority)>> {
	let text =
		std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
	let mut rows = parse_csv(&text)?.into_iter();
	let (_, header) = rows.next().ok_or_else(|| anyhow!("{} is empty", path.display()))?;
	let column = |name: &str| {
		header.iter().position(|h| h == name).ok_or_else(|| {
			anyhow!("the header must name the columns {}; {name} is missing", COLUMNS.join(","))
		})
	};
	let at = COLUMNS.iter().map(|c| column(c)).collect::<Result<Vec<_>>>()?;
	let today = today();
	let mut records = Vec::new();
	let mut problems = Vec::new();
	let mut ids = BTreeMap::new();
	let mut accounts = BTreeMap::new();
	for (line, row) in rows {
		let checked = (|| {
			if row.len() != header.len() {
				bail!("{} fields where the header has {}", row.len(), header.len());
			}
			let r = CivilRecord {
				national_id: row[at[0]].clone(),
				name: row[at[1]].clone(),
				date_of_birth: row[at[2]].clone(),
				district: row[at[3]]
					.parse()
					.map_err(|_| anyhow!("district {:?} is not a number", row[at[3]]))?,
				account: row[at[4]].clone(),
			};
			let (account, majority) = check_record(&r, today)?;
			if let Some(first) = ids.insert(r.national_id.clone(), line) {
				bail!("national id {} is on line {first} too", r.national_id);
			}
			if let Some(first) = accounts.insert(account.clone(), line) {
				bail!("account {} is on line {first} too", r.account);
			}
			Ok((r, account, majority))
		})();
		match checked {
			Ok(r) => records.push(r),
			Err(e) => problems.push(format!("line {line}: {e:#}")),
		}
	}
	if !problems.is_empty() {
		bail!(
			"{} of the records are not valid; nothing was registered:\n  {}",
			problems.len(),
			problems.join("\n  ")
		);
	}
	Ok(records)
}

pub async fn run(url: &Endpoint, cmd: RegistryCommand, out: &Output) -> Result<()> {
	use RegistryCall::*;
	let on_citizen = |signer: SignerArgs,
	                  citizen: String,
	                  call: fn(CitizenId) -> RegistryCall<Runtime>| async move {
		let chain = Chain::connect(url).await?;
		let id = citizen_id(&chain, &citizen).await?;
		act(&chain, &signer, call(id), out).await.map(|_| ())
	};
	match cmd {
		RegistryCommand::Import(args) => {
			let records = read_records(&args.csv)?;
			register_records(url, records, args, out).await
		},
		RegistryCommand::Register {
			national_id,
			name,
			date_of_birth,
			district,
			account,
			store,
			dry_run,
			signer,
		} => {
			let r = CivilRecord { national_id, name, date_of_birth, district, account };
			let (account, majority) = check_record(&r, today())?;
			let args = ImportArgs { csv: PathBuf::new(), store, batch: 1, dry_run, signer };
			register_records(url, vec![(r, account, majority)], args, out).await
		},
		RegistryCommand::Correct { national_id, store, name, date_of_birth, signer } => {
			correct(url, &national_id, &store, name, date_of_birth, &signer, out).await
		},
		RegistryCommand::UpdateDistrict { citizen, district, signer } => {
			let chain = Chain::connect(url).await?;
			let citizen = citizen_id(&chain, &citizen).await?;
			act(&chain, &signer, update_district { citizen, district }, out).await?;
			Ok(())
		},
		RegistryCommand::Suspend { citizen, signer } => {
			on_citizen(signer, citizen, |citizen| suspend_citizen { citizen }).await
		},
		RegistryCommand::Restore { citizen, signer } => {
			on_citizen(signer, citizen, |citizen| restore_citizen { citizen }).await
		},
		RegistryCommand::RecordDeath { citizen, signer } => {
			on_citizen(signer, citizen, |citizen| record_death { citizen }).await
		},
		RegistryCommand::Remove { citizen, signer } => {
			on_citizen(signer, citizen, |citizen| remove_citizen { citizen }).await
		},
		RegistryCommand::RecordMajority { store, by, dry_run, signer } => {
			record_majority(url, &store, &by, dry_run, &signer, out).await
		},
		RegistryCommand::Show { citizen, store } => show(url, &citizen, store, out).await,
	}
}

/// A citizen by id (`7` or `citizen:7`), or by the account bound to it (read with a proof).
pub(crate) async fn citizen_id(chain: &Chain, who: &str) -> Result<CitizenId> {
	if let Ok(id) = who.strip_prefix("citizen:").unwrap_or(who).parse::<CitizenId>() {
		return Ok(id);
	}
	let account = parse_account(who)?;
	let (at, _) = chain.finalized_head().await?;
	chain
		.proven::<CitizenId>(&CitizenOf::<Runtime>::hashed_key_for(&account), at)
		.await?
		.ok_or_else(|| anyhow!("{who} is not bound to any citizen"))
}

/// A party (of a credential, a title, a deal): `entity:ID` or `citizen:ID`, else a citizen
/// by id or account.
pub(crate) async fn party(chain: &Chain, s: &str) -> Result<Subject> {
	let number = |id: &str| id.parse().map_err(|_| anyhow!("{s}: the id is a number"));
	if let Some(id) = s.strip_prefix("entity:") {
		return Ok(Subject::Entity(number(id)?));
	}
	Ok(Subject::Citizen(citizen_id(chain, s).await?))
}

/// A citizen's entry at the finalized head, read with a proof.
async fn citizen_record(chain: &Chain, id: CitizenId) -> Result<Option<ChainRecord>> {
	let (at, _) = chain.finalized_head().await?;
	chain.proven(&Citizens::<Runtime>::hashed_key_for(id), at).await
}

type ChainRecord = CitizenRecord<AccountId, egov_runtime::BlockNumber>;

/// `egov registry correct`: a new salt and commitment for a corrected record, kept as a
/// pending correction in the store until the chain holds it.
async fn correct(
	url: &Endpoint,
	national_id: &str,
	store_path: &PathBuf,
	name: Option<String>,
	date_of_birth: Option<String>,
	signer: &SignerArgs,
	out: &Output,
) -> Result<()> {
	let chain = Chain::connect(url).await?;
	let mut store =
		Store::<Person>::load(store_path, STORE_FORMAT, &to_hex(chain.genesis_hash.as_bytes()))?;
	let person = store
		.entries
		.get(national_id)
		.ok_or_else(|| anyhow!("national id {national_id} is not in {}", store_path.display()))?;
	let citizen = person
		.citizen
		.ok_or_else(|| anyhow!("national id {national_id} is not registered yet: import it"))?;
	let on_chain = citizen_record(&chain, citizen)
		.await?
		.ok_or_else(|| anyhow!("citizen {citizen} is no longer in the registry"))?;
	// A correction an earlier run sent: in force if the chain holds its commitment.
	let mut person = person.clone();
	if let Some(c) = person.pending.take() {
		if to_hex(on_chain.commitment.as_bytes()) == c.commitment {
			(person.record, person.salt, person.commitment) = (c.record, c.salt, c.commitment);
		}
	}
	store.entries.insert(national_id.into(), person.clone());

	let record = CivilRecord {
		name: name.unwrap_or_else(|| person.record.name.clone()),
		date_of_birth: date_of_birth.unwrap_or_else(|| person.record.date_of_birth.clone()),
		..person.record.clone()
	};
	if record == person.record {
		store.save(store_path)?;
		bail!(
			"the store already holds this record for national id {national_id}: nothing to correct"
		);
	}
	let (_, majority) = check_record(&record, today())?;
	if majority == Majority::Minor && on_chain.adult_from != MAJORITY_NOT_RECORDED {
		bail!(
			"the corrected date of birth makes citizen {citizen} a minor, which the chain \
			 cannot record of an adult: remove the entry and register the person again"
		);
	}
	let salt = salt();
	let commitment = commitment(&record, &salt);
	let mut with_pending = person.clone();
	with_pending.pending = Some(Correction {
		record: record.clone(),
		salt: to_hex(&salt),
		commitment: to_hex(commitment.as_bytes()),
	});
	// Saved before sending, as an import does: if this machine fails after the chain took
	// the correction, the next run finds it by its commitment.
	store.entries.insert(national_id.into(), with_pending);
	store.save(store_path)?;
	// On any failure the pending correction stays in the store: a transaction that timed
	// out may still be finalized, and the next run settles it against the chain.
	act(&chain, signer, RegistryCall::update_commitment { citizen, commitment }, out).await?;
	let mut person = person;
	(person.record, person.salt, person.commitment) =
		(record, to_hex(&salt), to_hex(commitment.as_bytes()));
	store.entries.insert(national_id.into(), person);
	store.save(store_path)
}

/// `egov registry record-majority`: every registered minor of the store who is of age on
/// `by` (and whose majority the chain does not hold yet) counts as an adult from `by`.
async fn record_majority(
	url: &Endpoint,
	store_path: &PathBuf,
	by: &str,
	dry_run: bool,
	signer: &SignerArgs,
	out: &Output,
) -> Result<()> {
	let date = parse_date(by).ok_or_else(|| anyhow!("{by:?} is not a YYYY-MM-DD day"))?;
	let from = days_from_civil(date);
	let chain = Chain::connect(url).await?;
	let store =
		Store::<Person>::load(store_path, STORE_FORMAT, &to_hex(chain.genesis_hash.as_bytes()))?;
	let of_age: Vec<CitizenId> = store
		.entries
		.values()
		.filter(|p| {
			parse_date(&p.record.date_of_birth)
				.is_some_and(|b| majority(b, date) == Majority::Adult)
		})
		.filter_map(|p| p.citizen)
		.collect();
	// Only living citizens without a recorded majority: one refused citizen would refuse
	// the whole batch.
	let (at, _) = chain.finalized_head().await?;
	let mut due = Vec::new();
	for chunk in of_age.chunks(512) {
		let keys: Vec<Vec<u8>> =
			chunk.iter().map(|id| Citizens::<Runtime>::hashed_key_for(id)).collect();
		for (id, value) in chunk.iter().zip(chain.proven_raw(&keys, at).await?) {
			let record = value.and_then(|v| ChainRecord::decode(&mut &v[..]).ok());
			if record.is_some_and(|r| {
				r.adult_from == MAJORITY_NOT_RECORDED && r.status != CitizenStatus::Deceased
			}) {
				due.push(*id);
			}
		}
	}
	if !dry_run {
		let pair = signer.pair()?;
		for chunk in due.chunks(MAX_MAJORITY_BATCH as usize) {
			let citizens = chunk.to_vec().try_into().map_err(|_| anyhow!("batch too large"))?;
			chain
				.send(
					&pair,
					RuntimeCall::IdentityRegistry(RegistryCall::record_majority { citizens, from }),
				)
				.await?;
		}
	}
	out.show(json!({ "from": from, "citizens": due, "dryRun": dry_run }), || {
		format!(
			"{} citizens {} adults from {by}{}",
			due.len(),
			if dry_run { "would count as" } else { "count as" },
			if dry_run { " (dry run: nothing sent)" } else { "" }
		)
	});
	Ok(())
}

/// `egov registry show`: a citizen's entry, proven, and with the store whether it opens.
async fn show(url: &Endpoint, who: &str, store: Option<PathBuf>, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	let id = citizen_id(&chain, who).await?;
	let r = citizen_record(&chain, id)
		.await?
		.ok_or_else(|| anyhow!("citizen {id} is not in the registry"))?;
	let adult_from = match r.adult_from {
		ADULT_AT_REGISTRATION => "at registration".to_string(),
		MAJORITY_NOT_RECORDED => "not recorded (a minor)".to_string(),
		day => {
			let (y, m, d) = civil_from_days(i64::from(day));
			format!("{y:04}-{m:02}-{d:02}")
		},
	};
	let mut value = json!({
		"citizen": id,
		"account": r.account.to_ss58check(),
		"status": format!("{:?}", r.status),
		"district": r.district,
		"adultFrom": adult_from,
		"commitment": to_hex(r.commitment.as_bytes()),
		"registeredAt": r.registered_at,
		"trust": chain.trust(),
	});
	let mut opened = None;
	if let Some(path) = store {
		let store =
			Store::<Person>::load(&path, STORE_FORMAT, &to_hex(chain.genesis_hash.as_bytes()))?;
		let person = store.entries.values().find(|p| p.citizen == Some(id));
		let opens = person.is_some_and(|p| p.commitment().ok() == Some(r.commitment));
		value["record"] = json!(person.map(|p| &p.record));
		value["opens"] = json!(opens);
		opened = Some((person.map(|p| p.record.clone()), opens));
	}
	out.show(value, || {
		let mut text = format!(
			"citizen {id}: {:?}, district {}, adult from {adult_from}, account {}, commitment {}",
			r.status,
			r.district,
			r.account.to_ss58check(),
			to_hex(r.commitment.as_bytes())
		);
		match opened {
			Some((Some(rec), true)) => {
				text += &format!(
					"\nopens to the stored record: national id {}, {}, born {}",
					rec.national_id, rec.name, rec.date_of_birth
				)
			},
			Some((Some(rec), false)) => {
				text += &format!(
					"\nDOES NOT open to the stored record of national id {}",
					rec.national_id
				)
			},
			Some((None, _)) => text += "\nthe store holds no record for this citizen",
			None => {},
		}
		text
	});
	Ok(())
}

/// Registers the people of `records` not yet on chain, in batches, keeping their salts in
/// the store: what `import` does for a CSV and `register` for one person.
async fn register_records(
	url: &Endpoint,
	records: Vec<(CivilRecord, AccountId, Majority)>,
	args: ImportArgs,
	out: &Output,
) -> Result<()> {
	if args.batch == 0 {
		bail!("--batch must be at least 1");
	}
	let chain = Chain::connect(url).await?;
	let mut store =
		Store::<Person>::load(&args.store, STORE_FORMAT, &to_hex(chain.genesis_hash.as_bytes()))?;

	// Each record's salt and commitment: the stored ones for a person seen before (a resumed
	// import), fresh ones otherwise. A stored person must come back with the same record.
	let mut problems = Vec::new();
	for (r, _, _) in &records {
		match store.entries.get(&r.national_id) {
			Some(p) if p.record != *r => problems.push(format!(
				"national id {}: the store holds another record for this person (a correction \
				 is not an import)",
				r.national_id
			)),
			Some(_) => {},
			None => {
				let salt = salt();
				let person = Person {
					record: r.clone(),
					salt: to_hex(&salt),
					commitment: to_hex(commitment(r, &salt).as_bytes()),
					citizen: None,
					pending: None,
				};
				store.entries.insert(r.national_id.clone(), person);
			},
		}
	}
	if !problems.is_empty() {
		bail!("nothing was registered:\n  {}", problems.join("\n  "));
	}
	let commitments = records
		.iter()
		.map(|(r, _, _)| Ok((r.national_id.clone(), store.entries[&r.national_id].commitment()?)))
		.collect::<Result<BTreeMap<String, Commitment>>>()?;

	// What the finalized chain already holds, proven: a person whose commitment is there was
	// registered (by an earlier, interrupted run); an account bound to another record is a
	// conflict to resolve by hand.
	let (at, _) = chain.finalized_head().await?;
	let mut pending = Vec::new();
	let mut already = 0usize;
	for chunk in records.chunks(512) {
		let keys: Vec<Vec<u8>> = chunk
			.iter()
			.flat_map(|(r, account, _)| {
				[
					CitizenByCommitment::<Runtime>::hashed_key_for(commitments[&r.national_id]),
					CitizenOf::<Runtime>::hashed_key_for(account),
				]
			})
			.collect();
		let values = chain.proven_raw(&keys, at).await?;
		for ((r, account, majority), pair) in chunk.iter().zip(values.chunks(2)) {
			let id = |v: &Option<Vec<u8>>| {
				v.as_ref().and_then(|b| codec::Decode::decode(&mut &b[..]).ok())
			};
			match (id(&pair[0]), id(&pair[1])) {
				(Some(citizen), _) => {
					already += 1;
					if let Some(p) = store.entries.get_mut(&r.national_id) {
						p.citizen = Some(citizen);
					}
				},
				(None, Some(other)) => problems.push(format!(
					"national id {}: account {} is already citizen {other} with another record",
					r.national_id,
					account.to_ss58check()
				)),
				(None, None) => pending.push((r.clone(), account.clone(), *majority)),
			}
		}
	}
	if !problems.is_empty() {
		bail!("nothing was registered:\n  {}", problems.join("\n  "));
	}
	let minors = pending.iter().filter(|(_, _, m)| *m == Majority::Minor).count();
	let batches = pending.len().div_ceil(args.batch);
	if args.dry_run {
		out.show(
			json!({
				"records": records.len(),
				"alreadyRegistered": already,
				"toRegister": pending.len(),
				"minors": minors,
				"batches": batches,
				"dryRun": true,
			}),
			|| {
				format!(
					"{} records: {already} already registered, {} to register ({minors} minors) \
					 in {batches} transactions; nothing sent (dry run)",
					records.len(),
					pending.len()
				)
			},
		);
		return Ok(());
	}

	// The salts are saved before anything is sent: a registration whose transaction lands
	// while this machine fails is found again by its commitment on the next run.
	let pair = args.signer.pair()?;
	store.save(&args.store)?;
	let started = Instant::now();
	let bar = progress(pending.len() as u64, "registering", out.json);
	let mut registered = 0usize;
	let calls = pending
		.chunks(args.batch)
		.map(|chunk| {
			let calls = chunk
				.iter()
				.map(|(r, account, majority)| {
					RuntimeCall::IdentityRegistry(RegistryCall::register_citizen {
						account: account.clone(),
						commitment: commitments[&r.national_id],
						district: r.district,
						majority: *majority,
					})
				})
				.collect();
			RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
		})
		.collect();
	let mut landed = Box::pin(chain.send_pipelined(&pair, calls, IN_FLIGHT).await?);
	for chunk in pending.chunks(args.batch) {
		let inc = landed
			.next()
			.await
			.ok_or_else(|| anyhow!("a batch was never sent"))?
			.with_context(|| format!("after {registered} registrations (run again to resume)"))?;
		let ids: BTreeMap<AccountId, CitizenId> = inc
			.events
			.iter()
			.filter_map(|e| match e {
				RuntimeEvent::IdentityRegistry(RegistryEvent::CitizenRegistered {
					citizen,
					account,
					..
				}) => Some((account.clone(), *citizen)),
				_ => None,
			})
			.collect();
		for (r, account, _) in chunk {
			let citizen = ids.get(account).copied().ok_or_else(|| {
				anyhow!("the chain did not register {} (line for {})", account, r.national_id)
			})?;
			if let Some(p) = store.entries.get_mut(&r.national_id) {
				p.citizen = Some(citizen);
			}
		}
		registered += chunk.len();
		store.save(&args.store)?;
		bar.inc(chunk.len() as u64);
	}
	bar.finish_and_clear();
	let seconds = started.elapsed().as_secs_f64();
	let per_second = if seconds > 0.0 { registered as f64 / seconds } else { 0.0 };
	out.show(
		json!({
			"records": records.len(),
			"alreadyRegistered": already,
			"registered": registered,
			"minors": minors,
			"seconds": seconds,
			"perSecond": per_second,
		}),
		|| {
			format!(
				"{registered} citizens registered ({minors} minors) in {seconds:.1} s \
				 ({per_second:.0}/s); {already} were registered before. Store: {}",
				args.store.display()
			)
		},
	);
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dates_are_real_days_and_majority_counts_from_the_birthday() {
		assert_eq!(parse_date("2008-02-29"), Some((2008, 2, 29)));
		assert_eq!(parse_date("2007-02-29"), None);
		assert_eq!(parse_date("2007-13-01"), None);
		assert_eq!(parse_date("7-01-01"), None);
		assert_eq!(parse_date("2007-01-01-01"), None);
		let today = (2026, 12, 7);
		assert_eq!(majority((2008, 12, 7), today), Majority::Adult);
		assert_eq!(majority((2008, 12, 8), today), Majority::Minor);
		assert_eq!(civil_from_days(0), (1970, 1, 1));
		assert_eq!(civil_from_days(20_794), (2026, 12, 7));
		for days in [0, 59, 60, 365, 11_016, 20_794, 30_000] {
			assert_eq!(days_from_civil(civil_from_days(i64::from(days))), days);
		}
	}

	#[test]
	fn csv_fields_may_be_quoted_and_span_lines() {
		let text = "a,b,c\r\n1, \"x, y\" ,\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",z";
		let rows = parse_csv(text).expect("parses");
		assert_eq!(rows[0], (1, vec!["a".into(), "b".into(), "c".into()]));
		assert_eq!(rows[1], (2, vec!["1".into(), "x, y".into(), "say \"hi\"".into()]));
		assert_eq!(rows[2], (4, vec!["2".into(), "two\nlines".into(), "z".into()]));
		assert!(parse_csv("a,\"open\n").is_err());
		assert!(parse_csv("a,b\"c\n").is_err());
	}

	#[test]
	fn a_commitment_binds_every_field_and_the_salt() {
		let r = CivilRecord {
			national_id: "1".into(),
			name: "A".into(),
			date_of_birth: "2000-01-01".into(),
			district: 7,
			account: "//Alice".into(),
		};
		let c = commitment(&r, &[1; 32]);
		assert_ne!(c, commitment(&r, &[2; 32]));
		for other in [
			CivilRecord { national_id: "2".into(), ..r.clone() },
			CivilRecord { name: "B".into(), ..r.clone() },
			CivilRecord { date_of_birth: "2000-01-02".into(), ..r.clone() },
		] {
			assert_ne!(c, commitment(&other, &[1; 32]));
		}
	}
}
